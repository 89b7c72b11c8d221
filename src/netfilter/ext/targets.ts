// Target extensions svctrace models: DNAT, SNAT, MASQUERADE, REDIRECT, NETMAP (libxt_NAT.c,
// libxt_MASQUERADE.c, libxt_REDIRECT.c, libxt_NETMAP.c), MARK (libxt_MARK.c, revision 2),
// CONNMARK (libxt_CONNMARK.c), REJECT (libipt_REJECT.c, libip6t_REJECT.c), LOG (libxt_LOG.c).
import type {
  ConnmarkTarget, Family, LogTarget, MarkMask, MarkTarget, MasqueradeTarget, NatRange, NatTarget, NetmapTarget, PortRange,
  RejectTarget,
} from '../model.js';
import { formatAddress, formatAddressMask, parseAddressMask, parseAddressStrict } from '../addr.js';
import { U16, U32, hex, parseUint } from '../numbers.js';
import { saveString } from '../words.js';
import { markMask } from './conntrack.js';
import { type ExtContext, type Mutable, OptionError, extension, formatRange, hasPortProtocol, hasProtocol } from './kit.js';

function requirePortProtocol(ctx: ExtContext): void {
  if (!hasPortProtocol(ctx)) throw new OptionError('Need TCP, UDP, SCTP or DCCP with port specification');
}

function natPort(text: string, whole: string): number {
  const v = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(v >= 1 && v <= U16)) throw new OptionError(`Port \`${whole}' not valid`);
  return v;
}

/** `P[-Q]` for --to-ports. */
function portsRange(text: string): PortRange {
  const dash = text.indexOf('-');
  const from = natPort(dash < 0 ? text : text.slice(0, dash), text);
  const to = dash < 0 ? from : natPort(text.slice(dash + 1), text);
  if (to < from) throw new OptionError(`Port range \`${text}' not valid`);
  return { from, to };
}

function natAddress(text: string, family: Family): string {
  const v = parseAddressStrict(text, family);
  if (v === null) throw new OptionError(`Bad IP address "${text}"`);
  return formatAddress(v, family);
}

/** `[A[-B]][:P[-Q[/BASE]]]`; IPv6 addresses go in brackets when ports follow. */
function natRange(text: string, ctx: ExtContext, allowBase: boolean): NatRange {
  let addrPart = text;
  let portPart: string | undefined;
  if (ctx.family === 'ipv6') {
    if (text.startsWith('[')) {
      const close = text.indexOf(']');
      if (close < 0) throw new OptionError(`Invalid address format "${text}"`);
      addrPart = text.slice(1, close);
      const rest = text.slice(close + 1);
      if (rest !== '') {
        if (!rest.startsWith(':')) throw new OptionError(`Invalid address format "${text}"`);
        portPart = rest.slice(1);
      }
    } else if (text.startsWith(':') && !text.startsWith('::')) {
      addrPart = '';
      portPart = text.slice(1);
    }
  } else {
    const colon = text.indexOf(':');
    if (colon >= 0) {
      addrPart = text.slice(0, colon);
      portPart = text.slice(colon + 1);
    }
  }
  const range: Mutable<NatRange> = {};
  if (addrPart !== '') {
    const dash = addrPart.indexOf('-');
    range.addrFrom = natAddress(dash < 0 ? addrPart : addrPart.slice(0, dash), ctx.family);
    range.addrTo = dash < 0 ? range.addrFrom : natAddress(addrPart.slice(dash + 1), ctx.family);
  }
  if (portPart !== undefined) {
    requirePortProtocol(ctx);
    const slash = portPart.indexOf('/');
    const ports = portsRange(slash < 0 ? portPart : portPart.slice(0, slash));
    range.portFrom = ports.from;
    range.portTo = ports.to;
    if (slash >= 0) {
      if (!allowBase) throw new OptionError(`Port \`${portPart}' not valid`);
      range.portBase = natPort(portPart.slice(slash + 1), portPart);
    }
  }
  if (range.addrFrom === undefined && range.portFrom === undefined) throw new OptionError(`Invalid address "${text}"`);
  return range;
}

/** __NAT_print */
export function formatNatRange(r: NatRange, family: Family): string {
  const hasPorts = r.portFrom !== undefined;
  let out = '';
  if (r.addrFrom !== undefined) {
    const addr = r.addrTo !== undefined && r.addrTo !== r.addrFrom ? `${r.addrFrom}-${r.addrTo}` : r.addrFrom;
    out += family === 'ipv6' && hasPorts ? `[${addr}]` : addr;
  }
  if (hasPorts) {
    out += `:${r.portFrom}`;
    if (r.portTo !== r.portFrom) out += `-${r.portTo}`;
    if (r.portBase !== undefined) out += `/${r.portBase}`;
  }
  return out;
}

function natExtension(name: 'DNAT' | 'SNAT') {
  const to = name === 'DNAT' ? 'to-destination' : 'to-source';
  return extension<Mutable<NatTarget>>({
    name,
    type: 'target',
    init: () => ({ kind: 'extension', name, ranges: [], random: false, randomFully: false, persistent: false }),
    options: [
      {
        names: [to], args: 1, mandatory: true,
        apply: (s, [a], _n, ctx) => void s.ranges.push(natRange(a!, ctx, name === 'DNAT')),
      },
      { names: ['random'], args: 0, apply: (s) => void (s.random = true) },
      { names: ['persistent'], args: 0, apply: (s) => void (s.persistent = true) },
      ...(name === 'SNAT' ? [{ names: ['random-fully'], args: 0 as const, apply: (s: Mutable<NatTarget>) => void (s.randomFully = true) }] : []),
    ],
    save: (s, family) => [
      ...s.ranges.flatMap((r) => [`--${to}`, formatNatRange(r, family)]),
      ...(s.random ? ['--random'] : []),
      ...(s.randomFully ? ['--random-fully'] : []),
      ...(s.persistent ? ['--persistent'] : []),
    ],
  });
}

export const DNAT = natExtension('DNAT');
export const SNAT = natExtension('SNAT');

function portsTarget(name: 'MASQUERADE' | 'REDIRECT') {
  return extension<Mutable<MasqueradeTarget>>({
    name,
    type: 'target',
    init: () => ({ kind: 'extension', name, random: false, randomFully: false }),
    options: [
      {
        names: ['to-ports'], args: 1,
        apply: (s, [a], _n, ctx) => {
          requirePortProtocol(ctx);
          s.ports = portsRange(a!);
        },
      },
      { names: ['random'], args: 0, apply: (s) => void (s.random = true) },
      ...(name === 'MASQUERADE' ? [{ names: ['random-fully'], args: 0 as const, apply: (s: Mutable<MasqueradeTarget>) => void (s.randomFully = true) }] : []),
    ],
    save: (s) => [
      ...(s.ports ? ['--to-ports', formatRange(s.ports, '-')] : []),
      ...(s.random ? ['--random'] : []),
      ...(s.randomFully ? ['--random-fully'] : []),
    ],
  });
}

export const MASQUERADE = portsTarget('MASQUERADE');
export const REDIRECT = portsTarget('REDIRECT');

export const NETMAP = extension<Omit<Mutable<NetmapTarget>, 'to'> & { to: NetmapTarget['to'] | undefined }>({
  name: 'NETMAP',
  type: 'target',
  init: () => ({ kind: 'extension', name: 'NETMAP', to: undefined }),
  options: [
    {
      names: ['to'], args: 1, mandatory: true,
      apply: (s, [a], _n, ctx) => {
        const am = parseAddressMask(a!, ctx.family);
        if (typeof am === 'string') throw new OptionError(am);
        s.to = am;
      },
    },
  ],
  save: (s) => ['--to', formatAddressMask(s.to!)],
});

// ---- marks ------------------------------------------------------------------------------------

/** The --set-xmark pair each MARK/CONNMARK spelling stands for. */
function xsetOf(option: string, text: string): MarkMask {
  if (option === 'set-xmark') return markMask(text, option);
  if (option === 'set-mark') {
    const { value, mask } = markMask(text, option);
    return { value, mask: (mask | value) >>> 0 };
  }
  const v = parseUint(text, U32);
  if (v === null) throw new OptionError(`bad integer value for option "--${option}", or out of range.`);
  if (option === 'and-mark') return { value: 0, mask: ~v >>> 0 };
  if (option === 'or-mark') return { value: v, mask: v };
  return { value: v, mask: 0 }; // xor-mark
}

const XSET_OPTIONS = ['set-xmark', 'set-mark', 'and-mark', 'or-mark', 'xor-mark'] as const;

type MarkState = Omit<Mutable<MarkTarget>, 'xset'> & { xset: MarkMask | undefined };

export const MARK = extension<MarkState>({
  name: 'MARK',
  type: 'target',
  init: () => ({ kind: 'extension', name: 'MARK', xset: undefined }),
  options: XSET_OPTIONS.map((opt) => ({
    names: [opt], args: 1 as const,
    apply: (s: MarkState, [a]: string[]) => {
      if (s.xset) throw new OptionError('MARK target: Can only specify one of --set-xmark, --set-mark, --and-mark, --or-mark or --xor-mark');
      s.xset = xsetOf(opt, a!);
    },
  })),
  finish: (s) => {
    if (!s.xset) throw new OptionError('MARK target: Parameter --set/and/or/xor-mark is required');
  },
  save: (s) => ['--set-xmark', `${hex(s.xset!.value)}/${hex(s.xset!.mask)}`],
});

type ConnmarkState = Omit<Mutable<ConnmarkTarget>, 'mode'> & { mode: ConnmarkTarget['mode'] | undefined };

function connmarkMode(s: ConnmarkState, mode: ConnmarkTarget['mode']): void {
  if (s.mode) throw new OptionError('CONNMARK target: Can only specify one of --set-xmark, --set-mark, --and-mark, --or-mark, --xor-mark, --save-mark or --restore-mark');
  s.mode = mode;
}

export const CONNMARK = extension<ConnmarkState>({
  name: 'CONNMARK',
  type: 'target',
  init: () => ({ kind: 'extension', name: 'CONNMARK', mode: undefined }),
  options: [
    ...XSET_OPTIONS.map((opt) => ({
      names: [opt], args: 1 as const,
      apply: (s: ConnmarkState, [a]: string[]) => {
        connmarkMode(s, 'set');
        s.xset = xsetOf(opt, a!);
      },
    })),
    { names: ['save-mark'], args: 0, apply: (s) => connmarkMode(s, 'save') },
    { names: ['restore-mark'], args: 0, apply: (s) => connmarkMode(s, 'restore') },
    { names: ['mask'], args: 1, apply: (s, [a]) => void (s.nfmask = s.ctmask = xsetOf('set-xmark', a!).value) },
    { names: ['nfmask'], args: 1, apply: (s, [a]) => void (s.nfmask = xsetOf('set-xmark', a!).value) },
    { names: ['ctmask'], args: 1, apply: (s, [a]) => void (s.ctmask = xsetOf('set-xmark', a!).value) },
  ],
  finish: (s) => {
    if (!s.mode) throw new OptionError('CONNMARK target: No operation specified');
    if (s.mode === 'set' && (s.nfmask !== undefined || s.ctmask !== undefined)) {
      throw new OptionError('CONNMARK target: --mask, --nfmask and --ctmask go with --save-mark or --restore-mark only');
    }
    if (s.mode !== 'set') {
      s.nfmask ??= U32;
      s.ctmask ??= U32;
    }
  },
  save: (s) =>
    s.mode === 'set'
      ? ['--set-xmark', `${hex(s.xset!.value)}/${hex(s.xset!.mask)}`]
      : [`--${s.mode}-mark`, '--nfmask', hex(s.nfmask!), '--ctmask', hex(s.ctmask!)],
});

// ---- REJECT -----------------------------------------------------------------------------------

/** [canonical name, alias] per family, as libipt_REJECT / libip6t_REJECT list them. */
const REJECT4: ReadonlyArray<readonly [string, string]> = [
  ['icmp-net-unreachable', 'net-unreach'], ['icmp-host-unreachable', 'host-unreach'],
  ['icmp-proto-unreachable', 'proto-unreach'], ['icmp-port-unreachable', 'port-unreach'],
  ['icmp-net-prohibited', 'net-prohib'], ['icmp-host-prohibited', 'host-prohib'],
  ['tcp-reset', 'tcp-rst'], ['icmp-admin-prohibited', 'admin-prohib'],
];
const REJECT6: ReadonlyArray<readonly [string, string]> = [
  ['icmp6-no-route', 'no-route'], ['icmp6-adm-prohibited', 'adm-prohibited'],
  ['icmp6-addr-unreachable', 'addr-unreach'], ['icmp6-port-unreachable', 'port-unreach'],
  ['tcp-reset', 'tcp-reset'], ['icmp6-policy-fail', 'policy-fail'], ['icmp6-reject-route', 'reject-route'],
];

export const REJECT = extension<Mutable<RejectTarget>>({
  name: 'REJECT',
  type: 'target',
  init: (ctx) => ({ kind: 'extension', name: 'REJECT', with: ctx.family === 'ipv4' ? 'icmp-port-unreachable' : 'icmp6-port-unreachable' }),
  options: [
    {
      names: ['reject-with'], args: 1,
      apply: (s, [a], _n, ctx) => {
        const table = ctx.family === 'ipv4' ? REJECT4 : REJECT6;
        const hit = table.find(([name, alias]) => name === a || alias === a);
        if (!hit) throw new OptionError(`unknown reject type "${a}"`);
        s.with = hit[0];
      },
    },
  ],
  finish: (s, _given, ctx) => {
    if (s.with === 'tcp-reset' && !hasProtocol(ctx, 6)) {
      throw new OptionError('REJECT: --reject-with tcp-reset needs -p tcp');
    }
  },
  save: (s) => ['--reject-with', s.with],
});

// ---- LOG --------------------------------------------------------------------------------------

const LOG_LEVELS: Record<string, number> = {
  alert: 1, crit: 2, debug: 7, emerg: 0, error: 3, info: 6, notice: 5, panic: 0, warning: 4,
};
const LOG_FLAGS = ['tcp-sequence', 'tcp-options', 'ip-options', 'uid', 'macdecode'] as const;

export const LOG = extension<Mutable<LogTarget>>({
  name: 'LOG',
  type: 'target',
  init: () => ({ kind: 'extension', name: 'LOG', level: 4, flags: [] }),
  options: [
    {
      names: ['log-level'], args: 1,
      apply: (s, [a]) => {
        const n = /^\d+$/.test(a!) ? Number(a) : LOG_LEVELS[a!];
        if (n === undefined || n > 7) throw new OptionError(`log level "${a}" unknown`);
        s.level = n;
      },
    },
    {
      names: ['log-prefix'], args: 1,
      apply: (s, [a]) => {
        if (a!.length === 0) throw new OptionError('Argument must have a minimum length of 1 characters');
        if (a!.includes('\n')) throw new OptionError('Newlines not allowed in --log-prefix');
        s.prefix = a!.slice(0, 29); // the kernel's buffer holds 29 characters
      },
    },
    ...LOG_FLAGS.map((f) => ({ names: [`log-${f}`], args: 0 as const, apply: (s: Mutable<LogTarget>) => void (s.flags.includes(f) || s.flags.push(f)) })),
  ],
  save: (s) => [
    ...(s.prefix !== undefined ? ['--log-prefix', saveString(s.prefix)] : []),
    ...(s.level !== 4 ? ['--log-level', String(s.level)] : []),
    ...LOG_FLAGS.filter((f) => s.flags.includes(f)).map((f) => `--log-${f}`),
  ],
});
