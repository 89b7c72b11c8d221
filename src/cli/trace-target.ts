// `trace --to` and `--from`: what the user wrote, and the packet's addresses it stands for.
//   --to   IP:PORT, [IPv6]:PORT, svc/NAME[:PORT], NAME.NS.svc[.cluster.local][:PORT]
//   --from IP, pod/NAME, node; absent: a pod on the node (an unused address of the pod network)
// Names are looked up in the snapshot; addresses need none, so a dump trace can run offline.
import { NotFoundError, UsageError } from '../errors.js';
import { podIPs } from '../cluster/derive.js';
import type { Pod, Snapshot } from '../cluster/types.js';
import { formatAddress, parseAddress, parseIPv4Strict, parseIPv6 } from '../netfilter/addr.js';
import type { Family, Ruleset } from '../netfilter/model.js';
import { tableOf } from '../netfilter/query.js';
import type { TraceProtocol } from '../netfilter/trace.js';

export type ToSpec =
  | { kind: 'address'; address: string; family: Family; port: number }
  | { kind: 'service'; name: string; namespace?: string; port?: string; text: string };

export type FromSpec = { kind: 'address'; address: string; family: Family } | { kind: 'node' } | { kind: 'pod'; name: string } | { kind: 'default' };

/** An IP address as the user typed it, canonical, or null. */
export function parseIP(text: string): { address: string; family: Family } | null {
  const v4 = parseIPv4Strict(text);
  if (v4 !== null) return { address: formatAddress(BigInt(v4), 'ipv4'), family: 'ipv4' };
  const v6 = text.includes(':') ? parseIPv6(text) : null;
  if (v6 !== null) return { address: formatAddress(v6, 'ipv6'), family: 'ipv6' };
  return null;
}

function portNumber(text: string, flag: string, whole: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} ${whole}: "${text}" is not a port number`);
  const n = Number(text);
  if (n < 1 || n > 65535) throw new UsageError(`${flag} ${whole}: port ${text} is out of range (1-65535)`);
  return n;
}

const SERVICE_PREFIX = /^(svc|service|services)\//;
const SERVICE_DNS = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.[a-z0-9.-]+)?$/;

export function parseTo(text: string): ToSpec {
  const t = text.trim();
  if (SERVICE_PREFIX.test(t)) {
    const rest = t.replace(SERVICE_PREFIX, '');
    const [name, port] = rest.split(':', 2) as [string, string | undefined];
    if (!name) throw new UsageError(`--to ${text}: no service name`);
    return { kind: 'service', name, ...(port ? { port } : {}), text: t };
  }
  // [IPv6]:PORT, IPv4:PORT, or NAME.NS.svc...[:PORT]
  let host = t;
  let port: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(t);
  if (bracket) [host, port] = [bracket[1]!, bracket[2]];
  else if (t.split(':').length === 2) [host, port] = t.split(':') as [string, string];
  const dns = SERVICE_DNS.exec(host);
  if (dns) return { kind: 'service', name: dns[1]!, namespace: dns[3]!, ...(port ? { port } : {}), text: t };
  const ip = parseIP(host);
  if (!ip) throw new UsageError(`--to ${text}: "${host}" is not an IP address (use IP:PORT, svc/NAME[:PORT] or NAME.NAMESPACE.svc[:PORT])`);
  if (port === undefined || port === '') {
    throw new UsageError(`--to ${text}: give the port too, e.g. ${ip.family === 'ipv6' ? `[${ip.address}]:80` : `${ip.address}:80`}`);
  }
  return { kind: 'address', address: ip.address, family: ip.family, port: portNumber(port, '--to', text) };
}

export function parseFrom(text: string | undefined): FromSpec {
  if (text === undefined) return { kind: 'default' };
  const t = text.trim();
  if (t === 'node') return { kind: 'node' };
  const pod = /^(pod|pods|po)\/(.+)$/.exec(t);
  if (pod) return { kind: 'pod', name: pod[2]! };
  const ip = parseIP(t);
  if (!ip) throw new UsageError(`--from ${text}: not an IP address, pod/NAME or node`);
  return { kind: 'address', ...ip };
}

export function parseProtocol(text: string | undefined): TraceProtocol {
  const p = (text ?? 'tcp').toLowerCase();
  if (p !== 'tcp' && p !== 'udp' && p !== 'sctp') throw new UsageError(`--proto ${text}: use tcp, udp or sctp`);
  return p;
}

/** --affinity new | pinned | pinned=IP:PORT */
export function parseAffinity(text: string | undefined): { mode: 'new' | 'pinned'; endpoint?: string } {
  const t = (text ?? 'new').trim();
  if (t === 'new' || t === 'pinned') return { mode: t };
  const m = /^pinned=(.+)$/.exec(t);
  if (m) {
    const to = parseTo(m[1]!);
    if (to.kind !== 'address') throw new UsageError(`--affinity ${text}: name the endpoint as IP:PORT`);
    return { mode: 'pinned', endpoint: to.family === 'ipv6' ? `[${to.address}]:${to.port}` : `${to.address}:${to.port}` };
  }
  throw new UsageError(`--affinity ${text}: use new, pinned or pinned=IP:PORT`);
}

export interface ServiceTarget {
  address: string;
  family: Family;
  port: number;
  protocol: TraceProtocol;
  /** "ns/name", the port's name or number, for the output */
  service: string;
  portLabel: string;
  /** what was chosen for the user, to print as a note */
  note?: string;
}

const portText = (p: { name?: string; port: number; protocol?: string }) => `${p.name ? `${p.name} ` : ''}${p.port}/${p.protocol ?? 'TCP'}`;

/** A service's cluster IP and port, as `--to svc/NAME[:PORT]` means it. */
export function resolveService(snapshot: Snapshot, to: Extract<ToSpec, { kind: 'service' }>, namespace: string, proto: TraceProtocol | undefined): ServiceTarget {
  const ns = to.namespace ?? namespace;
  const svc = snapshot.services.find((s) => s.metadata?.name === to.name && (s.metadata?.namespace ?? '') === ns);
  if (!svc) throw new NotFoundError('services', to.name);
  const key = `${ns}/${to.name}`;
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') throw new UsageError(`service ${key} is ExternalName (${spec.externalName ?? ''}): DNS answers with a CNAME, kube-proxy writes no rules to trace`);
  const ip = spec.clusterIPs?.[0] ?? spec.clusterIP;
  if (!ip || ip === 'None') throw new UsageError(`service ${key} is headless (clusterIP: None): it has no cluster IP; trace one of its endpoints' addresses instead`);
  const parsed = parseIP(ip);
  if (!parsed) throw new UsageError(`service ${key} has an invalid cluster IP "${ip}"`);
  const ports = spec.ports ?? [];
  if (ports.length === 0) throw new UsageError(`service ${key} has no ports`);
  const listing = ports.map(portText).join(', ');
  const byProto = (p: (typeof ports)[number]) => !proto || (p.protocol ?? 'TCP').toLowerCase() === proto;
  let chosen: (typeof ports)[number] | undefined;
  let note: string | undefined;
  if (to.port !== undefined) {
    const matching = ports.filter((p) => p.name === to.port || String(p.port) === to.port);
    chosen = matching.find(byProto) ?? matching[0];
    if (!chosen) throw new UsageError(`service ${key} has no port "${to.port}" (ports: ${listing})`);
  } else {
    chosen = ports.find(byProto) ?? ports[0]!;
    if (ports.length > 1) note = `service ${key} has ${ports.length} ports (${listing}): tracing ${portText(chosen)}; add :PORT to choose`;
  }
  return {
    address: parsed.address,
    family: parsed.family,
    port: chosen.port,
    protocol: (chosen.protocol ?? 'TCP').toLowerCase() as TraceProtocol,
    service: key,
    portLabel: chosen.name || String(chosen.port),
    ...(note ? { note } : {}),
  };
}

/** `--from pod/NAME`: its address (of the wanted family) and node. */
export function resolvePod(snapshot: Snapshot, name: string, namespace: string, family: Family | undefined): { pod: Pod; address: string; family: Family } {
  const pod = snapshot.pods.find((p) => p.metadata?.name === name && (p.metadata?.namespace ?? '') === namespace);
  if (!pod) throw new NotFoundError('pods', name);
  const ips = podIPs(pod).map(parseIP).filter((x): x is NonNullable<ReturnType<typeof parseIP>> => x !== null);
  const ip = ips.find((x) => !family || x.family === family) ?? ips[0];
  if (!ip) throw new UsageError(`pod ${namespace}/${name} has no IP address (status.podIP is empty: is it running?)`);
  return { pod, ...ip };
}

/**
 * A pod address nobody uses in the first of `cidrs` of the family: from the network's third
 * address up (the first host address is often the node's gateway), skipping every pod and
 * endpoint address the snapshot knows. Deterministic.
 */
export function unusedPodAddress(cidrs: readonly string[], family: Family, used: ReadonlySet<string>): { address: string; cidr: string } | undefined {
  for (const cidr of cidrs) {
    const [net, len] = cidr.split('/');
    const base = parseAddress(net ?? '', family);
    const prefix = Number(len);
    if (base === null || !Number.isInteger(prefix)) continue;
    const width = family === 'ipv4' ? 32 : 128;
    const size = 1n << BigInt(width - prefix);
    for (let i = 2n; i < size - 1n && i < 100_002n; i++) {
      const address = formatAddress(base + i, family);
      if (!used.has(address)) return { address, cidr };
    }
  }
  return undefined;
}

/** Every pod and endpoint address the snapshot holds, canonical. */
export function usedAddresses(snapshot: Snapshot | undefined): Set<string> {
  const out = new Set<string>();
  const add = (ip: string | undefined) => {
    const p = ip ? parseIP(ip) : null;
    if (p) out.add(p.address);
  };
  for (const p of snapshot?.pods ?? []) podIPs(p).forEach(add);
  for (const s of snapshot?.endpointSlices ?? []) for (const e of s.endpoints ?? []) (e.addresses ?? []).forEach(add);
  for (const e of snapshot?.endpoints ?? []) for (const sub of e.subsets ?? []) for (const a of [...(sub.addresses ?? []), ...(sub.notReadyAddresses ?? [])]) add(a.ip);
  return out;
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
