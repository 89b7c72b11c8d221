// Endpoints as kube-proxy's EndpointSliceCache builds them for one service port, and the
// choice of which of them a node uses (CategorizeEndpoints, pkg/proxy/topology.go).
import type { EndpointSlice } from '../cluster/types.js';
import { formatIP, parseIP, type IPFamily } from '../cluster/ip.js';
import type { CategorizedEndpoints, EndpointInfo, PortEndpoint, ServicePortInfo } from './model.js';
import { endpointChain, joinHostPort } from './names.js';
import type { ProfileSwitches } from './profiles.js';
import { isPortNumber, policyChainsUsed } from './service-ports.js';
import type { Warn } from './warnings.js';
import { goCompare } from '../cluster/go-order.js';


/**
 * The endpoints of one service port from its slices: addresses of this family, on a slice
 * port with the same name and protocol; one per "ip:port" (a non-terminating endpoint wins
 * over a terminating duplicate). Ordered as kube-proxy orders them: by "ip:port" string
 * (EndpointSlice proxying, 1.19+) or, before, by IP as the Endpoints object lists them.
 */
export function endpointsForPort(
  slices: readonly EndpointSlice[],
  sp: ServicePortInfo,
  family: IPFamily,
  nodeName: string,
  sw: ProfileSwitches,
  warn: Warn,
): PortEndpoint[] {
  const wantType = family === 4 ? 'IPv4' : 'IPv6';
  const byEndpoint = new Map<string, PortEndpoint>();
  for (const slice of slices) {
    if (slice.addressType !== wantType) continue;
    for (const port of slice.ports ?? []) {
      if ((port.name ?? '') !== sp.portName) continue;
      if ((port.protocol ?? 'TCP').toLowerCase() !== sp.protocol) continue;
      if (!port.port) continue; // kube-proxy: "Ignoring invalid endpoint port"
      if (!isPortNumber(port.port)) {
        warn({ service: `${sp.namespace}/${sp.name}`, message: `endpoint port ${port.port} is out of range (0-65535); its endpoints are skipped` });
        continue;
      }
      for (const ep of slice.endpoints ?? []) {
        const address = ep.addresses?.[0];
        if (address === undefined) continue;
        const ip = parseIP(address);
        if (!ip || ip.family !== family) {
          warn({ service: `${sp.namespace}/${sp.name}`, message: `endpoint address "${address}" is not an ${wantType} address; skipped` });
          continue;
        }
        const ready = ep.conditions?.ready ?? true;
        // The Endpoints-era proxier (<= 1.18) only ever saw ready addresses.
        if (sw.endpointSource === 'endpoints' && !ready) continue;
        const text = formatIP(ip);
        const endpoint = joinHostPort(text, port.port);
        const terminating = ep.conditions?.terminating ?? false;
        if (byEndpoint.has(endpoint) && terminating) continue;
        const target = ep.targetRef?.name ? `${ep.targetRef.namespace ?? slice.metadata?.namespace ?? ''}/${ep.targetRef.name}` : undefined;
        byEndpoint.set(endpoint, {
          ip: text,
          port: port.port,
          endpoint,
          isLocal: nodeName !== '' && ep.nodeName === nodeName,
          ready,
          serving: ep.conditions?.serving ?? true,
          terminating,
          zoneHints: (ep.hints?.forZones ?? []).map((z) => z.name),
          nodeHints: (ep.hints?.forNodes ?? []).map((n) => n.name),
          ...(ep.nodeName ? { nodeName: ep.nodeName } : {}),
          ...(target ? { target } : {}),
        });
      }
    }
  }
  const list = [...byEndpoint.values()];
  if (sw.endpointSource === 'endpoints') return list.sort((a, b) => goCompare(a.ip, b.ip) || a.port - b.port);
  return list.sort((a, b) => goCompare(a.endpoint, b.endpoint));
}

/**
 * Names the endpoints' KUBE-SEP- chains, in place: the list must be endpointsForPort's own,
 * fresh for this render. Apart from endpointsForPort because a render of one service still
 * counts every port's endpoints (large-cluster mode) but names only its own: a sha256 per
 * endpoint of the cluster was a quarter of `describe` on a large one. In place because a copy
 * per endpoint made a full render some 15% slower.
 */
export function nameEndpointChains(sp: ServicePortInfo, endpoints: PortEndpoint[]): EndpointInfo[] {
  for (const e of endpoints) (e as EndpointInfo).chain = endpointChain(sp.nameString, sp.protocol, e.endpoint);
  return endpoints as EndpointInfo[];
}

/** topology.go's modes: "" (every endpoint), PreferSameNode, PreferSameZone. */
export type TopologyMode = '' | 'PreferSameNode' | 'PreferSameZone';

/** Whether the service's hints annotation lets this era's kube-proxy use hints at all. */
function hintsAllowed(sp: ServicePortInfo, sw: ProfileSwitches): boolean {
  const a = sp.topologyAnnotation ?? '';
  switch (sw.topologyHints) {
    case 'none':
      return false;
    case 'annotation-auto':
      return a === 'Auto' || a === 'auto';
    case 'annotation':
      return a !== '' && a !== 'disabled' && a !== 'Disabled';
    case 'hints':
      return true;
  }
}

/**
 * topologyModeFromHints (pkg/proxy/topology.go), over ready endpoints only: node hints when every
 * one carries some and one names this node (1.34+), else zone hints when every one carries some
 * and one names this node's zone, else none. The eras before 1.31 also needed the annotation.
 */
export function topologyModeFor(sp: ServicePortInfo, endpoints: readonly PortEndpoint[], nodeName: string, zone: string | undefined, sw: ProfileSwitches): TopologyMode {
  if (!hintsAllowed(sp, sw)) return '';
  let allNodeHints = true;
  let forThisNode = false;
  let allZoneHints = true;
  let forThisZone = false;
  for (const e of endpoints) {
    if (!e.ready) continue;
    if (e.nodeHints.length === 0) allNodeHints = false;
    else if (e.nodeHints.includes(nodeName)) forThisNode = true;
    if (e.zoneHints.length === 0) allZoneHints = false;
    else if (zone && e.zoneHints.includes(zone)) forThisZone = true;
  }
  if (sw.nodeHints && allNodeHints && forThisNode) return 'PreferSameNode';
  if (allZoneHints && forThisZone) return 'PreferSameZone';
  return '';
}

function availableForTopology(e: PortEndpoint, mode: TopologyMode, nodeName: string, zone: string | undefined): boolean {
  if (mode === 'PreferSameNode') return e.nodeHints.includes(nodeName);
  if (mode === 'PreferSameZone') return zone !== undefined && e.zoneHints.includes(zone);
  return true;
}

/**
 * Which endpoints this node uses for a service port. For the 1.24+ profiles this is
 * CategorizeEndpoints; before, kube-proxy used every ready endpoint, the node-local ready ones
 * for externalTrafficPolicy Local, and (1.22-1.23) only local ones for internalTrafficPolicy Local.
 */
export function categorizeEndpoints(
  sp: ServicePortInfo,
  endpoints: readonly EndpointInfo[],
  sw: ProfileSwitches,
  node: { name: string; zone?: string | undefined },
): CategorizedEndpoints {
  if (sw.externalModel === 'xlb') {
    let ready = endpoints.filter((e) => e.ready);
    if (sw.internalTrafficPolicy === 'filter-endpoints' && sp.internalPolicyLocal) ready = ready.filter((e) => e.isLocal);
    const local = sp.externalPolicyLocal ? ready.filter((e) => e.isLocal) : [];
    return { cluster: ready, local, reachable: ready, hasAnyEndpoints: ready.length > 0 };
  }

  const { usesCluster, usesLocal } = policyChainsUsed(sp);
  let cluster: EndpointInfo[] = [];
  let local: EndpointInfo[] = [];
  let hasAnyEndpoints = false;
  let topology: TopologyMode = '';
  let usedTerminating = false;

  if (usesCluster) {
    topology = topologyModeFor(sp, endpoints, node.name, node.zone, sw);
    cluster = endpoints.filter((e) => e.ready && availableForTopology(e, topology, node.name, node.zone));
    if (cluster.length === 0 && sw.terminatingFallback) cluster = endpoints.filter((e) => e.serving && e.terminating);
    if (cluster.length > 0) hasAnyEndpoints = true;
  }
  const hints = topology === '' ? {} : { topology };
  if (!usesLocal) return { cluster, local, reachable: cluster, hasAnyEndpoints, ...hints };

  let localReady = false;
  let localServingTerminating = false;
  for (const e of endpoints) {
    if (e.ready) {
      hasAnyEndpoints = true;
      if (e.isLocal) localReady = true;
    } else if (sw.terminatingFallback && e.serving && e.terminating) {
      hasAnyEndpoints = true;
      if (e.isLocal) localServingTerminating = true;
    }
  }
  if (localReady) {
    local = endpoints.filter((e) => e.isLocal && e.ready);
  } else if (localServingTerminating) {
    usedTerminating = true;
    local = endpoints.filter((e) => e.isLocal && e.serving && e.terminating);
  }
  if (!usesCluster) return { cluster, local, reachable: local, hasAnyEndpoints };
  if (topology === '' && !usedTerminating) return { cluster, local, reachable: cluster, hasAnyEndpoints };
  // kube-proxy merges the two lists through a Go map (unordered); keep kube-proxy's endpoint order.
  const merged = new Set([...cluster, ...local]);
  return { cluster, local, reachable: endpoints.filter((e) => merged.has(e)), hasAnyEndpoints, ...hints };
}
