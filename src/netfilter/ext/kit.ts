// What every match and target extension is made of: a table of options (libxtables'
// xt_option_entry: names, how many words each takes, whether `!` may precede it, whether it
// must be given), a parse step per option that fills the typed state, a final check, and a save
// function that prints the options in the extension's own fixed order, exactly as its libxt_*.c
// save function does.
import type { Family, Negatable, PortRange } from '../model.js';
import { U16, U32, parseDecimal, parseUint } from '../numbers.js';
import { servicePort } from '../netdb.js';

/** A bad option value or combination; the rule parser adds file, line and text. */
export class OptionError extends Error {}

export interface ExtContext {
  readonly family: Family;
  /** the rule's -p as parsed so far */
  readonly protocol?: Negatable<number>;
}

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface OptionDef<S> {
  /** long option names without `--`; the first is the canonical one */
  readonly names: readonly string[];
  /** words taken: 1 is the option's argument; 2 adds the next word (e.g. --tcp-flags MASK COMP) */
  readonly args: 0 | 1 | 2;
  /** may be preceded by `!` */
  readonly invert?: boolean;
  /** may be given more than once */
  readonly multi?: boolean;
  /** must be given (libxtables' XTOPT_MAND) */
  readonly mandatory?: boolean;
  readonly apply: (state: S, args: string[], negated: boolean, ctx: ExtContext) => void;
}

export interface ExtensionDef<S = unknown> {
  readonly name: string;
  readonly type: 'match' | 'target';
  /** only for this family (libipt_* / libip6t_*) */
  readonly family?: Family;
  readonly options: ReadonlyArray<OptionDef<S>>;
  readonly init: (ctx: ExtContext) => S;
  /** after the whole rule and its mandatory options: combinations; `given` holds canonical option names */
  readonly finish?: (state: S, given: ReadonlySet<string>, ctx: ExtContext) => void;
  /** the words after `-m NAME` / `-j NAME` as iptables-save prints them */
  readonly save: (state: S, family: Family) => string[];
}

/** The checks after the whole rule: mandatory options (as xtables_options_fcheck words it), then the extension's own. */
export function finishExtension<S>(def: ExtensionDef<S>, state: S, given: ReadonlySet<string>, ctx: ExtContext): void {
  for (const o of def.options) {
    if (o.mandatory && !given.has(o.names[0]!)) throw new OptionError(`${def.name}: option "--${o.names[0]}" must be specified`);
  }
  def.finish?.(state, given, ctx);
}

/** Declares an extension; the generic keeps each option's state typed. */
export function extension<S>(def: ExtensionDef<S>): ExtensionDef<S> {
  return def;
}

// ---- value parsers shared by extensions -----------------------------------------------------

export function uint(text: string, option: string, max = U32, min = 0): number {
  const v = parseUint(text, max, min);
  if (v === null) throw new OptionError(`bad value for option "--${option}", or out of range (${min}-${max})`);
  return v;
}

/**
 * A port number or a service name (getservbyname with the match's protocol). tcp, sctp and
 * multiport read numbers in C base-0 syntax (xtables_parse_port: `0x50` is 80); udp and
 * conntrack's x6 parsers in decimal only (`010` is 10, `0x50` an unknown service).
 */
export function port(text: string, proto: string, syntax: 'base0' | 'decimal' = 'base0'): number {
  const v = (syntax === 'base0' ? parseUint(text, U16) : parseDecimal(text, U16)) ?? servicePort(text, proto);
  if (v === null) {
    throw new OptionError(syntax === 'base0' ? `invalid port/service \`${text}' specified` : `Port "${text}" does not resolve to anything.`);
  }
  return v;
}

/** `P`, `A:B`, `A:` (to 65535), `:B` (from 0), `:` (any): tcp/udp/sctp port ranges. */
export function portRange(text: string, proto: string, syntax: 'base0' | 'decimal' = 'base0'): PortRange {
  const colon = text.indexOf(':');
  if (colon < 0) {
    const p = port(text, proto, syntax);
    return { from: p, to: p };
  }
  const from = colon === 0 ? 0 : port(text.slice(0, colon), proto, syntax);
  const to = colon === text.length - 1 ? U16 : port(text.slice(colon + 1), proto, syntax);
  if (from > to) throw new OptionError('invalid portrange (min > max)');
  return { from, to };
}

/** An inclusive range as save functions print it: `from:to` (or another separator), one number when from = to. */
export function formatRange(r: PortRange, sep = ':'): string {
  return r.from === r.to ? String(r.from) : `${r.from}${sep}${r.to}`;
}

/** Protocols whose header carries ports (tcp, udp, dccp, sctp, udplite): multiport and NAT port ranges need one. */
const PORT_PROTOCOLS: ReadonlySet<number> = new Set([6, 17, 33, 132, 136]);

/** The rule's `-p` (so far) is `proto`, not negated. */
export function hasProtocol(ctx: ExtContext, proto: number): boolean {
  return ctx.protocol?.value === proto && !ctx.protocol.negated;
}

/** The rule's `-p` (so far) is a protocol with ports, not negated. */
export function hasPortProtocol(ctx: ExtContext): boolean {
  return ctx.protocol !== undefined && !ctx.protocol.negated && PORT_PROTOCOLS.has(ctx.protocol.value);
}

/** A protocol match needs `-p NAME` (not negated): nft checks it while parsing, the legacy kernel on load. */
export function requireProtocol(ctx: ExtContext, proto: number, label: string, name: string): void {
  if (!hasProtocol(ctx, proto)) throw new OptionError(`${label} match requires '-p ${name}'`);
}

export function neg<T>(value: T, negated: boolean): Negatable<T> {
  return { negated, value };
}

/** ` !` before an option when negated, as save functions print it. */
export function bang(negated: boolean): string[] {
  return negated ? ['!'] : [];
}

/** A list of names from a fixed table, comma separated, matched without regard to case. */
export function nameList<T extends string>(text: string, table: readonly T[], what: string, prefix = false): T[] {
  const out: T[] = [];
  for (const item of text.split(',')) {
    const up = item.toUpperCase();
    const found = table.find((n) => n === up) ?? (prefix && up !== '' ? table.find((n) => n.startsWith(up)) : undefined);
    if (!found) throw new OptionError(`Bad ${what} "${item}"`);
    if (!out.includes(found)) out.push(found);
  }
  return out;
}

/** Names in table order: how bitmask printers list them. */
export function inTableOrder<T extends string>(names: readonly T[], table: readonly T[]): T[] {
  return table.filter((n) => names.includes(n));
}
