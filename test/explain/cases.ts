// The explain arguments both kubectl oracles run (kubectl.test.ts against OpenAPI v3,
// kubectl-v2.test.ts against a cluster with only /openapi/v2).
// Every kind the fake cluster serves, its fields at several depths, --recursive and --api-version.
export const CASES: string[][] = [
  ['service'],
  ['svc.spec'],
  ['svc.spec.type'],
  ['svc.spec.ports'],
  ['svc.spec.ports.targetPort'],
  ['svc.spec.sessionAffinityConfig.clientIP.timeoutSeconds'],
  ['svc.status.loadBalancer.ingress'],
  ['svc.metadata.creationTimestamp'],
  ['svc', '--recursive'],
  ['svc.spec', '--recursive'],
  ['endpoints'],
  ['ep.subsets.addresses.targetRef'],
  ['endpointslices'],
  ['endpointslice.endpoints.conditions'],
  ['endpointslices.discovery.k8s.io.ports.appProtocol'],
  ['endpointslices', '--recursive'],
  ['pods.spec.containers.resources'],
  ['po.spec.securityContext.seccompProfile.type'],
  ['po.spec.volumes.projected.sources', '--recursive'],
  ['nodes.status'],
  ['no.spec.taints.effect'],
  ['ns'],
  ['cm.binaryData'],
  ['networks.config.openshift.io'],
  ['networks.spec', '--recursive'],
  ['svc.spec', '--api-version', 'v1'],
];
export const ERRORS: string[][] = [['svc.spec.nope'], ['svc.spec.type.x'], ['service..spec'], ['svc', '--api-version', 'v2'], ['svc', '--api-version', 'a/b/c'], ['svc.spec[0]']];

