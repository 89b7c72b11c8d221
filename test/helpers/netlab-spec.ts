// From a scenario (the rules a node holds, its addresses, its pod network, the packets to send)
// to the lab that can play it: every DNAT target becomes a pod with a listener at that
// address:port; each probe source becomes the node (its addresses, loopback), a pod (in the pod
// network) or an external client; each destination gets a listener where it lives (node, pod, or
// the world behind the node's default route), so that a packet left unchanged is answered too.
// Probes the lab cannot play are returned with the reason instead.
import { parseRuleset, type Family, type NatTarget } from '../../src/netfilter/index.js';
import { canonical, familyOf, inCidr, isLoopback } from './netlab-addr.js';
import type { Bind, LabSpec, ProbeProtocol } from './netlab.js';

export interface ScenarioProbe {
  readonly source: string;
  readonly destination: string;
  readonly port: number;
  readonly protocol: ProbeProtocol | 'sctp';
}

export interface LabScenario {
  /** the rules as loaded into the node (iptables-save or -restore text), one text per family */
  readonly rules: readonly { family: Family; text: string }[];
  /** the node's InternalIP addresses with prefix (192.168.0.2/24) */
  readonly nodeAddresses: readonly string[];
  /** where pods live (a probe source there is a pod on the node) */
  readonly podCidrs: readonly string[];
  /** the node's address on the pod links, per family */
  readonly podGateways: readonly string[];
  readonly probes: readonly ScenarioProbe[];
  /** more addresses to give the external client (e.g. many clients for affinity) */
  readonly extraExternalClients?: readonly string[];
}

export interface LabPlan {
  readonly spec: LabSpec;
  /** probe index -> why the lab cannot play it */
  readonly unplayable: ReadonlyMap<number, string>;
}

/** ip:port of every DNAT target in the rules. */
export function dnatTargets(rules: LabScenario['rules']): Bind[] {
  const out: Bind[] = [];
  for (const { family, text } of rules) {
    for (const table of parseRuleset(text, { family }).tables) {
      for (const chain of table.chains) {
        for (const rule of chain.rules) {
          const t = rule.target;
          if (t?.kind !== 'extension' || t.name !== 'DNAT') continue;
          for (const r of (t as NatTarget).ranges) {
            if (r.addrFrom !== undefined && r.portFrom !== undefined) out.push({ address: canonical(r.addrFrom), port: r.portFrom });
          }
        }
      }
    }
  }
  return out;
}

export function planLab(s: LabScenario): LabPlan {
  const nodeOwn = new Set([...s.nodeAddresses.map((c) => canonical(c.split('/')[0]!)), ...s.podGateways.map(canonical)]);
  const isNode = (a: string) => isLoopback(a) || nodeOwn.has(canonical(a));
  const isPodNet = (a: string) => s.podCidrs.some((c) => inCidr(a, c));

  const listen: Bind[] = dnatTargets(s.rules);
  const pods = new Set(listen.map((b) => b.address));
  const external = new Set<string>((s.extraExternalClients ?? []).map(canonical));
  const world = new Set<string>();
  const unplayable = new Map<number, string>();

  // Sources first: a source address decides which namespace a probe runs in.
  s.probes.forEach((p, i) => {
    if (p.protocol === 'sctp') return unplayable.set(i, 'Node.js has no SCTP sockets');
    const src = canonical(p.source);
    if (familyOf(src) !== familyOf(p.destination)) return unplayable.set(i, 'source and destination of different families');
    if (src === canonical(p.destination) && !isNode(src)) return unplayable.set(i, `source ${src} is its own destination outside the node: the packet would never leave its namespace`);
    if (isNode(src)) return;
    if (pods.has(src) || isPodNet(src)) pods.add(src);
    else external.add(src);
  });
  s.probes.forEach((p, i) => {
    if (unplayable.has(i)) return;
    const dst = canonical(p.destination);
    if (!isNode(dst) && !pods.has(dst)) {
      if (external.has(dst)) return unplayable.set(i, `destination ${dst} is also an external client's address in this lab`);
      world.add(dst);
    }
    listen.push({ address: dst, port: p.port });
  });
  const spec: LabSpec = {
    nodeAddresses: s.nodeAddresses,
    podGateways: s.podGateways,
    pods: [...pods].map((a) => [a]),
    externalClients: [...external],
    worldAddresses: [...world],
    listen,
  };
  return { spec, unplayable };
}
