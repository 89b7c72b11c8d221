// What the EndpointSlice controller would write for a Service, from its Pods: used when a
// snapshot has Pods but no EndpointSlices or Endpoints (e.g. `kubectl get svc,pods -o yaml`).
// A port of kubernetes/kubernetes staging/src/k8s.io/endpointslice (reconciler.go, utils.go,
// util/controller_utils.go) and pkg/controller/endpointslice's syncService, minus the API
// calls: one pass that builds the slices from scratch. Pure.
import { createHash } from 'node:crypto';
import { goCompare } from './go-order.js';
import { formatIP, parseIP, type IP } from './ip.js';
import type { EndpointSlice, Node, Pod, Service } from './types.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** kube-controller-manager --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

export type AddressType = 'IPv4' | 'IPv6';
type EndpointPort = NonNullable<EndpointSlice['ports']>[number];
type Endpoint = EndpointSlice['endpoints'][number];
type ServicePort = NonNullable<NonNullable<Service['spec']>['ports']>[number];

/** Why a selected Pod gets no endpoint at all. */
export type ExclusionCode = 'terminal' | 'no-ip' | 'node-not-found' | 'no-address-in-family';

/** A service port whose targetPort the pod cannot serve (FindPort failed): the pod lacks that port. */
export interface MissingPort {
  /** The service port's name ("" when unnamed). */
  name: string;
  targetPort: string | number;
  protocol: string;
}

/** The controller's view of one selected Pod. */
export interface PodEndpointPlan {
  pod: Pod;
  exclusion?: { code: ExclusionCode; message: string };
  /** ready: serving && !terminating, or true under publishNotReadyAddresses. */
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  /** Canonical addresses per address type the service uses. */
  addresses: Partial<Record<AddressType, string[]>>;
  /** Ports the endpoint carries, one per service port whose targetPort resolved. */
  ports: EndpointPort[];
  missingPorts: MissingPort[];
}

/** Services of type ExternalName get no endpoints from the controllers. */
export const isExternalName = (svc: Service) => svc.spec?.type === 'ExternalName';

/** The address types a service's slices use (getAddressTypesForService), IPv4 first. */
export function addressTypesFor(svc: Service): AddressType[] {
  const types = new Set<AddressType>();
  for (const family of svc.spec?.ipFamilies ?? []) {
    if (family === 'IPv4') types.add('IPv4');
    if (family === 'IPv6') types.add('IPv6');
  }
  if (types.size === 0) {
    const clusterIP = svc.spec?.clusterIP;
    if (clusterIP && clusterIP !== 'None') types.add(clusterIP.includes(':') ? 'IPv6' : 'IPv4');
    else {
      // Headless without ipFamilies (an object from an old API server): both, as the controller assumes.
      types.add('IPv4');
      types.add('IPv6');
    }
  }
  return (['IPv4', 'IPv6'] as const).filter((t) => types.has(t));
}

const protocolOf = (p: { protocol?: string }) => p.protocol || 'TCP';

/** targetPort as the API server defaults it: the port itself when unset (or 0). */
export function targetPortOf(sp: ServicePort): string | number {
  const tp = sp.targetPort as string | number | undefined;
  return tp === undefined || tp === null || tp === 0 || tp === '' ? sp.port : tp;
}

/**
 * FindPort: a numeric targetPort is used as is; a named one is looked up among the ports of
 * the pod's containers, then of its sidecars (init containers with restartPolicy Always),
 * matching name and protocol. undefined when nothing matches.
 */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = targetPortOf(sp);
  if (typeof target === 'number') return target;
  const protocol = protocolOf(sp);
  const containers = [
    ...(pod.spec?.containers ?? []),
    ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'),
  ];
  for (const c of containers) {
    for (const p of c.ports ?? []) if (p.name === target && protocolOf(p) === protocol) return p.containerPort;
  }
  return undefined;
}

/** IsPodReady: the Ready condition is "True". */
export function podReadyCondition(pod: Pod) {
  return (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
}

/** The pod's IPs as the API server defaults them: podIPs, else [podIP]. */
export function podIPs(pod: Pod): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => !!ip);
  if (ips.length > 0) return ips;
  return pod.status?.podIP ? [pod.status.podIP] : [];
}

/**
 * The controller's decision for one pod that the service selects: whether it becomes an
 * endpoint (ShouldPodBeInEndpoints with terminating pods included, the node check, an
 * address of a family the service uses), with which conditions, addresses and ports.
 * `nodes` undefined means "unknown" (the snapshot holds no Nodes): the node check is skipped.
 */
export function planPodEndpoint(svc: Service, pod: Pod, nodes: readonly Node[] | undefined): PodEndpointPlan {
  const serving = podReadyCondition(pod)?.status === 'True';
  const terminating = Boolean(pod.metadata?.deletionTimestamp);
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const plan: PodEndpointPlan = {
    pod,
    conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
    addresses: {},
    ports: [],
    missingPorts: [],
  };
  const phase = pod.status?.phase;
  const ips = podIPs(pod);
  if (phase === 'Succeeded' || phase === 'Failed') {
    plan.exclusion = { code: 'terminal', message: `pod phase is ${phase}` };
  } else if (ips.length === 0) {
    plan.exclusion = { code: 'no-ip', message: `no IP yet${phase ? ` (phase ${phase})` : ''}` };
  } else if (nodes && !publishNotReady && !nodes.some((n) => n.metadata?.name === pod.spec?.nodeName)) {
    plan.exclusion = { code: 'node-not-found', message: `node "${pod.spec?.nodeName ?? ''}" not found` };
  }

  const types = addressTypesFor(svc);
  for (const type of types) {
    const inFamily = ips
      .map((text) => parseIP(text))
      .filter((ip): ip is IP => ip !== null && (ip.family === 6) === (type === 'IPv6'))
      .map(formatIP);
    if (inFamily.length > 0) plan.addresses[type] = inFamily;
  }
  if (!plan.exclusion && Object.keys(plan.addresses).length === 0) {
    plan.exclusion = { code: 'no-address-in-family', message: `no ${types.join(' or ')} address (pod IPs: ${ips.join(', ')})` };
  }

  // Headless services may have no ports; otherwise one endpoint port per resolvable service port.
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) {
      plan.missingPorts.push({ name: sp.name ?? '', targetPort: targetPortOf(sp), protocol: protocolOf(sp) });
      continue;
    }
    plan.ports.push({
      name: sp.name ?? '',
      protocol: protocolOf(sp),
      port,
      ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}),
    });
  }
  return plan;
}

/** podToEndpoint for one address type. */
function endpointOf(svc: Service, plan: PodEndpointPlan, type: AddressType, nodes: readonly Node[] | undefined): Endpoint {
  const pod = plan.pod;
  const nodeName = pod.spec?.nodeName;
  const zone = nodes?.find((n) => n.metadata?.name === nodeName)?.metadata?.labels?.[ZONE_LABEL];
  const setHostname = Boolean(pod.spec?.hostname) && pod.spec?.subdomain === svc.metadata?.name && pod.metadata?.namespace === svc.metadata?.namespace;
  return {
    addresses: plan.addresses[type] ?? [],
    conditions: { ...plan.conditions },
    ...(setHostname ? { hostname: pod.spec!.hostname } : {}),
    targetRef: {
      kind: 'Pod',
      namespace: pod.metadata?.namespace,
      name: pod.metadata?.name,
      ...(pod.metadata?.uid ? { uid: pod.metadata.uid } : {}),
    },
    ...(nodeName ? { nodeName } : {}),
    ...(zone ? { zone } : {}),
    ...hintsFor(svc, plan.conditions.ready, nodeName, zone),
  };
}

/** hintsEnabled (reconciler.go): the annotation asking for the topology-aware "Auto" heuristic. */
function autoTopologyAnnotation(svc: Service): boolean {
  const annotations = svc.metadata?.annotations ?? {};
  const value = annotations['service.kubernetes.io/topology-aware-hints'] ?? annotations['service.kubernetes.io/topology-mode'];
  return value === 'Auto' || value === 'auto';
}

/**
 * The hints of spec.trafficDistribution (trafficdist.ReconcileHints), on ready endpoints only:
 * PreferClose and PreferSameZone hint the endpoint's zone, PreferSameNode its zone and node.
 * Under the topology "Auto" annotation the controller's own heuristic allocates zones by node
 * CPU instead, which a snapshot cannot reproduce: no hints are derived then.
 */
function hintsFor(svc: Service, ready: boolean, nodeName: string | undefined, zone: string | undefined): Pick<Endpoint, 'hints'> {
  const distribution = svc.spec?.trafficDistribution;
  if (!ready || !distribution || autoTopologyAnnotation(svc)) return {};
  const forZones = zone ? [{ name: zone }] : undefined;
  if (distribution === 'PreferClose' || distribution === 'PreferSameZone') return forZones ? { hints: { forZones } } : {};
  if (distribution !== 'PreferSameNode') return {};
  const forNodes = nodeName ? [{ name: nodeName }] : undefined;
  if (!forZones && !forNodes) return {};
  return { hints: { ...(forZones ? { forZones } : {}), ...(forNodes ? { forNodes } : {}) } }; // EndpointHints field order
}

/**
 * The EndpointSlices the controller would hold for `svc`, given the pods its selector matches
 * (same namespace; see resolver.podsForService) and the cluster's Nodes (undefined: unknown).
 * Slices are grouped by address type and port set, at most 100 endpoints each, endpoints in
 * address order (the controller's order is arbitrary; this one is deterministic); an address
 * type without endpoints gets the controller's empty placeholder slice. ExternalName services
 * and services without a selector get none.
 */
export function deriveEndpointSlices(svc: Service, pods: readonly Pod[], nodes: readonly Node[] | undefined): EndpointSlice[] {
  if (isExternalName(svc) || !svc.spec?.selector || Object.keys(svc.spec.selector).length === 0) return [];
  const plans = pods.map((pod) => planPodEndpoint(svc, pod, nodes)).filter((p) => !p.exclusion);
  const slices: EndpointSlice[] = [];
  for (const type of addressTypesFor(svc)) {
    // Group by the endpoint's port set (NewPortMapKey), in first-seen order.
    const groups = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>();
    for (const plan of plans) {
      if (!plan.addresses[type]) continue;
      const key = portSetKey(plan.ports);
      if (!groups.has(key)) groups.set(key, { ports: plan.ports, endpoints: [] });
      groups.get(key)!.endpoints.push(endpointOf(svc, plan, type, nodes));
    }
    if (groups.size === 0) {
      slices.push(newSlice(svc, type, [], [], slices.length));
      continue;
    }
    for (const { ports, endpoints } of groups.values()) {
      endpoints.sort((a, b) => compareAddresses(a.addresses[0]!, b.addresses[0]!));
      for (let i = 0; i < endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
        slices.push(newSlice(svc, type, ports, endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE), slices.length));
      }
    }
  }
  return slices;
}

function portSetKey(ports: readonly EndpointPort[]): string {
  return JSON.stringify([...ports].map((p) => [p.name, p.protocol, p.port, p.appProtocol ?? null]).sort());
}

function compareAddresses(a: string, b: string): number {
  const x = parseIP(a);
  const y = parseIP(b);
  if (!x || !y) return goCompare(a, b);
  if (x.bytes.length !== y.bytes.length) return x.bytes.length - y.bytes.length;
  for (let i = 0; i < x.bytes.length; i++) if (x.bytes[i] !== y.bytes[i]) return x.bytes[i]! - y.bytes[i]!;
  return 0;
}

/** newEndpointSlice: the service's labels (minus reserved ones) plus the controller's, owned by the service. */
function newSlice(svc: Service, type: AddressType, ports: EndpointPort[], endpoints: Endpoint[], index: number): EndpointSlice {
  const name = svc.metadata?.name ?? '';
  const ns = svc.metadata?.namespace ?? '';
  const reserved = new Set([SERVICE_NAME_LABEL, MANAGED_BY_LABEL, HEADLESS_LABEL]);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata?.labels ?? {})) if (!reserved.has(k)) labels[k] = v;
  const clusterIP = svc.spec?.clusterIP;
  if (!clusterIP || clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  labels[SERVICE_NAME_LABEL] = name;
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${name}-${generatedSuffix(`${ns}/${name}/${type}/${index}`)}`,
      generateName: `${name}-`,
      namespace: ns,
      labels: sortKeys(labels),
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          name,
          uid: svc.metadata?.uid ?? '', // a Service written by hand may have none
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      // Unknown: the controller writes the slice right after the Service exists, so its time is used.
      ...(svc.metadata?.creationTimestamp ? { creationTimestamp: svc.metadata.creationTimestamp } : {}),
    },
    addressType: type,
    endpoints,
    ports,
  };
}

/** Five characters from the API server's generateName alphabet, fixed by `seed` so output is stable. */
function generatedSuffix(seed: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < 5; i++) out += alphabet[digest[i]! % alphabet.length];
  return out;
}

function sortKeys(m: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => goCompare(a, b)));
}
