// What the renderer works on: kube-proxy's view of one node, per IP family. Built from the
// snapshot by service-ports.ts and endpoints.ts, the way pkg/proxy's change trackers build
// ServicePortMap and EndpointsMap.
import type { IP, IPFamily } from '../cluster/ip.js';

export type Protocol = 'tcp' | 'udp' | 'sctp';

/** The chains of one service port; all but SEP share one hash of "NAME" + protocol. */
export interface ServicePortChains {
  /** KUBE-SVC-: balances over cluster-wide endpoints */
  svc: string;
  /** KUBE-SVL-: balances over node-local endpoints (1.24+) */
  svl: string;
  /** KUBE-EXT-: external destinations (1.24+) */
  ext: string;
  /** KUBE-FW-: load-balancer source ranges */
  fw: string;
  /** KUBE-XLB-: externalTrafficPolicy Local (up to 1.23) */
  xlb: string;
}

export interface ServicePortInfo {
  namespace: string;
  name: string;
  /** spec.ports[].name ("" when unnamed) */
  portName: string;
  protocol: Protocol;
  /** "ns/name:port", as kube-proxy prints it for this profile */
  nameString: string;
  chains: ServicePortChains;
  clusterIP: string;
  port: number;
  nodePort: number;
  externalIPs: string[];
  loadBalancerVIPs: string[];
  /** loadBalancerSourceRanges of this family: as written after -s in the FW chain, and the test for the node IP. */
  sourceRanges: Array<{ text: string; contains(ip: IP): boolean }>;
  /** ClientIP affinity timeout in seconds, when sessionAffinity is ClientIP. */
  affinitySeconds?: number;
  externalPolicyLocal: boolean;
  internalPolicyLocal: boolean;
  healthCheckNodePort: number;
  /** The hints annotation kube-proxy reads: topology-aware-hints, else (>= 1.27) topology-mode. */
  topologyAnnotation?: string;
}

/** An endpoint of a service port as the EndpointSliceCache holds it, before its chain is named. */
export interface PortEndpoint {
  ip: string;
  port: number;
  /** "ip:port" or "[ip]:port" */
  endpoint: string;
  isLocal: boolean;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  zoneHints: string[];
  /** hints.forNodes (PreferSameNode traffic distribution). */
  nodeHints: string[];
  nodeName?: string;
  /** The pod behind it, when known: "ns/name". */
  target?: string;
}

export interface EndpointInfo extends PortEndpoint {
  /** KUBE-SEP- chain */
  chain: string;
}

/** A service port as it ends up on this node, for annotations, describe and the tracer. */
export interface CategorizedEndpoints {
  cluster: EndpointInfo[];
  local: EndpointInfo[];
  /** Endpoints that get a SEP chain on this node. */
  reachable: EndpointInfo[];
  hasAnyEndpoints: boolean;
  /** Set when topology hints narrowed the cluster endpoints (topology.go topologyModeFromHints). */
  topology?: 'PreferSameNode' | 'PreferSameZone';
}

export type { IPFamily };
