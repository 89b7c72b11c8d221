// Addresses and masks as iptables reads and prints them. IPv4 text is read by libxtables' own
// numeric parser (1 to 4 parts, each in C base-0 syntax, missing trailing parts zero: `10.1`
// is 10.1.0.0, `010.1.2.3` is 8.1.2.3); IPv6 text by inet_pton. Output is inet_ntop's: dotted
// quads, and for IPv6 glibc's RFC 5952 style (lower case, longest zero run compressed, the
// first on a tie, IPv4-mapped and IPv4-compatible addresses with a dotted tail).
// Host names are not resolved: svctrace is pure, so they are an input error.
import type { AddressMask, AddressRange, Family } from './model.js';
import { U8, parseUint } from './numbers.js';

// ---- IPv4 (as u32 numbers) --------------------------------------------------------------------

/** xtables_numeric_to_ipaddr: `a[.b[.c[.d]]]`, or with isMask exactly four parts. */
export function parseIPv4(text: string, isMask = false): number | null {
  const parts = text.split('.');
  if (parts.length > 4 || (isMask && parts.length !== 4)) return null;
  let value = 0;
  for (let i = 0; i < 4; i++) {
    const part = parts[i];
    const byte = part === undefined ? 0 : parseUint(part, U8);
    if (byte === null) return null;
    value = value * 256 + byte;
  }
  return value;
}

/**
 * inet_aton (what getaddrinfo accepts for numeric IPv4 hosts): `a` (32 bits), `a.b` (8.24),
 * `a.b.c` (8.8.16) or `a.b.c.d`, each part in C base-0 syntax. conntrack's --ctorigsrc and
 * recent's --mask read addresses this way (`10.1` is 10.0.0.1 there).
 */
export function parseIPv4Aton(text: string): number | null {
  const parts = text.split('.');
  if (parts.length > 4) return null;
  const values = parts.map((p) => parseUint(p, 0xffffffff));
  if (values.some((v) => v === null)) return null;
  const v = values as number[];
  const widths = [[32], [8, 24], [8, 8, 16], [8, 8, 8, 8]][v.length - 1]!;
  let out = 0;
  for (let i = 0; i < v.length; i++) {
    if (v[i]! >= 2 ** widths[i]!) return null;
    out = out * 2 ** widths[i]! + v[i]!;
  }
  return out;
}

/** inet_pton(AF_INET): exactly four decimal octets without leading zeros (NAT targets). */
export function parseIPv4Strict(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  let out = 0;
  for (const o of m.slice(1)) {
    if ((o.length > 1 && o.startsWith('0')) || Number(o) > 255) return null;
    out = out * 256 + Number(o);
  }
  return out;
}

function formatIPv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

function ipv4PrefixMask(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

// ---- IPv6 (as 128-bit bigints) ----------------------------------------------------------------

/** glibc inet_pton(AF_INET6). */
export function parseIPv6(text: string): bigint | null {
  const groups: number[] = [];
  let gap = -1; // index in groups where `::` stood
  let i = 0;
  if (text.startsWith('::')) {
    gap = 0;
    i = 2;
    if (i === text.length) return 0n;
  } else if (text.startsWith(':')) {
    return null;
  }
  while (i < text.length) {
    const rest = text.slice(i);
    if (rest.includes('.') && !rest.includes(':')) {
      // the last 32 bits as a dotted quad, read by inet_pton4
      const v4 = parseIPv4Strict(rest);
      if (v4 === null) return null;
      groups.push(v4 >>> 16, v4 & 0xffff);
      break;
    }
    const m = /^[0-9a-fA-F]{1,4}/.exec(rest);
    if (!m) return null;
    groups.push(parseInt(m[0], 16));
    i += m[0].length;
    if (i === text.length) break;
    if (text[i] !== ':') return null;
    i++;
    if (text[i] === ':') {
      if (gap >= 0) return null;
      gap = groups.length;
      i++;
      if (i === text.length) break;
    } else if (i === text.length) {
      return null; // trailing single colon
    }
  }
  if (gap >= 0) {
    if (groups.length > 7) return null;
    groups.splice(gap, 0, ...new Array<number>(8 - groups.length).fill(0));
  }
  if (groups.length !== 8) return null;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** glibc inet_ntop(AF_INET6). */
export function formatIPv6(value: bigint): string {
  const words: number[] = [];
  for (let i = 7; i >= 0; i--) words.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (cur.base === -1) cur = { base: i, len: 1 };
      else cur.len++;
    } else if (cur.base !== -1) {
      if (best.base === -1 || cur.len > best.len) best = cur;
      cur = { base: -1, len: 0 };
    }
  }
  if (cur.base !== -1 && (best.base === -1 || cur.len > best.len)) best = cur;
  if (best.base !== -1 && best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (best.base !== -1 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff))) {
      out += formatIPv4(Number(value & 0xffffffffn));
      return out;
    }
    out += words[i]!.toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) out += ':';
  return out;
}

const ALL128 = (1n << 128n) - 1n;

function ipv6PrefixMask(bits: number): bigint {
  return bits === 0 ? 0n : (ALL128 << BigInt(128 - bits)) & ALL128;
}

/** The family's all-ones mask: a single host's. */
export function fullMask(family: Family): bigint {
  return family === 'ipv4' ? 0xffffffffn : ALL128;
}

// ---- both families ----------------------------------------------------------------------------

export function bitWidth(family: Family): 32 | 128 {
  return family === 'ipv4' ? 32 : 128;
}

/** An address as a bigint (IPv4 too), or null. */
export function parseAddress(text: string, family: Family): bigint | null {
  if (family === 'ipv4') {
    const v = parseIPv4(text);
    return v === null ? null : BigInt(v);
  }
  return parseIPv6(text);
}

/** inet_pton: a dotted quad without leading zeros, or IPv6 text (NAT targets, packet addresses). */
export function parseAddressStrict(text: string, family: Family): bigint | null {
  if (family === 'ipv6') return parseIPv6(text);
  const v = parseIPv4Strict(text);
  return v === null ? null : BigInt(v);
}

export function formatAddress(value: bigint, family: Family): string {
  return family === 'ipv4' ? formatIPv4(Number(value)) : formatIPv6(value);
}

/** "ip:port", "[ip]:port" for IPv6: a DNAT destination, an endpoint, an address and port typed. */
export function hostPort(address: string, port: number, family: Family): string {
  return family === 'ipv6' ? `[${address}]:${port}` : `${address}:${port}`;
}

/** Prefix length of a contiguous mask, else null. */
function maskPrefix(mask: bigint, family: Family): number | null {
  const inverted = fullMask(family) ^ mask;
  // contiguous iff the inverted mask is of the form 2^k - 1
  if ((inverted & (inverted + 1n)) !== 0n) return null;
  return bitWidth(family) - (inverted === 0n ? 0 : inverted.toString(2).length);
}

function prefixMask(bits: number, family: Family): bigint {
  return family === 'ipv4' ? BigInt(ipv4PrefixMask(bits)) : ipv6PrefixMask(bits);
}

/** A mask after `/`: a prefix length (base-0 number), or a dotted / IPv6 mask. */
export function parseMask(text: string, family: Family): bigint | null {
  if (family === 'ipv4' && text.includes('.')) {
    const v = parseIPv4(text, true);
    return v === null ? null : BigInt(v);
  }
  if (family === 'ipv6' && text.includes(':')) return parseIPv6(text);
  const bits = parseUint(text, bitWidth(family));
  return bits === null ? null : prefixMask(bits, family);
}

/** Host bits are cleared unless `keepHostBits` (conntrack keeps what was written). */
export function addressMask(address: bigint, mask: bigint, family: Family, keepHostBits = false): AddressMask {
  return {
    family,
    address: formatAddress(keepHostBits ? address : address & mask, family),
    prefix: maskPrefix(mask, family),
    mask: formatAddress(mask, family),
  };
}

/** Values of an AddressMask, for comparisons. */
function addressMaskValues(am: AddressMask): { address: bigint; mask: bigint } {
  return { address: parseAddress(am.address, am.family)!, mask: parseAddress(am.mask, am.family)! };
}

/** True when `address` (text) falls in `am`. */
export function addressIn(address: string, am: AddressMask): boolean {
  const a = parseAddress(address, am.family);
  if (a === null) return false;
  const { address: net, mask } = addressMaskValues(am);
  return (a & mask) === net;
}

/**
 * `ADDR[/MASK]` as -s/-d read it (host bits cleared), or a reason.
 */
export function parseAddressMask(text: string, family: Family): AddressMask | string {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const address = parseAddress(addrText, family);
  if (address === null) {
    return addrText === '' || /^[0-9.:]*$/.test(addrText)
      ? `invalid address "${addrText}"`
      : `host name "${addrText}": only numeric addresses are supported`;
  }
  let mask = fullMask(family);
  if (slash >= 0) {
    const m = parseMask(text.slice(slash + 1), family);
    if (m === null) return `invalid mask "${text.slice(slash + 1)}"`;
    mask = m;
  }
  return addressMask(address, mask, family);
}

/** `-s a,b/8,...`: one AddressMask per comma-separated item. */
export function parseAddressList(text: string, family: Family): AddressMask[] | string {
  const out: AddressMask[] = [];
  for (const item of text.split(',')) {
    const am = parseAddressMask(item, family);
    if (typeof am === 'string') return am;
    out.push(am);
  }
  return out;
}

/** `/len` for contiguous masks, else `/mask` (iptables-save's -s/-d suffix). */
function maskSuffix(am: AddressMask): string {
  return am.prefix === null ? `/${am.mask}` : `/${am.prefix}`;
}

/** `address/len` (or `address/mask`), `/32` and `/128` included: iptables-save's -s/-d. */
export function formatAddressMask(am: AddressMask): string {
  return am.address + maskSuffix(am);
}

/** Address as xtables_ipaddr_to_numeric + xtables_ipmask_to_numeric print it: no `/32`/`/128`. */
export function formatAddressMaskShort(am: AddressMask): string {
  return am.prefix === bitWidth(am.family) ? am.address : formatAddressMask(am);
}

/** `FROM-TO` address range, each end a plain address. */
export function parseAddressRange(text: string, family: Family): AddressRange | string {
  const dash = text.indexOf('-');
  const fromText = dash < 0 ? text : text.slice(0, dash);
  const toText = dash < 0 ? text : text.slice(dash + 1);
  const from = parseAddress(fromText, family);
  const to = parseAddress(toText, family);
  if (from === null || to === null) return `invalid address range "${text}"`;
  return { from: formatAddress(from, family), to: formatAddress(to, family) };
}
