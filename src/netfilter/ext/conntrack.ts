// Connection-tracking and mark matches: conntrack (libxt_conntrack.c, revision 3), state,
// mark and connmark (libxt_mark.c, libxt_connmark.c), helper (libxt_helper.c).
import type {
  AddressMask, ConntrackMatch, CtState, CtStatus, Family, HelperMatch, MarkMask, MarkMatch, StateMatch,
} from '../model.js';
import { addressMask, formatAddressMaskShort, fullMask, parseIPv4Aton, parseIPv6, parseMask } from '../addr.js';
import { U32, hex, parseDecimal, parseUint } from '../numbers.js';
import { parseProtocol, servicePort } from '../netdb.js';
import { saveString } from '../words.js';
import { type ExtContext, type Mutable, OptionError, bang, extension, formatRange, inTableOrder, nameList, neg, uint } from './kit.js';

const CT_STATES: readonly CtState[] = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'];
const STATE_STATES: readonly CtState[] = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED'];
const CT_STATUSES: readonly CtStatus[] = ['NONE', 'EXPECTED', 'SEEN_REPLY', 'ASSURED', 'CONFIRMED'];

/** conntrack hosts are read like getaddrinfo reads numeric hosts (inet_aton for IPv4); host bits stay. */
function ctHost(text: string, family: Family, option: string): AddressMask {
  const slash = text.indexOf('/');
  const host = slash < 0 ? text : text.slice(0, slash);
  const v = family === 'ipv4' ? parseIPv4Aton(host) : parseIPv6(host);
  if (v === null) throw new OptionError(`host/network "${host}" not found`);
  let mask = fullMask(family);
  if (slash >= 0) {
    const m = parseMask(text.slice(slash + 1), family);
    if (m === null) throw new OptionError(`bad value for option "--${option}", neither a valid network mask nor valid CIDR`);
    mask = m;
  }
  return addressMask(BigInt(v), mask, family, true);
}

/** `P[:Q]` where either side may be empty; a reversed range is kept as written. */
function ctPorts(text: string) {
  const one = (t: string, dflt: number) => {
    if (t === '') return dflt;
    const v = parseDecimal(t, 0xffff) ?? servicePort(t, 'tcp') ?? servicePort(t, 'udp');
    if (v === null) throw new OptionError(`Port "${t}" does not resolve to anything.`);
    return v;
  };
  const colon = text.indexOf(':');
  if (colon < 0) {
    const p = one(text, 0);
    return { from: p, to: p };
  }
  return { from: one(text.slice(0, colon), 0), to: one(text.slice(colon + 1), 0xffff) };
}

type CtAddrKey = 'origSrc' | 'origDst' | 'replSrc' | 'replDst';
type CtPortKey = 'origSrcPort' | 'origDstPort' | 'replSrcPort' | 'replDstPort';

const addrOption = (name: string, key: CtAddrKey) => ({
  names: [name], args: 1 as const, invert: true,
  apply: (s: Mutable<ConntrackMatch>, [a]: string[], n: boolean, ctx: ExtContext) => void (s[key] = neg(ctHost(a!, ctx.family, name), n)),
});
const portOption = (name: string, key: CtPortKey) => ({
  names: [name], args: 1 as const, invert: true,
  apply: (s: Mutable<ConntrackMatch>, [a]: string[], n: boolean) => void (s[key] = neg(ctPorts(a!), n)),
});

export const conntrack = extension<Mutable<ConntrackMatch>>({
  name: 'conntrack',
  type: 'match',
  init: () => ({ module: 'conntrack' }),
  options: [
    { names: ['ctstate'], args: 1, invert: true, apply: (s, [a], n) => void (s.state = neg(nameList(a!, CT_STATES, 'ctstate', true), n)) },
    {
      names: ['ctproto'], args: 1, invert: true,
      apply: (s, [a], n) => {
        const p = parseProtocol(a!);
        if (p === null) throw new OptionError(`unknown protocol "${a}" specified`);
        s.proto = neg(p, n);
      },
    },
    addrOption('ctorigsrc', 'origSrc'), addrOption('ctorigdst', 'origDst'),
    addrOption('ctreplsrc', 'replSrc'), addrOption('ctrepldst', 'replDst'),
    { names: ['ctstatus'], args: 1, invert: true, apply: (s, [a], n) => void (s.status = neg(nameList(a!, CT_STATUSES, 'ctstatus', true), n)) },
    {
      names: ['ctexpire'], args: 1, invert: true,
      apply: (s, [a], n) => {
        const [lo, hi] = a!.split(':', 2);
        const min = uint(lo!, 'ctexpire');
        s.expire = neg({ min, max: hi === undefined ? min : uint(hi, 'ctexpire') }, n);
      },
    },
    portOption('ctorigsrcport', 'origSrcPort'), portOption('ctorigdstport', 'origDstPort'),
    portOption('ctreplsrcport', 'replSrcPort'), portOption('ctrepldstport', 'replDstPort'),
    {
      names: ['ctdir'], args: 1,
      apply: (s, [a]) => {
        const d = a!.toUpperCase();
        if (d !== 'ORIGINAL' && d !== 'REPLY') throw new OptionError(`Unknown --ctdir "${a}"`);
        s.direction = d;
      },
    },
  ],
  finish: (s) => {
    if (Object.keys(s).length === 1) throw new OptionError('conntrack: you must specify one or more options');
  },
  // conntrack_dump's order
  save: (s) => {
    const out: string[] = [];
    const addr = (opt: string, v?: { negated: boolean; value: AddressMask }) => {
      if (v) out.push(...bang(v.negated), `--${opt}`, formatAddressMaskShort(v.value));
    };
    const ports = (opt: string, v?: { negated: boolean; value: { from: number; to: number } }) => {
      if (v) out.push(...bang(v.negated), `--${opt}`, formatRange(v.value));
    };
    if (s.state) out.push(...bang(s.state.negated), '--ctstate', inTableOrder(s.state.value, CT_STATES).join(','));
    if (s.proto) out.push(...bang(s.proto.negated), '--ctproto', String(s.proto.value));
    addr('ctorigsrc', s.origSrc);
    addr('ctorigdst', s.origDst);
    addr('ctreplsrc', s.replSrc);
    addr('ctrepldst', s.replDst);
    ports('ctorigsrcport', s.origSrcPort);
    ports('ctorigdstport', s.origDstPort);
    ports('ctreplsrcport', s.replSrcPort);
    ports('ctrepldstport', s.replDstPort);
    if (s.status) {
      const names = inTableOrder(s.status.value, CT_STATUSES).filter((n) => n !== 'NONE');
      out.push(...bang(s.status.negated), '--ctstatus', names.length ? names.join(',') : 'NONE');
    }
    if (s.expire) {
      const { min, max } = s.expire.value;
      out.push(...bang(s.expire.negated), '--ctexpire', min === max ? String(min) : `${min}:${max}`);
    }
    if (s.direction) out.push('--ctdir', s.direction);
    return out;
  },
});

export const state = extension<Mutable<StateMatch>>({
  name: 'state',
  type: 'match',
  init: () => ({ module: 'state', negated: false, states: [] }),
  options: [
    {
      names: ['state'], args: 1, invert: true, mandatory: true,
      apply: (s, [a], n) => {
        s.states = nameList(a!, STATE_STATES, 'state', true);
        s.negated = n;
      },
    },
  ],
  save: (s) => [...bang(s.negated), '--state', inTableOrder(s.states, CT_STATES).join(',')],
});

/** `VALUE[/MASK]`, both u32 in C base-0 syntax; the mask defaults to 0xffffffff. */
export function markMask(text: string, option: string): MarkMask {
  const slash = text.indexOf('/');
  const value = parseUint(slash < 0 ? text : text.slice(0, slash), U32);
  const mask = slash < 0 ? U32 : parseUint(text.slice(slash + 1), U32);
  if (value === null || mask === null) throw new OptionError(`bad integer value for option "--${option}", or out of range.`);
  return { value, mask };
}

function markExtension(name: 'mark' | 'connmark') {
  return extension<Mutable<MarkMatch>>({
    name,
    type: 'match',
    init: () => ({ module: name, negated: false, mark: { value: 0, mask: U32 } }),
    options: [
      {
        names: ['mark'], args: 1, invert: true, mandatory: true,
        apply: (s, [a], n) => {
          s.mark = markMask(a!, 'mark');
          s.negated = n;
        },
      },
    ],
    save: (s) => [...bang(s.negated), '--mark', s.mark.mask === U32 ? hex(s.mark.value) : `${hex(s.mark.value)}/${hex(s.mark.mask)}`],
  });
}

export const mark = markExtension('mark');
export const connmark = markExtension('connmark');

export const helper = extension<Mutable<HelperMatch>>({
  name: 'helper',
  type: 'match',
  init: () => ({ module: 'helper', negated: false, helper: '' }),
  options: [
    {
      names: ['helper'], args: 1, invert: true, mandatory: true,
      apply: (s, [a], n) => {
        s.helper = a!.slice(0, 29);
        s.negated = n;
      },
    },
  ],
  save: (s) => [...bang(s.negated), '--helper', saveString(s.helper)],
});
