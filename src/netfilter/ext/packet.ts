// Matches on packet properties: comment, nfacct, addrtype (revision 1), physdev, mac, iprange,
// set (revision 4), owner, pkttype, length, ttl/hl, socket. Each save function follows its
// libxt_*.c counterpart.
import type {
  AddressRange, AddrType, AddrtypeMatch, CommentMatch, Flag, IprangeMatch, LengthMatch, MacMatch, Negatable, NfacctMatch,
  OwnerMatch, PhysdevMatch, PkttypeMatch, SetCounterTest, SetMatch, SocketMatch, TtlMatch,
} from '../model.js';
import { parseAddressRange } from '../addr.js';
import { U16, U32, U8, parseUint } from '../numbers.js';
import { saveString } from '../words.js';
import { type ExtContext, type Mutable, OptionError, bang, extension, formatRange, inTableOrder, nameList, neg, uint } from './kit.js';

/** Interface names as libxtables takes them: shorter than IFNAMSIZ (16), `+` as wildcard suffix. */
export function interfaceName(text: string): string {
  if (text.length === 0) throw new OptionError('Empty interface is likely to be undesired');
  if (text.length > 15) throw new OptionError(`interface name \`${text}' must be shorter than IFNAMSIZ (15)`);
  return text;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The kernel keeps at most `max` bytes; longer text is cut silently. */
function truncateBytes(text: string, max: number): string {
  const bytes = encoder.encode(text);
  return bytes.length <= max ? text : decoder.decode(bytes.slice(0, max));
}

export const comment = extension<Mutable<CommentMatch>>({
  name: 'comment',
  type: 'match',
  init: () => ({ module: 'comment', comment: '' }),
  options: [{ names: ['comment'], args: 1, mandatory: true, apply: (s, [a]) => void (s.comment = truncateBytes(a!, 255)) }],
  save: (s) => ['--comment', saveString(s.comment)],
});

/**
 * libxt_nfacct: `--nfacct-name` is an XTTYPE_STRING of at least 1 character, mandatory, not
 * invertible, given once, stored in a 32-byte field (longer names are cut to 31 bytes, and the
 * kernel looks the cut name up). Its save function prints `--nfacct-name ` and then
 * xtables_save_string, which adds a space of its own: iptables-save shows two spaces
 * (`-m nfacct --nfacct-name  ct_state_invalid_dropped_pkts`), the name bare or quoted as a
 * comment is. The word `--nfacct-name ` keeps its trailing space for that.
 */
export const nfacct = extension<Mutable<NfacctMatch>>({
  name: 'nfacct',
  type: 'match',
  init: () => ({ module: 'nfacct', name: '' }),
  options: [
    {
      names: ['nfacct-name'], args: 1, mandatory: true,
      apply: (s, [a]) => {
        if (a!.length === 0) throw new OptionError('Argument must have a minimum length of 1 characters');
        s.name = truncateBytes(a!, 31);
      },
    },
  ],
  save: (s) => ['--nfacct-name ', saveString(s.name)],
});

const ADDR_TYPES: readonly AddrType[] = [
  'UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE',
];

const IPV6_UNSUPPORTED = new Set<AddrType>(['BROADCAST', 'BLACKHOLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE']);

export const addrtype = extension<Mutable<AddrtypeMatch>>({
  name: 'addrtype',
  type: 'match',
  init: () => ({ module: 'addrtype', limitIfaceIn: false, limitIfaceOut: false }),
  options: [
    { names: ['src-type'], args: 1, invert: true, apply: (s, [a], n) => void (s.srcType = neg(nameList(a!, ADDR_TYPES, 'type', true), n)) },
    { names: ['dst-type'], args: 1, invert: true, apply: (s, [a], n) => void (s.dstType = neg(nameList(a!, ADDR_TYPES, 'type', true), n)) },
    { names: ['limit-iface-in'], args: 0, apply: (s) => void (s.limitIfaceIn = true) },
    { names: ['limit-iface-out'], args: 0, apply: (s) => void (s.limitIfaceOut = true) },
  ],
  finish: (s, _given, ctx) => {
    if (!s.srcType && !s.dstType) throw new OptionError('addrtype: you must specify --src-type or --dst-type');
    if (ctx.family === 'ipv6') {
      // xt_addrtype (legacy) refuses these for IPv6; iptables-nft would take them
      const types = [...(s.srcType?.value ?? []), ...(s.dstType?.value ?? [])];
      const bad = types.find((t) => IPV6_UNSUPPORTED.has(t));
      if (bad) throw new OptionError(`addrtype: ipv6 does not support ${bad} matching`);
    }
    if (s.limitIfaceIn && s.limitIfaceOut) throw new OptionError("addrtype: you can't specify both --limit-iface-in and --limit-iface-out");
  },
  save: (s) => [
    ...(s.srcType ? [...bang(s.srcType.negated), '--src-type', inTableOrder(s.srcType.value, ADDR_TYPES).join(',')] : []),
    ...(s.dstType ? [...bang(s.dstType.negated), '--dst-type', inTableOrder(s.dstType.value, ADDR_TYPES).join(',')] : []),
    ...(s.limitIfaceIn ? ['--limit-iface-in'] : []),
    ...(s.limitIfaceOut ? ['--limit-iface-out'] : []),
  ],
});

const flag = (negated: boolean): Flag => ({ negated });

export const physdev = extension<Mutable<PhysdevMatch>>({
  name: 'physdev',
  type: 'match',
  init: () => ({ module: 'physdev' }),
  options: [
    { names: ['physdev-in'], args: 1, invert: true, apply: (s, [a], n) => void (s.physdevIn = neg(interfaceName(a!), n)) },
    { names: ['physdev-out'], args: 1, invert: true, apply: (s, [a], n) => void (s.physdevOut = neg(interfaceName(a!), n)) },
    { names: ['physdev-is-in'], args: 0, invert: true, apply: (s, _a, n) => void (s.isIn = flag(n)) },
    { names: ['physdev-is-out'], args: 0, invert: true, apply: (s, _a, n) => void (s.isOut = flag(n)) },
    { names: ['physdev-is-bridged'], args: 0, invert: true, apply: (s, _a, n) => void (s.isBridged = flag(n)) },
  ],
  finish: (s) => {
    if (Object.keys(s).length === 1) throw new OptionError('PHYSDEV: no physdev option specified');
  },
  save: (s) => [
    ...(s.isIn ? [...bang(s.isIn.negated), '--physdev-is-in'] : []),
    ...(s.physdevIn ? [...bang(s.physdevIn.negated), '--physdev-in', s.physdevIn.value] : []),
    ...(s.isOut ? [...bang(s.isOut.negated), '--physdev-is-out'] : []),
    ...(s.physdevOut ? [...bang(s.physdevOut.negated), '--physdev-out', s.physdevOut.value] : []),
    ...(s.isBridged ? [...bang(s.isBridged.negated), '--physdev-is-bridged'] : []),
  ],
});

export const mac = extension<Mutable<MacMatch>>({
  name: 'mac',
  type: 'match',
  init: () => ({ module: 'mac', negated: false, source: '' }),
  options: [
    {
      names: ['mac-source'], args: 1, invert: true, mandatory: true,
      apply: (s, [a], n) => {
        const parts = a!.split(':');
        if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) throw new OptionError(`Bad mac address "${a}"`);
        s.source = parts.map((p) => p.toLowerCase().padStart(2, '0')).join(':');
        s.negated = n;
      },
    },
  ],
  save: (s) => [...bang(s.negated), '--mac-source', s.source],
});

const rangeOption = (name: 'src-range' | 'dst-range', key: 'srcRange' | 'dstRange') => ({
  names: [name], args: 1 as const, invert: true,
  apply: (s: Mutable<IprangeMatch>, [a]: string[], n: boolean, ctx: ExtContext) => {
    const r = parseAddressRange(a!, ctx.family);
    if (typeof r === 'string') throw new OptionError(r);
    s[key] = neg(r, n);
  },
});

const saveRange = (name: string, r: Negatable<AddressRange> | undefined): string[] =>
  r ? [...bang(r.negated), `--${name}`, `${r.value.from}-${r.value.to}`] : [];

export const iprange = extension<Mutable<IprangeMatch>>({
  name: 'iprange',
  type: 'match',
  init: () => ({ module: 'iprange' }),
  options: [rangeOption('src-range', 'srcRange'), rangeOption('dst-range', 'dstRange')],
  finish: (s) => {
    if (!s.srcRange && !s.dstRange) throw new OptionError('iprange match: You must specify `--src-range\' or `--dst-range\'');
  },
  save: (s) => [...saveRange('src-range', s.srcRange), ...saveRange('dst-range', s.dstRange)],
});

function counterTest(op: SetCounterTest['op'], text: string, option: string): SetCounterTest {
  if (!/^\d+$/.test(text) || BigInt(text) >= 2n ** 64n) throw new OptionError(`bad value for option "--${option}"`);
  return { op, value: BigInt(text) };
}

function printCounter(kind: 'packets' | 'bytes', t?: SetCounterTest): string[] {
  if (!t) return [];
  return t.op === 'ne' ? ['!', `--${kind}-eq`, String(t.value)] : [`--${kind}-${t.op}`, String(t.value)];
}

export const set = extension<Mutable<SetMatch>>({
  name: 'set',
  type: 'match',
  init: () => ({ module: 'set', negated: false, setName: '', flags: [], returnNomatch: false, updateCounters: true, updateSubcounters: true }),
  options: [
    {
      names: ['match-set', 'set'], args: 2, invert: true,
      apply: (s, [name, flags], n) => {
        if (name!.length > 31) throw new OptionError(`setname \`${name}' too long, max 31 characters.`);
        const dims = flags!.split(',');
        if (dims.length > 6 || dims.some((d) => d !== 'src' && d !== 'dst')) throw new OptionError(`You must specify (the comma separated list of) 'src' or 'dst'.`);
        s.setName = name!;
        s.flags = dims as Array<'src' | 'dst'>;
        s.negated = n;
      },
    },
    { names: ['return-nomatch'], args: 0, apply: (s) => void (s.returnNomatch = true) },
    { names: ['update-counters'], args: 0, invert: true, apply: (s, _a, n) => void (s.updateCounters = !n) },
    { names: ['update-subcounters'], args: 0, invert: true, apply: (s, _a, n) => void (s.updateSubcounters = !n) },
    { names: ['packets-eq'], args: 1, invert: true, apply: (s, [a], n) => void (s.packets = counterTest(n ? 'ne' : 'eq', a!, 'packets-eq')) },
    { names: ['packets-lt'], args: 1, apply: (s, [a]) => void (s.packets = counterTest('lt', a!, 'packets-lt')) },
    { names: ['packets-gt'], args: 1, apply: (s, [a]) => void (s.packets = counterTest('gt', a!, 'packets-gt')) },
    { names: ['bytes-eq'], args: 1, invert: true, apply: (s, [a], n) => void (s.bytes = counterTest(n ? 'ne' : 'eq', a!, 'bytes-eq')) },
    { names: ['bytes-lt'], args: 1, apply: (s, [a]) => void (s.bytes = counterTest('lt', a!, 'bytes-lt')) },
    { names: ['bytes-gt'], args: 1, apply: (s, [a]) => void (s.bytes = counterTest('gt', a!, 'bytes-gt')) },
  ],
  finish: (s) => {
    if (s.setName === '') throw new OptionError('You must specify `--match-set\' with proper arguments');
  },
  save: (s) => [
    ...bang(s.negated), '--match-set', s.setName, s.flags.join(','),
    ...(s.returnNomatch ? ['--return-nomatch'] : []),
    ...(s.updateCounters ? [] : ['!', '--update-counters']),
    ...(s.updateSubcounters ? [] : ['!', '--update-subcounters']),
    ...printCounter('packets', s.packets),
    ...printCounter('bytes', s.bytes),
  ],
});

/** `ID[-ID]`; names other than root would need the node's passwd database, which svctrace lacks. */
function idRange(text: string, option: string): { from: number; to: number } {
  if (text === 'root') return { from: 0, to: 0 };
  const [a, b] = text.split('-', 2);
  const from = parseUint(a!, U32 - 1);
  const to = b === undefined ? from : parseUint(b, U32 - 1);
  if (from === null || to === null) throw new OptionError(`Bad ${option} value "${text}" (only numeric ids and root are supported)`);
  return { from, to };
}

function printIds(option: string, v?: { negated: boolean; value: { from: number; to: number } }): string[] {
  if (!v) return [];
  return [...bang(v.negated), `--${option}`, formatRange(v.value, '-')];
}

export const owner = extension<Mutable<OwnerMatch>>({
  name: 'owner',
  type: 'match',
  init: () => ({ module: 'owner', supplGroups: false }),
  options: [
    { names: ['uid-owner'], args: 1, invert: true, apply: (s, [a], n) => void (s.uid = neg(idRange(a!, 'uid-owner'), n)) },
    { names: ['gid-owner'], args: 1, invert: true, apply: (s, [a], n) => void (s.gid = neg(idRange(a!, 'gid-owner'), n)) },
    { names: ['socket-exists'], args: 0, invert: true, apply: (s, _a, n) => void (s.socketExists = { negated: n }) },
    {
      names: ['suppl-groups'], args: 0,
      apply: (s) => {
        if (!s.gid) throw new OptionError('owner: Bad value for "--suppl-groups" option: "you need to use --gid-owner first"');
        s.supplGroups = true;
      },
    },
  ],
  save: (s) => [
    ...(s.socketExists ? [...bang(s.socketExists.negated), '--socket-exists'] : []),
    ...printIds('uid-owner', s.uid),
    ...printIds('gid-owner', s.gid),
    ...(s.supplGroups ? ['--suppl-groups'] : []),
  ],
});

const PKT_TYPES: Record<string, PkttypeMatch['type']> = {
  unicast: 'unicast', host: 'unicast', broadcast: 'broadcast', multicast: 'multicast', otherhost: 'otherhost', outgoing: 'outgoing',
};

export const pkttype = extension<Mutable<PkttypeMatch>>({
  name: 'pkttype',
  type: 'match',
  init: () => ({ module: 'pkttype', negated: false, type: 'unicast' }),
  options: [
    {
      names: ['pkt-type'], args: 1, invert: true, mandatory: true,
      apply: (s, [a], n) => {
        const t = PKT_TYPES[a!.toLowerCase()];
        if (!t) throw new OptionError(`Bad packet type '${a}'`);
        s.type = t;
        s.negated = n;
      },
    },
  ],
  save: (s) => [...bang(s.negated), '--pkt-type', s.type],
});

export const length = extension<Mutable<LengthMatch>>({
  name: 'length',
  type: 'match',
  init: () => ({ module: 'length', negated: false, min: 0, max: U16 }),
  options: [
    {
      names: ['length'], args: 1, invert: true, mandatory: true,
      apply: (s, [a], n) => {
        const colon = a!.indexOf(':');
        const lo = colon < 0 ? a! : a!.slice(0, colon);
        const hi = colon < 0 ? a! : a!.slice(colon + 1);
        s.min = lo === '' ? 0 : uint(lo, 'length', U16);
        s.max = hi === '' ? U16 : uint(hi, 'length', U16);
        s.negated = n;
      },
    },
  ],
  save: (s) => [...bang(s.negated), '--length', s.min === s.max ? String(s.min) : `${s.min}:${s.max}`],
});

function ttlExtension(name: 'ttl' | 'hl') {
  const op = (o: TtlMatch['op']) => ({
    names: [`${name}-${o}`], args: 1 as const, invert: o === 'eq',
    apply: (s: Mutable<TtlMatch>, [a]: string[], n: boolean) => {
      if (s.value >= 0) throw new OptionError(`${name}: only one of --${name}-eq, --${name}-lt, --${name}-gt allowed`);
      s.op = o;
      s.value = uint(a!, `${name}-${o}`, U8);
      s.negated = n;
    },
  });
  return extension<Mutable<TtlMatch>>({
    name,
    type: 'match',
    family: name === 'ttl' ? 'ipv4' : 'ipv6',
    init: () => ({ module: name, negated: false, op: 'eq', value: -1 }),
    options: [op('eq'), op('lt'), op('gt')],
    finish: (s) => {
      if (s.value < 0) throw new OptionError(`${name}: You must specify one of \`--${name}-eq', \`--${name}-lt', \`--${name}-gt'`);
    },
    save: (s) => [...bang(s.negated), `--${name}-${s.op}`, String(s.value)],
  });
}

export const ttl = ttlExtension('ttl');
export const hl = ttlExtension('hl');

export const socket = extension<Mutable<SocketMatch>>({
  name: 'socket',
  type: 'match',
  init: () => ({ module: 'socket', transparent: false, nowildcard: false, restoreSkmark: false }),
  options: [
    { names: ['transparent'], args: 0, apply: (s) => void (s.transparent = true) },
    { names: ['nowildcard'], args: 0, apply: (s) => void (s.nowildcard = true) },
    { names: ['restore-skmark'], args: 0, apply: (s) => void (s.restoreSkmark = true) },
  ],
  save: (s) => [
    ...(s.transparent ? ['--transparent'] : []),
    ...(s.nowildcard ? ['--nowildcard'] : []),
    ...(s.restoreSkmark ? ['--restore-skmark'] : []),
  ],
});
