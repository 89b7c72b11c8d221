// Links objects the way the control plane does: a Service selects Pods by its spec.selector;
// its endpoints are the EndpointSlices labelled kubernetes.io/service-name=<name>, else its
// legacy Endpoints (mirrored into slices), else, when the snapshot holds Pods but neither,
// the slices the EndpointSlice controller would write (derive.ts). `describe` asks, for each
// selected Pod, whether it is an endpoint and why not.
import { deriveEndpointSlices, isExternalName, planPodEndpoint, podIPs, podReadyCondition, SERVICE_NAME_LABEL } from './derive.js';
import type { MissingPort } from './derive.js';
import { hasSelector, serviceSelectorMatches } from './selector.js';
import type { EndpointSlice, Endpoints, Node, Pod, Service, Snapshot } from './types.js';

export { SERVICE_NAME_LABEL };

export type SliceSource = 'EndpointSlice' | 'Endpoints' | 'derived' | 'none';

export interface ResolvedSlices {
  slices: EndpointSlice[];
  /** Where they came from: real slices, mirrored legacy Endpoints, derived from Pods, or none. */
  source: SliceSource;
}

const keyOf = (ns: string | undefined, name: string | undefined) => `${ns ?? ''}/${name ?? ''}`;
const labelKey = (ns: string | undefined, key: string, value: string) => `${ns ?? ''}\0${key}\0${value}`;

/**
 * The Pods a Service selects: same namespace, every selector label equal. A Service without
 * a selector selects none (its endpoints are managed by hand). Snapshot order.
 */
export function podsForService(snapshot: Snapshot, service: Service): Pod[] {
  const selector = service.spec?.selector;
  if (!hasSelector(selector)) return [];
  const ns = service.metadata?.namespace;
  return snapshot.pods.filter((p) => p.metadata?.namespace === ns && serviceSelectorMatches(selector, p.metadata?.labels));
}

/**
 * The EndpointSlices that belong to `service`: real ones, else its Endpoints converted as the
 * mirroring controller does, else (a Service with a selector, in a snapshot that holds Pods)
 * derived from its Pods as the EndpointSlice controller would; else none.
 */
export function endpointSlicesFor(snapshot: Snapshot, service: Service): ResolvedSlices {
  const ns = service.metadata?.namespace;
  const name = service.metadata?.name;
  const slices = snapshot.endpointSlices.filter(
    (s) => s.metadata?.namespace === ns && s.metadata?.labels?.[SERVICE_NAME_LABEL] === name,
  );
  const legacy = snapshot.endpoints.find((e) => keyOf(e.metadata?.namespace, e.metadata?.name) === keyOf(ns, name));
  return chooseSlices(snapshot, service, slices, legacy, () => podsForService(snapshot, service));
}

/** The resolution order of endpointSlicesFor, given the service's own slices, Endpoints and Pods. */
function chooseSlices(snapshot: Snapshot, service: Service, slices: EndpointSlice[], legacy: Endpoints | undefined, pods: () => Pod[]): ResolvedSlices {
  if (slices.length > 0) return { slices, source: 'EndpointSlice' };
  if (legacy) return { slices: slicesFromEndpoints(legacy), source: 'Endpoints' };
  if (snapshot.pods.length > 0 && hasSelector(service.spec?.selector) && !isExternalName(service)) {
    return { slices: deriveEndpointSlices(service, pods(), knownNodes(snapshot)), source: 'derived' };
  }
  return { slices: [], source: 'none' };
}

/** The snapshot's Nodes; undefined when it holds none (unknown: the node check is skipped). */
const knownNodes = (snapshot: Snapshot) => (snapshot.nodes.length > 0 ? snapshot.nodes : undefined);

/** The resolver's answers for the many Services of one snapshot (check -A). */
export interface Resolver {
  podsFor(service: Service): Pod[];
  slicesFor(service: Service): ResolvedSlices;
  /** explainPodEndpoints; `resolved` defaults to slicesFor. */
  explainPods(service: Service, resolved?: ResolvedSlices): PodEndpointExplanation[];
}

/**
 * podsForService, endpointSlicesFor and explainPodEndpoints for many Services of one
 * snapshot: slices and Endpoints are indexed by namespace and name, Pods by namespace and
 * label, each the first time it is needed, so each Service costs its own objects instead of a
 * scan of the whole snapshot. For one Service the functions above are cheaper (no index).
 */
export function resolverFor(snapshot: Snapshot): Resolver {
  const once = <T>(build: () => T) => {
    let value: T | undefined;
    return () => (value ??= build());
  };
  const slicesByService = once(() => groupBy(snapshot.endpointSlices, (s) => [keyOf(s.metadata?.namespace, s.metadata?.labels?.[SERVICE_NAME_LABEL])]));
  const endpointsByName = once(() => {
    const out = new Map<string, Endpoints>();
    for (const e of snapshot.endpoints) {
      const key = keyOf(e.metadata?.namespace, e.metadata?.name);
      if (!out.has(key)) out.set(key, e); // the first, as endpointSlicesFor's find
    }
    return out;
  });
  // A selector's candidates are the pods of its namespace that carry its first label.
  const podsByLabel = once(() =>
    groupBy(snapshot.pods, (p) => Object.entries(p.metadata?.labels ?? {}).map(([k, v]) => labelKey(p.metadata?.namespace, k, v))),
  );

  const podsFor = (service: Service): Pod[] => {
    const selector = service.spec?.selector;
    if (!hasSelector(selector)) return [];
    const [k, v] = Object.entries(selector!)[0]!;
    const candidates = podsByLabel().get(labelKey(service.metadata?.namespace, k, v)) ?? [];
    return candidates.filter((p) => serviceSelectorMatches(selector, p.metadata?.labels));
  };
  const slicesFor = (service: Service): ResolvedSlices => {
    const key = keyOf(service.metadata?.namespace, service.metadata?.name);
    return chooseSlices(snapshot, service, slicesByService().get(key) ?? [], endpointsByName().get(key), () => podsFor(service));
  };
  const explainPods = (service: Service, resolved = slicesFor(service)): PodEndpointExplanation[] =>
    podsFor(service).map((pod) => explainPod(service, pod, resolved.slices, knownNodes(snapshot)));
  return { podsFor, slicesFor, explainPods };
}

/** Items under each of their keys, in input order. */
function groupBy<T>(items: readonly T[], keys: (item: T) => string[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    for (const k of keys(item)) {
      const list = out.get(k);
      if (list) list.push(item);
      else out.set(k, [item]);
    }
  }
  return out;
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

export type PodEndpointReasonCode =
  | 'terminal'
  | 'no-ip'
  | 'node-not-found'
  | 'no-address-in-family'
  | 'not-in-slices'
  | 'not-ready'
  | 'terminating'
  | 'port-not-found';

export interface PodEndpointReason {
  code: PodEndpointReasonCode;
  /**
   * A short phrase for `describe`, read after "no: " (not an endpoint), "not ready: " or as a
   * note on a ready endpoint: e.g. `no IP yet (phase Pending)`, `Ready condition is False (ContainersNotReady)`.
   */
  message: string;
}

/** One selected Pod as `describe` shows it. */
export interface PodEndpointExplanation {
  pod: Pod;
  /** It appears as an endpoint in the service's slices (real, mirrored or derived). */
  endpoint: boolean;
  /** Conditions of its endpoint (all false when it is none; a missing condition reads as its default). */
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** The endpoint ports it carries (the service port name and the pod's port), in slice order. */
  ports: { name: string; port: number; protocol: string }[];
  /** Why it is no endpoint, is not ready, or lacks a port; empty for a ready endpoint on every port. */
  reasons: PodEndpointReason[];
}

/**
 * For each Pod the service selects (snapshot order): is it an endpoint of the service's
 * resolved slices (`resolved`, else resolved here), is it ready, and if not, why. The reasons
 * are the controller's rules applied to the Pod; when the slices disagree with them (an older
 * snapshot), it says so.
 */
export function explainPodEndpoints(snapshot: Snapshot, service: Service, resolved = endpointSlicesFor(snapshot, service)): PodEndpointExplanation[] {
  return podsForService(snapshot, service).map((pod) => explainPod(service, pod, resolved.slices, knownNodes(snapshot)));
}

function explainPod(service: Service, pod: Pod, slices: readonly EndpointSlice[], nodes: readonly Node[] | undefined): PodEndpointExplanation {
  const plan = planPodEndpoint(service, pod, nodes);
  const found = findPodEndpoints(slices, pod);
  const endpoint = found.length > 0;
  const ready = found.some(({ ep }) => ep.conditions?.ready ?? true);
  const serving = found.some(({ ep }) => ep.conditions?.serving ?? ep.conditions?.ready ?? true);
  const terminating = found.some(({ ep }) => ep.conditions?.terminating ?? false);
  const ports = dedupePorts(found.flatMap(({ slice }) => (slice.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port ?? 0, protocol: p.protocol ?? 'TCP' }))));

  const reasons: PodEndpointReason[] = [];
  if (!endpoint) {
    reasons.push(plan.exclusion ?? { code: 'not-in-slices', message: "not in the service's EndpointSlices (they may predate the pod)" });
  } else if (!ready) {
    reasons.push(notReadyReason(pod));
  }
  if (!plan.exclusion) reasons.push(...plan.missingPorts.map(portReason));
  return { pod, endpoint, ready: endpoint && ready, serving: endpoint && serving, terminating: endpoint && terminating, ports, reasons };
}

type SliceEndpoint = EndpointSlice['endpoints'][number];

/** The pod's endpoints: by targetRef, else by address (hand-written slices often lack targetRef). */
function findPodEndpoints(slices: readonly EndpointSlice[], pod: Pod): { slice: EndpointSlice; ep: SliceEndpoint }[] {
  const name = pod.metadata?.name;
  const ns = pod.metadata?.namespace;
  const ips = new Set(podIPs(pod));
  const out: { slice: EndpointSlice; ep: SliceEndpoint }[] = [];
  for (const slice of slices) {
    for (const ep of slice.endpoints ?? []) {
      const ref = ep.targetRef;
      const byRef = ref && (ref.kind ?? 'Pod') === 'Pod' && ref.name === name && (!ref.namespace || ref.namespace === ns);
      const byAddress = !ref && (ep.addresses ?? []).some((a) => ips.has(a));
      if (byRef || byAddress) out.push({ slice, ep });
    }
  }
  return out;
}

function notReadyReason(pod: Pod): PodEndpointReason {
  const deleted = pod.metadata?.deletionTimestamp;
  if (deleted) return { code: 'terminating', message: `terminating (deletion requested at ${deleted})` };
  const cond = podReadyCondition(pod);
  if (!cond) return { code: 'not-ready', message: 'no Ready condition yet' };
  return { code: 'not-ready', message: `Ready condition is ${cond.status}${cond.reason ? ` (${cond.reason})` : ''}` };
}

function portReason(m: MissingPort): PodEndpointReason {
  const which = m.name ? `port "${m.name}"` : 'the service port';
  return { code: 'port-not-found', message: `targetPort "${m.targetPort}" of ${which} matches no ${m.protocol} container port` };
}

function dedupePorts<T extends { name: string; port: number; protocol: string }>(ports: T[]): T[] {
  const seen = new Set<string>();
  return ports.filter((p) => {
    const k = `${p.name}/${p.port}/${p.protocol}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
