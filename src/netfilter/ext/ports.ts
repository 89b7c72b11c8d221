// Port matches: tcp, udp, sctp (libxt_tcp.c, libxt_udp.c, libxt_sctp.c) and multiport
// (libxt_multiport.c, revision 1).
import type { MultiportMatch, PortRange, SctpMatch, TcpFlag, TcpMatch, UdpMatch } from '../model.js';
import { U16, U8, parseUint } from '../numbers.js';
import { protocolName } from '../netdb.js';
import {
  type ExtContext, type Mutable, type OptionDef, OptionError, bang, extension, formatRange, hasPortProtocol, neg, port, portRange, requireProtocol,
} from './kit.js';

type PortMatch = { sport?: { negated: boolean; value: PortRange }; dport?: { negated: boolean; value: PortRange } };

/** --sport / --dport (and their long names) of tcp, udp and sctp; udp reads ports as decimal. */
function portOptions<S extends PortMatch>(proto: string, syntax?: 'decimal'): OptionDef<S>[] {
  return [
    { names: ['source-port', 'sport'], args: 1, invert: true, apply: (s, [a], n) => void (s.sport = neg(portRange(a!, proto, syntax), n)) },
    { names: ['destination-port', 'dport'], args: 1, invert: true, apply: (s, [a], n) => void (s.dport = neg(portRange(a!, proto, syntax), n)) },
  ];
}

/** ` [!] --sport A[:B]`, omitted for the full range 0:65535 even when negated (tcp_save). */
function savePorts(option: string, r: { negated: boolean; value: PortRange } | undefined): string[] {
  if (!r || (r.value.from === 0 && r.value.to === U16)) return [];
  return [...bang(r.negated), `--${option}`, formatRange(r.value)];
}

const TCP_FLAGS: readonly TcpFlag[] = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'];

function tcpFlags(text: string): TcpFlag[] {
  const out = new Set<TcpFlag>();
  for (const item of text.split(',')) {
    const up = item.toUpperCase();
    if (up === 'ALL') TCP_FLAGS.forEach((f) => out.add(f));
    else if (up === 'NONE') continue;
    else if ((TCP_FLAGS as readonly string[]).includes(up)) out.add(up as TcpFlag);
    else throw new OptionError(`Unknown TCP flag \`${item}'`);
  }
  return TCP_FLAGS.filter((f) => out.has(f));
}

function printFlags(flags: readonly TcpFlag[]): string {
  return flags.length === 0 ? 'NONE' : flags.join(',');
}

export const tcp = extension<Mutable<TcpMatch>>({
  name: 'tcp',
  type: 'match',
  init: () => ({ module: 'tcp' }),
  options: [
    ...portOptions<Mutable<TcpMatch>>('tcp'),
    {
      names: ['syn'], args: 0, invert: true,
      apply: (s, _a, n) => {
        if (s.flags) throw new OptionError('Only one of `--syn\' or `--tcp-flags\' allowed');
        s.flags = neg({ mask: ['FIN', 'SYN', 'RST', 'ACK'], comp: ['SYN'] }, n);
      },
    },
    {
      names: ['tcp-flags'], args: 2, invert: true,
      apply: (s, [mask, comp], n) => {
        if (s.flags) throw new OptionError('Only one of `--syn\' or `--tcp-flags\' allowed');
        s.flags = neg({ mask: tcpFlags(mask!), comp: tcpFlags(comp!) }, n);
      },
    },
    {
      names: ['tcp-option'], args: 1, invert: true,
      apply: (s, [a], n) => {
        const v = parseUint(a!, U8, 1);
        if (v === null) throw new OptionError(`Bad TCP option "${a}"`);
        s.option = neg(v, n);
      },
    },
  ],
  finish: (_s, _given, ctx) => requireProtocol(ctx, 6, 'TCP', 'tcp'),
  save: (s) => [
    ...savePorts('sport', s.sport),
    ...savePorts('dport', s.dport),
    ...(s.option && (s.option.value !== 0 || s.option.negated) ? [...bang(s.option.negated), '--tcp-option', String(s.option.value)] : []),
    ...(s.flags && (s.flags.value.mask.length > 0 || s.flags.negated)
      ? [...bang(s.flags.negated), '--tcp-flags', printFlags(s.flags.value.mask), printFlags(s.flags.value.comp)]
      : []),
  ],
});

export const udp = extension<Mutable<UdpMatch>>({
  name: 'udp',
  type: 'match',
  init: () => ({ module: 'udp' }),
  options: [
    ...portOptions<Mutable<UdpMatch>>('udp', 'decimal'),
  ],
  finish: (_s, _given, ctx) => requireProtocol(ctx, 17, 'UDP', 'udp'),
  save: (s) => [...savePorts('sport', s.sport), ...savePorts('dport', s.dport)],
});

export const sctp = extension<Mutable<SctpMatch>>({
  name: 'sctp',
  type: 'match',
  init: () => ({ module: 'sctp' }),
  options: [
    ...portOptions<Mutable<SctpMatch>>('sctp'),
    {
      // kept as written: svctrace does not model chunk matching
      names: ['chunk-types'], args: 2, invert: true,
      apply: (s, [scope, types], n) => {
        const sc = scope!.toLowerCase();
        if (sc !== 'all' && sc !== 'any' && sc !== 'only') throw new OptionError('--chunk-types requires all|any|only');
        s.chunkTypes = neg({ scope: sc, types: types! }, n);
      },
    },
  ],
  finish: (_s, _given, ctx) => requireProtocol(ctx, 132, 'SCTP', 'sctp'),
  // sctp_save prints a given port option even for the full range 0:65535
  save: (s) => [
    ...(s.sport ? [...bang(s.sport.negated), '--sport', formatRange(s.sport.value)] : []),
    ...(s.dport ? [...bang(s.dport.negated), '--dport', formatRange(s.dport.value)] : []),
    ...(s.chunkTypes ? [...bang(s.chunkTypes.negated), '--chunk-types', s.chunkTypes.value.scope, s.chunkTypes.value.types] : []),
  ],
});

/** Revision 1 list: up to 15 slots, a range `A:B` (A < B) taking two. */
function multiportList(text: string, ctx: ExtContext): PortRange[] {
  if (!hasPortProtocol(ctx)) throw new OptionError("multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
  const proto = protocolName(ctx.protocol!.value)!;
  const out: PortRange[] = [];
  let slots = 0;
  for (const item of text.split(',')) {
    const colon = item.indexOf(':');
    slots += colon < 0 ? 1 : 2;
    if (slots > 15) throw new OptionError('too many ports specified');
    if (colon < 0) {
      const v = port(item, proto);
      out.push({ from: v, to: v });
    } else {
      const from = port(item.slice(0, colon), proto);
      const to = port(item.slice(colon + 1), proto);
      if (to <= from) throw new OptionError('invalid portrange specified');
      out.push({ from, to });
    }
  }
  return out;
}

function multiportOption(direction: MultiportMatch['direction']) {
  return (s: Mutable<MultiportMatch>, [a]: string[], n: boolean, ctx: ExtContext) => {
    if (s.ports.length > 0) throw new OptionError('multiport can only have one option');
    s.direction = direction;
    s.negated = n;
    s.ports = multiportList(a!, ctx);
  };
}

export const multiport = extension<Mutable<MultiportMatch>>({
  name: 'multiport',
  type: 'match',
  init: () => ({ module: 'multiport', direction: 'either', negated: false, ports: [] }),
  options: [
    { names: ['source-ports', 'sports'], args: 1, invert: true, apply: multiportOption('source') },
    { names: ['destination-ports', 'dports'], args: 1, invert: true, apply: multiportOption('destination') },
    { names: ['ports'], args: 1, invert: true, apply: multiportOption('either') },
  ],
  finish: (s) => {
    if (s.ports.length === 0) throw new OptionError('multiport expects an option');
  },
  save: (s) => [
    ...bang(s.negated),
    s.direction === 'source' ? '--sports' : s.direction === 'destination' ? '--dports' : '--ports',
    s.ports.map((r) => formatRange(r)).join(','),
  ],
});

