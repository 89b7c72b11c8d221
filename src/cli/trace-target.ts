// `trace --to` and `--from`: what the user wrote, and the packet's addresses it stands for.
//   --to   IP:PORT, [IPv6]:PORT, svc/NAME[:PORT], NAME.NS.svc[.cluster.local][:PORT]
//   --from IP, pod/NAME, node; absent: a pod on the node (an unused address of the pod network)
// Names are looked up in the snapshot (src/cluster/lookup.ts); addresses need none, so a dump
// trace can run offline. Addresses the user types are read as the tracer reads a packet's
// (inet_pton); addresses from API objects as Kubernetes reads them (src/cluster/ip.ts).
import { UsageError } from '../errors.js';
import { familyOfText, type IPFamily } from '../cluster/ip.js';
import { findPod, findService, nodePodSubnets, objectAddress, podAddresses, podWithAddress, unusedAddress, usedAddresses } from '../cluster/lookup.js';
import type { Pod, Snapshot } from '../cluster/types.js';
import { dumpClusterCIDRs } from '../proxy/annotate.js';
import type { ProxyConfig } from '../proxy/config.js';
import { addressIn, formatAddress, hostPort, parseAddressMask, parseAddressStrict } from '../netfilter/addr.js';
import type { Family, Ruleset } from '../netfilter/model.js';
import type { TraceProtocol } from '../netfilter/trace.js';
import { isLocalAddress } from '../netfilter/trace-state.js';

/** "IPv4" / "IPv6", for messages. */
export const familyWord = (f: Family) => (f === 'ipv4' ? 'IPv4' : 'IPv6');

/** The tracer's name for a Kubernetes address family, and back. */
const traceFamily = (f: IPFamily): Family => (f === 4 ? 'ipv4' : 'ipv6');
const ipFamily = (f: Family): IPFamily => (f === 'ipv4' ? 4 : 6);
/** A filter for addresses and CIDRs (text from objects and flags) of the family. */
const ofFamily = (f: Family) => (text: string) => familyOfText(text) === ipFamily(f);

export type ToSpec =
  | { kind: 'address'; address: string; family: Family; port: number }
  | { kind: 'service'; name: string; namespace?: string; port?: string; text: string };

export type FromSpec = { kind: 'address'; address: string; family: Family } | { kind: 'node' } | { kind: 'pod'; name: string } | { kind: 'default' };

/** An IP address as the user typed it, canonical, or null: read as the tracer reads a packet's (inet_pton). */
export function parseIP(text: string): { address: string; family: Family } | null {
  for (const family of ['ipv4', 'ipv6'] as const) {
    const v = parseAddressStrict(text, family);
    if (v !== null) return { address: formatAddress(v, family), family };
  }
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
    return { mode: 'pinned', endpoint: hostPort(to.address, to.port, to.family) };
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
  const svc = findService(snapshot, ns, to.name);
  const key = `${ns}/${to.name}`;
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') throw new UsageError(`service ${key} is ExternalName (${spec.externalName ?? ''}): DNS answers with a CNAME, kube-proxy writes no rules to trace`);
  const ip = spec.clusterIPs?.[0] ?? spec.clusterIP;
  if (!ip || ip === 'None') throw new UsageError(`service ${key} is headless (clusterIP: None): it has no cluster IP; trace one of its endpoints' addresses instead`);
  const parsed = objectAddress(ip);
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
    family: traceFamily(parsed.family),
    port: chosen.port,
    protocol: (chosen.protocol ?? 'TCP').toLowerCase() as TraceProtocol,
    service: key,
    portLabel: chosen.name || String(chosen.port),
    ...(note ? { note } : {}),
  };
}

/** `--from pod/NAME`: its address (of the wanted family, else its first) and node. */
export function resolvePod(snapshot: Snapshot, name: string, namespace: string, family: Family | undefined): { pod: Pod; address: string; family: Family } {
  const pod = findPod(snapshot, namespace, name);
  const ips = podAddresses(pod);
  const ip = ips.find((x) => !family || x.family === ipFamily(family)) ?? ips[0];
  if (!ip) throw new UsageError(`pod ${namespace}/${name} has no IP address (status.podIP is empty: is it running?)`);
  return { pod, address: ip.address, family: traceFamily(ip.family) };
}

export interface Source {
  address: string;
  description: string;
}

/** The packet's source address, and how it was chosen. */
export function sourceFor(from: FromSpec, family: Family, snapshot: Snapshot | undefined, config: ProxyConfig, namespace: string, ruleset: () => Ruleset | undefined): Source {
  switch (from.kind) {
    case 'address':
      if (from.family !== family) throw new UsageError(`--from ${from.address} is ${familyWord(from.family)} but the destination is ${familyWord(family)}`);
      return { address: from.address, description: `${from.address}${addressRole(from.address, family, snapshot, config, ruleset)}` };
    case 'node': {
      const a = config.nodeIPs.find(ofFamily(family));
      if (!a) throw new UsageError(`--from node: the node's ${familyWord(family)} address is not known; give --node-ip`);
      return { address: a, description: `${a}: the node ${config.nodeSource === 'placeholder' ? '' : `${config.nodeName} `}itself` };
    }
    case 'pod': {
      const p = resolvePod(snapshot!, from.name, namespace, family);
      if (p.family !== family) throw new UsageError(`pod ${namespace}/${from.name} has no ${familyWord(family)} address`);
      const node = p.pod.spec?.nodeName;
      return { address: p.address, description: `${p.address}: pod ${namespace}/${from.name}${node ? ` on ${node}` : ''}` };
    }
    case 'default': {
      // A pod on the node: an address nobody uses, in the node's pod CIDR, else next to the
      // node's pods (their /24 or /64), else in the pod network. unusedAddress skips the CIDRs
      // of the other family.
      const node = snapshot?.nodes.find((n) => n.metadata?.name === config.nodeName);
      const candidates: Array<{ cidrs: string[]; where: (c: string) => string }> = [
        { cidrs: node?.spec?.podCIDRs ?? (node?.spec?.podCIDR ? [node.spec.podCIDR] : []), where: (c) => `the node's pod CIDR ${c}` },
        { cidrs: nodePodSubnets(snapshot, config.nodeName, ipFamily(family)), where: (c) => `${c}, where the node's pods are` },
        { cidrs: config.detectLocal.cidrs.length > 0 ? config.detectLocal.cidrs : (snapshot?.proxy?.clusterNetworkCIDRs ?? []), where: (c) => `the cluster CIDR ${c}` },
      ];
      const rs = ruleset();
      if (rs) candidates.push({ cidrs: dumpClusterCIDRs(rs), where: (c) => `the pod network ${c} (from the dump's "! -s ${c} ... -j KUBE-MARK-MASQ" rules)` });
      const used = usedAddresses(snapshot);
      for (const [i, c] of candidates.entries()) {
        const pick = unusedAddress(c.cidrs, ipFamily(family), used);
        if (!pick) continue;
        const on = config.nodeSource === 'placeholder' ? 'the node' : config.nodeName;
        const caveat = i >= 2 ? "; the node's own pod subnet is unknown, and CNI rules that tell this node's pods apart may treat the address differently" : '';
        return { address: pick.address, description: `${pick.address}: a pod on ${on} (an unused address in ${c.where(pick.cidr)}${caveat}; --from to choose)` };
      }
      throw new UsageError('no pod network is known to pick a pod address from: give --from IP (or --cluster-cidr)');
    }
  }
}

/** What an address given with --from is to this node: a pod, the node, inside or outside the pod network. */
function addressRole(address: string, family: Family, snapshot: Snapshot | undefined, config: ProxyConfig, ruleset: () => Ruleset | undefined): string {
  const pod = snapshot && podWithAddress(snapshot, address);
  if (pod) return `: pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}${pod.spec?.nodeName ? ` on ${pod.spec.nodeName}` : ''}`;
  if (isLocalAddress(address, family, config.nodeIPs)) return ': the node itself';
  const own = config.detectLocal.cidrs.filter(ofFamily(family));
  const rs = own.length === 0 ? ruleset() : undefined;
  const cidr = own.length > 0 ? own[0] : rs ? dumpClusterCIDRs(rs).find(ofFamily(family)) : undefined;
  if (!cidr) return '';
  const net = parseAddressMask(cidr, family);
  if (typeof net === 'string') return '';
  return addressIn(address, net) ? `: inside the pod network ${cidr}` : `: outside the pod network ${cidr}`;
}
