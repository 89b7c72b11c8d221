// Objects a command names (`describe svc NAME`, `rules NAME`, `trace --to svc/NAME --from
// pod/NAME`) found in a snapshot, and the pod addresses a snapshot holds or leaves free. Every
// address here is read as Kubernetes reads it (src/cluster/ip.ts: "10.1.0.05" is 10.1.0.5, as
// the renderer writes it) and returned canonical. Pure.
import { NotFoundError } from '../errors.js';
import { podIPs } from './derive.js';
import { formatIP, parseCIDR, parseIP, type IP, type IPFamily } from './ip.js';
import type { Pod, Service, Snapshot } from './types.js';

/** The Service `namespace/name`, or kubectl's NotFound error. */
export function findService(snapshot: Snapshot, namespace: string, name: string): Service {
  const service = snapshot.services.find((s) => s.metadata?.name === name && (s.metadata?.namespace ?? '') === namespace);
  if (!service) throw new NotFoundError('services', name);
  return service;
}

/** The Pod `namespace/name`, or kubectl's NotFound error. */
export function findPod(snapshot: Snapshot, namespace: string, name: string): Pod {
  const pod = snapshot.pods.find((p) => p.metadata?.name === name && (p.metadata?.namespace ?? '') === namespace);
  if (!pod) throw new NotFoundError('pods', name);
  return pod;
}

export interface Address {
  /** Canonical text (Go's net.IP.String). */
  address: string;
  family: IPFamily;
}

/** An address from an API object, canonical, or null when it is none. */
export function objectAddress(text: string): Address | null {
  const ip = parseIP(text);
  return ip ? { address: formatIP(ip), family: ip.family } : null;
}

/** The pod's IPs that parse, canonical, in status order. */
export function podAddresses(pod: Pod): Address[] {
  return podIPs(pod).map(objectAddress).filter((a): a is Address => a !== null);
}

/** The pod (not on the host network) that has `address` (canonical), if any. */
export function podWithAddress(snapshot: Snapshot, address: string): Pod | undefined {
  return snapshot.pods.find((p) => !p.spec?.hostNetwork && podAddresses(p).some((a) => a.address === address));
}

/** Every pod and endpoint address the snapshot holds, canonical. */
export function usedAddresses(snapshot: Snapshot | undefined): Set<string> {
  const out = new Set<string>();
  const add = (text: string | undefined) => {
    const a = text ? objectAddress(text) : null;
    if (a) out.add(a.address);
  };
  for (const p of snapshot?.pods ?? []) podIPs(p).forEach(add);
  for (const s of snapshot?.endpointSlices ?? []) for (const e of s.endpoints ?? []) (e.addresses ?? []).forEach(add);
  for (const e of snapshot?.endpoints ?? []) for (const sub of e.subsets ?? []) for (const a of [...(sub.addresses ?? []), ...(sub.notReadyAddresses ?? [])]) add(a.ip);
  return out;
}

const toBigInt = (ip: IP) => ip.bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);

function fromBigInt(value: bigint, family: IPFamily): IP {
  const bytes = new Uint8Array(family === 4 ? 4 : 16);
  for (let i = bytes.length - 1; i >= 0; i--, value >>= 8n) bytes[i] = Number(value & 0xffn);
  return { family, bytes };
}

/** The /24 (IPv4) or /64 (IPv6) around the lowest address of the pods that run on the node. */
export function nodePodSubnets(snapshot: Snapshot | undefined, nodeName: string, family: IPFamily): string[] {
  const ips = (snapshot?.pods ?? [])
    .filter((p) => p.spec?.nodeName === nodeName && !p.spec?.hostNetwork)
    .flatMap((p) => podIPs(p).map(parseIP))
    .filter((ip): ip is IP => ip !== null && ip.family === family)
    .map(toBigInt)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const first = ips[0];
  if (first === undefined) return [];
  const bits = family === 4 ? 24 : 64;
  const width = family === 4 ? 32 : 128;
  const net = (first >> BigInt(width - bits)) << BigInt(width - bits);
  return [`${formatIP(fromBigInt(net, family))}/${bits}`];
}

/**
 * An address nobody uses in the first of `cidrs` of the family that has one: from the
 * network's third address up (the first host address is often the node's gateway), skipping
 * `used`. Deterministic.
 */
export function unusedAddress(cidrs: readonly string[], family: IPFamily, used: ReadonlySet<string>): { address: string; cidr: string } | undefined {
  for (const cidr of cidrs) {
    const net = parseCIDR(cidr);
    if (!net || net.ip.family !== family) continue;
    const base = toBigInt(net.ip);
    const size = 1n << BigInt(net.ip.bytes.length * 8 - net.prefix);
    for (let i = 2n; i < size - 1n && i < 100_002n; i++) {
      const address = formatIP(fromBigInt(base + i, family));
      if (!used.has(address)) return { address, cidr };
    }
  }
  return undefined;
}
