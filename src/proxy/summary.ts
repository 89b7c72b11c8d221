// What `describe`, `trace` and `rules -o json` need from a render, as plain data: per service
// port the chains kube-proxy actually declared for it on this node, the endpoints each
// balancing chain spreads new connections over (with each one's share and the conditional
// probability written on its rule); and, for `describe`, what kube-proxy writes for one
// service (chainView).
import type { IPFamily } from '../cluster/ip.js';
import type { Service, Snapshot } from '../cluster/types.js';
import type { ProxyConfig } from './config.js';
import type { ChainRole } from './line-writer.js';
import type { EndpointInfo } from './model.js';
import { createProbabilityFormatter } from './probability.js';
import { renderNode, type RenderResult, type RenderedServicePort } from './render.js';
import { serviceKey } from './service-ports.js';

export interface EndpointShare {
  /** "ip:port" ("[ip]:port" for IPv6) */
  endpoint: string;
  /** KUBE-SEP- chain */
  chain: string;
  /** The share of new connections it gets from this balancing chain: 1/n. */
  share: number;
  /** The --probability written on its rule (as kube-proxy formats it); absent on the last, unconditional rule. */
  probability?: string;
  local: boolean;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** The pod behind it, "ns/name", when known. */
  target?: string;
}

export interface ServicePortSummary {
  family: IPFamily;
  /** "ns/name:port" as kube-proxy prints it for the profile */
  servicePort: string;
  namespace: string;
  service: string;
  portName: string;
  protocol: string;
  clusterIP: string;
  port: number;
  nodePort?: number;
  externalIPs: string[];
  loadBalancerIPs: string[];
  /** The chains declared for this port on this node, by role (service: KUBE-SVC-, local: KUBE-SVL-, ...). */
  chains: Partial<Record<Exclude<ChainRole, 'endpoint'>, string>>;
  /** Endpoints the cluster-wide chain (KUBE-SVC-) balances over. */
  cluster: EndpointShare[];
  /** Endpoints the node-local chain (KUBE-SVL- / KUBE-XLB-) balances over, when a Local policy applies. */
  local?: EndpointShare[];
  /** ClientIP session affinity timeout, seconds. */
  affinitySeconds?: number;
  /** No usable endpoint at all: kube-proxy rejects (or drops) new connections. */
  noEndpoints: boolean;
  /** Topology hints narrowed `cluster` to the endpoints hinted for this node, or for its zone. */
  topology?: 'PreferSameNode' | 'PreferSameZone';
}

/** "33.3%": a share of new connections (1/n for n endpoints), as describe and annotations print it. */
export const formatShare = (share: number) => `${(share * 100).toFixed(1)}%`;

function shares(endpoints: readonly EndpointInfo[], probability: (n: number) => string): EndpointShare[] {
  const n = endpoints.length;
  return endpoints.map((e, i) => ({
    endpoint: e.endpoint,
    chain: e.chain,
    share: 1 / n,
    ...(i < n - 1 ? { probability: probability(n - i) } : {}),
    local: e.isLocal,
    ready: e.ready,
    serving: e.serving,
    terminating: e.terminating,
    ...(e.target ? { target: e.target } : {}),
  }));
}

/** Per service port of every family, in render order. */
export function servicePortSummaries(render: RenderResult): ServicePortSummary[] {
  const probability = createProbabilityFormatter(render.config.profile.switches.probabilityDecimals);
  const out: ServicePortSummary[] = [];
  for (const f of render.families) {
    const declared = new Map<string, Partial<Record<ChainRole, string>>>();
    for (const t of f.tables) {
      for (const c of t.chains) {
        if (!c.owner || !c.role || c.role === 'endpoint') continue;
        const key = c.owner.servicePort + '\0' + c.owner.protocol;
        declared.set(key, { ...declared.get(key), [c.role]: c.chain });
      }
    }
    for (const p of f.servicePorts) out.push(summarize(p, f.family, declared.get(p.owner.servicePort + '\0' + p.owner.protocol) ?? {}, probability));
  }
  return out;
}

function summarize(p: RenderedServicePort, family: IPFamily, chains: ServicePortSummary['chains'], probability: (n: number) => string): ServicePortSummary {
  const { info, categorized } = p;
  const localPolicy = info.externalPolicyLocal || info.internalPolicyLocal;
  return {
    family,
    servicePort: info.nameString,
    namespace: info.namespace,
    service: info.name,
    portName: info.portName,
    protocol: info.protocol,
    clusterIP: info.clusterIP,
    port: info.port,
    ...(info.nodePort ? { nodePort: info.nodePort } : {}),
    externalIPs: [...info.externalIPs],
    loadBalancerIPs: [...info.loadBalancerVIPs],
    chains,
    cluster: shares(categorized.cluster, probability),
    ...(localPolicy ? { local: shares(categorized.local, probability) } : {}),
    ...(info.affinitySeconds !== undefined ? { affinitySeconds: info.affinitySeconds } : {}),
    noEndpoints: !categorized.hasAnyEndpoints,
    ...(categorized.topology ? { topology: categorized.topology } : {}),
  };
}

export interface ChainView {
  /** "1.16" */
  proxyVersion: string;
  /** The node whose rules are modelled (it matters for Local traffic policies); unset when none is known. */
  nodeName?: string;
  /** The node's topology.kubernetes.io/zone label, when known (zone hints). */
  nodeZone?: string;
  /** kube-proxy's reason for writing nothing for the service (src/proxy/service-ports.ts skipReason). */
  skipped?: string;
  /** The service's ports as the model rendered them, every IP family. */
  ports: ServicePortSummary[];
}

/** What kube-proxy writes for this one service on the modelled node. */
export function chainView(snapshot: Snapshot, service: Service, config: ProxyConfig): ChainView {
  const render = renderNode(snapshot, config, { include: (s) => s === service });
  const key = serviceKey(service);
  const skipped = render.skipped.find((s) => s.service === key)?.reason;
  return {
    proxyVersion: config.profile.version,
    ...(config.nodeSource !== 'placeholder' ? { nodeName: config.nodeName } : {}),
    ...(config.nodeZone ? { nodeZone: config.nodeZone } : {}),
    ...(skipped ? { skipped } : {}),
    ports: servicePortSummaries(render),
  };
}
