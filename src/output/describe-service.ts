// `kubectl describe service`: describe.go's describeService, field for field, with the
// EndpointSlices kubectl lists for the service (label kubernetes.io/service-name).
import type { EndpointSlice, Service } from '../cluster/types.js';
import { joinHostPort } from '../proxy/names.js';
import { DescribeWriter, printAnnotationsMultiline, printLabelsMultiline } from './describe-writer.js';
import { formatLabels } from './labels.js';
import { portProtocol } from './ports.js';
import { serviceType } from './service-rows.js';

const MAX_SHOWN = 3;

/** An endpoint with no ready condition counts as ready ("unknown state": discovery/v1 types.go). */
export const endpointIsReady = (e: { conditions?: { ready?: boolean | null } | null }) => e.conditions?.ready ?? true;

/**
 * formatEndpointSlices: the ready "ip:port" of the slices' ports named in `portNames`
 * (bare IPs for a slice without ports); three, then "+ N more...". No slices: "<none>";
 * slices with no ready endpoint: "". Like kubectl, the "more" flag is raised by a fourth
 * endpoint even when it is not ready.
 */
export function formatEndpointSlices(slices: readonly EndpointSlice[], portNames?: ReadonlySet<string>): string {
  if (slices.length === 0) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  const visit = (endpoint: EndpointSlice['endpoints'][number], text: () => string) => {
    if (list.length === MAX_SHOWN) more = true;
    if (!endpointIsReady(endpoint)) return;
    if (!more) list.push(text());
    count++;
  };
  for (const slice of slices) {
    const endpoints = slice.endpoints ?? [];
    const ports = slice.ports ?? [];
    if (ports.length === 0) {
      // A headless service may have no ports.
      for (const e of endpoints) visit(e, () => e.addresses[0] ?? '');
      continue;
    }
    for (const port of ports) {
      if (portNames && !portNames.has(port.name ?? '')) continue;
      for (const e of endpoints) visit(e, () => joinHostPort(e.addresses[0] ?? '', port.port ?? 0));
    }
  }
  const shown = list.join(',');
  return more ? `${shown} + ${count - MAX_SHOWN} more...` : shown;
}

/** buildIngressString: each load-balancer ingress IP (with its "(ipMode)") or hostname, ", "-joined. */
export function loadBalancerIngress(svc: Service): string {
  return (svc.status?.loadBalancer?.ingress ?? [])
    .map((ing) => (ing.ip ? (ing.ipMode ? `${ing.ip} (${ing.ipMode})` : ing.ip) : (ing.hostname ?? '')))
    .join(', ');
}

/**
 * The text `kubectl describe service` prints. Fields the API server defaults (type,
 * protocol, targetPort, sessionAffinity) are defaulted here too, for objects read from files.
 */
export function describeService(svc: Service, slices: readonly EndpointSlice[]): string {
  const w = new DescribeWriter();
  const spec = svc.spec ?? {};
  w.write(0, `Name:\t${svc.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${svc.metadata?.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', svc.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', svc.metadata?.annotations);
  w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(0, `Type:\t${serviceType(svc)}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
  w.write(0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`);
  if (spec.externalIPs?.length) w.write(0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  if (svc.status?.loadBalancer?.ingress?.length) w.write(0, `LoadBalancer Ingress:\t${loadBalancerIngress(svc)}\n`);
  for (const sp of spec.ports ?? []) {
    const name = sp.name || '<unset>';
    const protocol = portProtocol(sp);
    w.write(0, `Port:\t${name}\t${sp.port}/${protocol}\n`);
    const target = sp.targetPort ?? sp.port;
    w.write(0, `TargetPort:\t${target}/${protocol}\n`);
    if (sp.appProtocol) w.write(0, `AppProtocol:\t${sp.appProtocol}\n`);
    if (sp.nodePort) w.write(0, `NodePort:\t${name}\t${sp.nodePort}/${protocol}\n`);
    w.write(0, `Endpoints:\t${formatEndpointSlices(slices, new Set([sp.name ?? '']))}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity || 'None'}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (spec.loadBalancerSourceRanges?.length) w.write(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
  if (spec.trafficDistribution) w.write(0, `Traffic Distribution:\t${spec.trafficDistribution}\n`);
  // svctrace has no events; kubectl prints this line when the event list is empty.
  w.write(0, 'Events:\t<none>\n');
  return w.toString();
}
