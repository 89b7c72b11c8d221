// IP addresses and CIDRs the way Kubernetes reads and writes them in API objects (so the
// resolver and kube-proxy model share them; the netfilter stage has its own parser, because
// iptables reads addresses differently: inet_aton, octal parts). kube-proxy parses with
// k8s.io/utils/net ParseIPSloppy/ParseCIDRSloppy (IPv4 parts with leading zeros are read as
// decimal: "172.30.0.041" is 172.30.0.41) and prints with Go's net.IP.String (dotted quad;
// IPv6 lower-case with the longest run of two or more zero groups written "::").

export type IPFamily = 4 | 6;

export interface IP {
  family: IPFamily;
  /** 4 bytes for IPv4 (also for IPv4-mapped IPv6, as Go treats them), 16 for IPv6. */
  bytes: Uint8Array;
}

export interface CIDR {
  /** The network address (host bits cleared). */
  ip: IP;
  prefix: number;
}

function parseIPv4Parts(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    // Sloppy: leading zeros allowed and read as decimal (never octal).
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

function parseIPv6(text: string): Uint8Array | null {
  if (text.includes('%')) return null;
  let head = text;
  let tail4: number[] | null = null;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail4 = parseIPv4Parts(text.slice(lastColon + 1));
    if (!tail4) return null;
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const total = left.length + right.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return null;
  const words = [...left, ...Array<string>(8 - total).fill('0'), ...right];
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const w = words[i]!;
    if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return null;
    const n = parseInt(w, 16);
    bytes[2 * i] = n >> 8;
    bytes[2 * i + 1] = n & 0xff;
  }
  if (tail4) bytes.set(tail4, 12);
  return bytes;
}

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** Parses an address as ParseIPSloppy does; null when it is not one. */
export function parseIP(text: string): IP | null {
  if (text.includes(':')) {
    const bytes = parseIPv6(text);
    if (!bytes) return null;
    // Go's To4() turns ::ffff:a.b.c.d into an IPv4 address, in family and in text.
    if (V4_MAPPED_PREFIX.every((b, i) => bytes[i] === b)) return { family: 4, bytes: bytes.slice(12) };
    return { family: 6, bytes };
  }
  const parts = parseIPv4Parts(text);
  return parts ? { family: 4, bytes: Uint8Array.from(parts) } : null;
}

/** Go's net.IP.String(). */
export function formatIP(ip: IP): string {
  if (ip.family === 4) return Array.from(ip.bytes).join('.');
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((ip.bytes[i]! << 8) | ip.bytes[i + 1]!);
  // Longest run of at least two zero words; the first one on a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(':');
  if (bestStart < 0) return hex(words);
  return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLen))}`;
}

/** Re-prints an address in kube-proxy's form, or null when it does not parse. */
export function canonicalIP(text: string): string | null {
  const ip = parseIP(text);
  return ip ? formatIP(ip) : null;
}

/** Parses "addr/len" as ParseCIDRSloppy does (leading zeros allowed); the address is masked. */
export function parseCIDR(text: string): CIDR | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIP(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(lenText)) return null;
  const prefix = Number(lenText);
  const bits = ip.bytes.length * 8;
  if (prefix > bits) return null;
  const bytes = ip.bytes.slice();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    bytes[i]! &= (0xff << (8 - keep)) & 0xff;
  }
  return { ip: { family: ip.family, bytes }, prefix };
}

export function formatCIDR(cidr: CIDR): string {
  return `${formatIP(cidr.ip)}/${cidr.prefix}`;
}

export function cidrContains(cidr: CIDR, ip: IP): boolean {
  if (cidr.ip.family !== ip.family) return false;
  for (let i = 0; i < cidr.ip.bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, cidr.prefix - i * 8));
    const mask = (0xff << (8 - keep)) & 0xff;
    if ((ip.bytes[i]! & mask) !== cidr.ip.bytes[i]) return false;
  }
  return true;
}

export const isLoopback = (ip: IP) => (ip.family === 4 ? ip.bytes[0] === 127 : ip.bytes.every((b, i) => b === (i === 15 ? 1 : 0)));

/** The family of an address or CIDR text, judged as k8s.io/utils/net does (by the presence of ':'). */
export const familyOfText = (text: string): IPFamily => (text.includes(':') ? 6 : 4);
