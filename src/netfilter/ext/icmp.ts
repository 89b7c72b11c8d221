// icmp (libipt_icmp.c) and icmp6 (libip6t_icmp6.c): a type name or `TYPE[/CODE]`.
import type { IcmpMatch } from '../model.js';
import { U8, parseUint } from '../numbers.js';
import { type Mutable, OptionError, bang, extension, requireProtocol } from './kit.js';

/** [name, type, code min, code max] in libxtables' table order (aliases included). */
type IcmpName = readonly [string, number, number, number];

const ICMP4: readonly IcmpName[] = [
  ['any', 255, 0, 255], ['echo-reply', 0, 0, 255], ['pong', 0, 0, 255],
  ['destination-unreachable', 3, 0, 255], ['network-unreachable', 3, 0, 0], ['host-unreachable', 3, 1, 1],
  ['protocol-unreachable', 3, 2, 2], ['port-unreachable', 3, 3, 3], ['fragmentation-needed', 3, 4, 4],
  ['source-route-failed', 3, 5, 5], ['network-unknown', 3, 6, 6], ['host-unknown', 3, 7, 7],
  ['network-prohibited', 3, 9, 9], ['host-prohibited', 3, 10, 10], ['TOS-network-unreachable', 3, 11, 11],
  ['TOS-host-unreachable', 3, 12, 12], ['communication-prohibited', 3, 13, 13],
  ['host-precedence-violation', 3, 14, 14], ['precedence-cutoff', 3, 15, 15], ['source-quench', 4, 0, 255],
  ['redirect', 5, 0, 255], ['network-redirect', 5, 0, 0], ['host-redirect', 5, 1, 1],
  ['TOS-network-redirect', 5, 2, 2], ['TOS-host-redirect', 5, 3, 3], ['echo-request', 8, 0, 255],
  ['ping', 8, 0, 255], ['router-advertisement', 9, 0, 255], ['router-solicitation', 10, 0, 255],
  ['time-exceeded', 11, 0, 255], ['ttl-exceeded', 11, 0, 255], ['ttl-zero-during-transit', 11, 0, 0],
  ['ttl-zero-during-reassembly', 11, 1, 1], ['parameter-problem', 12, 0, 255], ['ip-header-bad', 12, 0, 0],
  ['required-option-missing', 12, 1, 1], ['timestamp-request', 13, 0, 255], ['timestamp-reply', 14, 0, 255],
  ['address-mask-request', 17, 0, 255], ['address-mask-reply', 18, 0, 255],
];

const ICMP6: readonly IcmpName[] = [
  ['destination-unreachable', 1, 0, 255], ['no-route', 1, 0, 0], ['communication-prohibited', 1, 1, 1],
  ['beyond-scope', 1, 2, 2], ['address-unreachable', 1, 3, 3], ['port-unreachable', 1, 4, 4],
  ['failed-policy', 1, 5, 5], ['reject-route', 1, 6, 6], ['packet-too-big', 2, 0, 255],
  ['time-exceeded', 3, 0, 255], ['ttl-exceeded', 3, 0, 255], ['ttl-zero-during-transit', 3, 0, 0],
  ['ttl-zero-during-reassembly', 3, 1, 1], ['parameter-problem', 4, 0, 255], ['bad-header', 4, 0, 0],
  ['unknown-header-type', 4, 1, 1], ['unknown-option', 4, 2, 2], ['echo-request', 128, 0, 255],
  ['ping', 128, 0, 255], ['echo-reply', 129, 0, 255], ['pong', 129, 0, 255],
  ['mld-listener-query', 130, 0, 255], ['mld-listener-report', 131, 0, 255], ['mld-listener-done', 132, 0, 255],
  ['mld-listener-reduction', 132, 0, 255], ['router-solicitation', 133, 0, 255],
  ['router-advertisement', 134, 0, 255], ['neighbour-solicitation', 135, 0, 255],
  ['neighbor-solicitation', 135, 0, 255], ['neighbour-advertisement', 136, 0, 255],
  ['neighbor-advertisement', 136, 0, 255], ['redirect', 137, 0, 255],
];

/** A name (any unambiguous prefix, case ignored) or `TYPE[/CODE]`. */
function icmpType(text: string, table: readonly IcmpName[], label: string): [number, number, number] {
  const lower = text.toLowerCase();
  const hits = table.filter(([name]) => name.toLowerCase().startsWith(lower));
  if (hits.length > 0 && text !== '') {
    const distinct = new Set(hits.map(([, t, a, b]) => `${t}/${a}/${b}`));
    if (distinct.size > 1) throw new OptionError(`Ambiguous ${label} type \`${text}': \`${hits[0]![0]}' or \`${hits[1]![0]}'?`);
    const [, type, min, max] = hits[0]!;
    return [type, min, max];
  }
  const slash = text.indexOf('/');
  const type = parseUint(slash < 0 ? text : text.slice(0, slash), U8);
  const code = slash < 0 ? null : parseUint(text.slice(slash + 1), U8);
  if (type === null || (slash >= 0 && code === null)) throw new OptionError(`Unknown ${label} type \`${text}'`);
  return code === null ? [type, 0, 255] : [type, code, code];
}

function icmpExtension(name: 'icmp' | 'icmp6', option: string, proto: number, table: readonly IcmpName[], label: string) {
  return extension<Mutable<IcmpMatch>>({
    name,
    type: 'match',
    family: name === 'icmp' ? 'ipv4' : 'ipv6',
    init: () => ({ module: name, negated: false, type: name === 'icmp' ? 255 : 0, codeMin: 0, codeMax: 255 }),
    options: [
      {
        names: [option], args: 1, invert: true,
        apply: (s, [a], n) => {
          [s.type, s.codeMin, s.codeMax] = icmpType(a!, table, label);
          s.negated = n;
        },
      },
    ],
    finish: (_s, _given, ctx) => requireProtocol(ctx, proto, label, name === 'icmp' ? 'icmp' : 'ipv6-icmp'),
    // icmp_save prints `any` for type 255; a code only when not the full range, and then only its minimum
    save: (s) => [
      ...bang(s.negated),
      `--${option}`,
      name === 'icmp' && s.type === 255
        ? 'any'
        : s.codeMin !== 0 || s.codeMax !== 255 ? `${s.type}/${s.codeMin}` : String(s.type),
    ],
  });
}

export const icmp = icmpExtension('icmp', 'icmp-type', 1, ICMP4, 'ICMP');
export const icmp6 = icmpExtension('icmp6', 'icmpv6-type', 58, ICMP6, 'ICMPv6');
