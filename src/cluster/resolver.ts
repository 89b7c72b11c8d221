// Links objects the way the control plane does. This first part finds a Service's
// EndpointSlices: the slices labelled kubernetes.io/service-name=<name>, else legacy Endpoints
// converted to slices (as the EndpointSlice mirroring controller does).
import type { EndpointSlice, Endpoints, Service, Snapshot } from './types.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export type SliceSource = 'EndpointSlice' | 'Endpoints' | 'derived' | 'none';

export interface ResolvedSlices {
  slices: EndpointSlice[];
  /** Where they came from: real slices, mirrored legacy Endpoints, derived from Pods, or none. */
  source: SliceSource;
}

const keyOf = (ns: string | undefined, name: string | undefined) => `${ns ?? ''}/${name ?? ''}`;

/** The EndpointSlices that belong to `service`. */
export function endpointSlicesFor(snapshot: Snapshot, service: Service): ResolvedSlices {
  const ns = service.metadata?.namespace;
  const name = service.metadata?.name;
  const slices = snapshot.endpointSlices.filter(
    (s) => s.metadata?.namespace === ns && s.metadata?.labels?.[SERVICE_NAME_LABEL] === name,
  );
  if (slices.length > 0) return { slices, source: 'EndpointSlice' };
  const legacy = snapshot.endpoints.find((e) => keyOf(e.metadata?.namespace, e.metadata?.name) === keyOf(ns, name));
  if (legacy) return { slices: slicesFromEndpoints(legacy), source: 'Endpoints' };
  return { slices: [], source: 'none' };
}

/**
 * Mirrors a v1 Endpoints object into EndpointSlices, one per subset and address family, as
 * the EndpointSlice mirroring controller does: ready addresses get ready/serving true,
 * notReadyAddresses ready/serving false.
 */
export function slicesFromEndpoints(ep: Endpoints): EndpointSlice[] {
  const out: EndpointSlice[] = [];
  (ep.subsets ?? []).forEach((subset, i) => {
    for (const family of ['IPv4', 'IPv6'] as const) {
      const isFamily = (ip: string) => (family === 'IPv6') === ip.includes(':');
      const endpoints = [
        ...(subset.addresses ?? []).filter((a) => isFamily(a.ip)).map((a) => ({ a, ready: true })),
        ...(subset.notReadyAddresses ?? []).filter((a) => isFamily(a.ip)).map((a) => ({ a, ready: false })),
      ].map(({ a, ready }) => ({
        addresses: [a.ip],
        conditions: { ready, serving: ready, terminating: false },
        ...(a.nodeName ? { nodeName: a.nodeName } : {}),
        ...(a.hostname ? { hostname: a.hostname } : {}),
        ...(a.targetRef ? { targetRef: a.targetRef } : {}),
      }));
      if (endpoints.length === 0) continue;
      out.push({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: `${ep.metadata?.name}-${family.toLowerCase()}-${i}`,
          namespace: ep.metadata?.namespace,
          labels: { [SERVICE_NAME_LABEL]: ep.metadata?.name ?? '' },
          creationTimestamp: ep.metadata?.creationTimestamp,
        },
        addressType: family,
        endpoints,
        ports: (subset.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
      });
    }
  });
  return out;
}
