// What a kube-proxy chain stands for, in one line: "service port ns/svc:web (172.30.85.132:8080/TCP),
// 3 endpoints", "endpoint 10.254.4.24:8080 (pod ns/pod) of ns/svc:web: ...". Two ways in:
//   - generated rules: the renderer knows every chain's service port and endpoint (its summaries);
//   - a node's dump: the rules' comments say it ("ns/svc:port cluster IP", "ns/svc:port -> ip:port",
//     "ns/svc:port" on SEP rules); 1.12-1.17 wrote no comment on SVC->SEP and SEP rules, so an
//     endpoint chain takes its service port from the chain that jumps to it and its endpoint from
//     its DNAT target.
// `rules` (annotations on a terminal) and `trace` (chain headings, DNAT targets) share this,
// and `trace` reads a dump's pod network here too (dumpClusterCIDRs).
import type { Snapshot } from '../cluster/types.js';
import { podIPs } from '../cluster/derive.js';
import type { Ruleset } from '../netfilter/model.js';
import { formatNatRange } from '../netfilter/ext/targets.js';
import { matchesOf, tableOf } from '../netfilter/query.js';
import type { ChainRole, RuleOwner } from './line-writer.js';
import { chainRole, joinHostPort } from './names.js';
import { canonicalIP, type IPFamily } from '../cluster/ip.js';
import type { RenderResult } from './render.js';
import { formatShare, type ServicePortSummary } from './summary.js';

export interface ChainNote {
  chain: string;
  role: ChainRole;
  /** "ns/name:port" as kube-proxy prints it */
  servicePort?: string;
  /** SEP chains: "ip:port" ("[ip]:port" for IPv6) */
  endpoint?: string;
  /** the pod behind the endpoint, "ns/name", when known */
  pod?: string;
  /** the node that pod runs on, when known */
  node?: string;
  /** the one-line description */
  text: string;
}

/** Where each endpoint address runs: the pod ("ns/name") and its node, from the snapshot. */
export type EndpointPods = ReadonlyMap<string, { pod?: string; node?: string }>;

export function endpointPods(snapshot: Pick<Snapshot, 'pods' | 'endpointSlices' | 'endpoints'> | undefined): EndpointPods {
  const out = new Map<string, { pod?: string; node?: string }>();
  // Keyed by the address as the rules write it (canonical, as the renderer's formatIP and the
  // dump's DNAT targets have it), not as the object spelled it ("010.0.0.1", "FD00::0001").
  const add = (ip: string, where: { pod?: string; node?: string }) => out.set(canonicalIP(ip) ?? ip, where);
  for (const ep of snapshot?.endpoints ?? []) {
    for (const sub of ep.subsets ?? []) {
      for (const a of [...(sub.addresses ?? []), ...(sub.notReadyAddresses ?? [])]) {
        const ref = a.targetRef?.kind === 'Pod' && a.targetRef.name ? `${a.targetRef.namespace ?? ep.metadata?.namespace ?? ''}/${a.targetRef.name}` : undefined;
        add(a.ip, { ...(ref ? { pod: ref } : {}), ...(a.nodeName ? { node: a.nodeName } : {}) });
      }
    }
  }
  for (const s of snapshot?.endpointSlices ?? []) {
    for (const e of s.endpoints ?? []) {
      const ref = e.targetRef?.kind === 'Pod' && e.targetRef.name ? `${e.targetRef.namespace ?? s.metadata?.namespace ?? ''}/${e.targetRef.name}` : undefined;
      for (const a of e.addresses ?? []) add(a, { ...(ref ? { pod: ref } : {}), ...(e.nodeName ? { node: e.nodeName } : {}) });
    }
  }
  for (const p of snapshot?.pods ?? []) {
    if (p.spec?.hostNetwork) continue; // a host-network pod shares the node's address
    const pod = `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
    for (const ip of podIPs(p)) add(ip, { pod, ...(p.spec?.nodeName ? { node: p.spec.nodeName } : {}) });
  }
  return out;
}

/** The address of an endpoint text: "10.0.0.1:80" -> "10.0.0.1", "[fd00::1]:80" -> "fd00::1". */
export const endpointHost = (endpoint: string): string => endpoint.replace(/^\[?(.*?)\]?:\d+$/, '$1');

const portWhere = (s: ServicePortSummary) => `${joinHostPort(s.clusterIP, s.port)}/${s.protocol.toUpperCase()}`;
const countText = (n: number) => (n === 1 ? '1 endpoint' : `${n} endpoints`);

/** Notes for every chain the render declared for one family, from its summaries (the render adds endpoints' nodes). */
export function notesFromRender(summaries: readonly ServicePortSummary[], family: IPFamily, render?: RenderResult): Map<string, ChainNote> {
  const notes = new Map<string, ChainNote>();
  const nodes = new Map<string, string>();
  for (const f of render?.families ?? []) {
    if (f.family !== family) continue;
    for (const p of f.servicePorts) for (const e of p.endpoints) if (e.nodeName) nodes.set(`${p.owner.servicePort}\0${e.endpoint}`, e.nodeName);
  }
  for (const s of summaries) {
    if (s.family !== family) continue;
    const hinted = s.topology ? ` (topology hints: ${s.topology})` : '';
    const text = `service port ${s.servicePort} (${portWhere(s)}${s.nodePort ? `, node port ${s.nodePort}` : ''}), ${countText(s.cluster.length)}${hinted}`;
    for (const [role, chain] of Object.entries(s.chains) as [ChainRole, string][]) notes.set(chain, { chain, role, servicePort: s.servicePort, text });
    for (const [list, label] of [[s.cluster, 'cluster'], [s.local ?? [], 'local']] as const) {
      list.forEach((e, i) => {
        const node = nodes.get(`${s.servicePort}\0${e.endpoint}`);
        notes.set(e.chain, {
          chain: e.chain,
          role: 'endpoint',
          servicePort: s.servicePort,
          endpoint: e.endpoint,
          ...(e.target ? { pod: e.target } : {}),
          ...(node ? { node } : {}),
          text: `endpoint ${e.endpoint}${e.target ? ` (pod ${e.target})` : ''} of ${s.servicePort}: ${label} endpoint ${i + 1} of ${list.length}, ${formatShare(e.share)} of new connections`,
        });
      });
    }
  }
  return notes;
}

/** The note `rules` prints above a chain's run of lines in a service's output. */
export function ruleLineNote(notes: ReadonlyMap<string, ChainNote>, chain: string, owner: RuleOwner): string {
  const note = notes.get(chain);
  const role = chainRole(chain);
  if (role === 'endpoint') return `${chain}: ${note?.text ?? `endpoint ${owner.endpoint ?? ''} of ${owner.servicePort}`}`;
  if (role) return `${chain}: ${note?.text ?? `service port ${owner.servicePort}`}`;
  return `${chain} (shared): the lines for ${owner.servicePort}`;
}


/** The service port a kube-proxy comment names: its first word shaped "namespace/name[:port]". */
export function servicePortOfComment(comment: string): string | undefined {
  return comment.split(' ').find((w) => /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[-a-z0-9]*)?$/.test(w));
}

interface DumpChainFacts {
  servicePort?: string;
  endpoint?: string;
  /** "cluster IP" capture rule: address:port/PROTO */
  where?: string;
  /** endpoint chains this chain balances over */
  endpoints: Set<string>;
}

/** Notes for the kube-proxy chains of a node's dump (nat table), from its comments and DNAT targets. */
export function notesFromDump(ruleset: Ruleset, pods?: EndpointPods): Map<string, ChainNote> {
  const nat = tableOf(ruleset, 'nat');
  const facts = new Map<string, DumpChainFacts>();
  const factsOf = (chain: string) => {
    let f = facts.get(chain);
    if (!f) facts.set(chain, (f = { endpoints: new Set() }));
    return f;
  };
  const chains = nat?.chains ?? [];
  for (const c of chains) if (chainRole(c.name)) factsOf(c.name);
  for (const c of chains) {
    for (const r of c.rules) {
      const comment = matchesOf(r, 'comment')[0]?.comment;
      const sp = comment ? servicePortOfComment(comment) : undefined;
      const target = r.target?.kind === 'chain' ? r.target.name : undefined;
      if (sp && chainRole(c.name) && !factsOf(c.name).servicePort) factsOf(c.name).servicePort = sp;
      if (target && chainRole(target)) {
        const t = factsOf(target);
        if (sp && !t.servicePort) t.servicePort = sp;
        if (chainRole(target) === 'endpoint' && chainRole(c.name)) factsOf(c.name).endpoints.add(target);
        const arrow = comment ? / -> (\S+)$/.exec(comment)?.[1] : undefined;
        if (arrow && chainRole(target) === 'endpoint') t.endpoint = arrow;
        if (comment?.endsWith(' cluster IP') && r.destination) {
          const dport = matchesOf(r, 'tcp')[0]?.dport ?? matchesOf(r, 'udp')[0]?.dport ?? matchesOf(r, 'sctp')[0]?.dport;
          const proto = r.protocol ? { 6: 'TCP', 17: 'UDP', 132: 'SCTP' }[r.protocol.value] : undefined;
          const ip = r.destination.value.address;
          if (dport && proto) t.where = `${joinHostPort(ip, dport.value.from)}/${proto}`;
        }
      }
      if (chainRole(c.name) === 'endpoint' && r.target?.kind === 'extension' && r.target.name === 'DNAT' && r.target.ranges[0]) {
        factsOf(c.name).endpoint ??= formatNatRange(r.target.ranges[0], ruleset.family);
      }
    }
  }
  // 1.12-1.17: SEP rules carry no comment; they belong to the service port whose chain jumps to them.
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of chains) {
      const sp = facts.get(c.name)?.servicePort;
      if (!sp || !chainRole(c.name)) continue;
      for (const r of c.rules) {
        const t = r.target?.kind === 'chain' ? facts.get(r.target.name) : undefined;
        if (t && !t.servicePort) {
          t.servicePort = sp;
          changed = true;
        }
      }
    }
  }
  const notes = new Map<string, ChainNote>();
  for (const [chain, f] of facts) {
    const role = chainRole(chain)!;
    if (!f.servicePort) continue;
    if (role === 'endpoint') {
      const where = f.endpoint ? pods?.get(endpointHost(f.endpoint)) : undefined;
      notes.set(chain, {
        chain, role, servicePort: f.servicePort,
        ...(f.endpoint ? { endpoint: f.endpoint } : {}),
        ...(where?.pod ? { pod: where.pod } : {}),
        ...(where?.node ? { node: where.node } : {}),
        text: `endpoint ${f.endpoint ?? '(no DNAT rule)'}${where?.pod ? ` (pod ${where.pod})` : ''} of ${f.servicePort}`,
      });
    } else {
      const n = f.endpoints.size;
      notes.set(chain, { chain, role, servicePort: f.servicePort, text: `service port ${f.servicePort}${f.where ? ` (${f.where})` : ''}${n > 0 ? `, ${countText(n)}` : ''}` });
    }
  }
  return notes;
}

/**
 * The pod network a node dump's kube-proxy rules name: the `! -s CIDR` of the rules that mark
 * traffic from outside it for masquerading (kube-proxy's ClusterCIDR local-traffic detector).
 */
export function dumpClusterCIDRs(ruleset: Ruleset): string[] {
  const counts = new Map<string, number>();
  for (const c of tableOf(ruleset, 'nat')?.chains ?? []) {
    for (const r of c.rules) {
      if (r.target?.kind !== 'chain' || r.target.name !== 'KUBE-MARK-MASQ' || !r.source?.negated || r.source.value.prefix === null) continue;
      const cidr = `${r.source.value.address}/${r.source.value.prefix}`;
      counts.set(cidr, (counts.get(cidr) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c]) => c);
}
