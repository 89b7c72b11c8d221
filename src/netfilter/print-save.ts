// The canonical `iptables-save` form (iptables 1.8.9), without the `# Generated`/`# Completed`
// comment lines: per table `*name`, built-in chains in hook order with policy and counters,
// user chains sorted by strcmp with `- [0:0]`, rules grouped by chain in that order, COMMIT.
// Inside a rule: -s, -d, -i, -o, -p, -f, then the matches in the order they were loaded, each
// printing its options in its own order, then the target.
import type { Chain, Match, Rule, Ruleset, Table, Target } from './model.js';
import { formatAddressMask } from './addr.js';
import { BUILTIN_CHAINS, TABLE_ORDER, ZERO } from './builtin.js';
import { chainLine, counterText } from './commands.js';
import { bang } from './ext/kit.js';
import { findMatch, findTarget } from './ext/registry.js';
import { protocolName } from './netdb.js';

export interface PrintSaveOptions {
  /** as `iptables-save -c`: `[pkts:bytes]` before every rule */
  readonly counters?: boolean;
  /** only these tables */
  readonly tables?: readonly string[];
}

/** Byte order, as strcmp sorts chain names. */
function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** The last section of each table (a later `*table` section replaces an earlier one). */
export function latestTables(ruleset: Ruleset): Table[] {
  const byName = new Map<string, Table>();
  for (const t of ruleset.tables) byName.set(t.name, t);
  const order = (n: string) => {
    const i = TABLE_ORDER.indexOf(n);
    return i < 0 ? TABLE_ORDER.length : i;
  };
  return [...byName.values()].sort((a, b) => order(a.name) - order(b.name) || compareNames(a.name, b.name));
}

/** Built-in chains in hook order, then user chains by strcmp: iptables-save's chain order. */
export function saveChainOrder(table: Table): Chain[] {
  const builtin = BUILTIN_CHAINS[table.name] ?? [];
  const builtins = builtin.map((n) => table.chains.find((c) => c.name === n)).filter((c): c is Chain => c !== undefined);
  const users = table.chains.filter((c) => !c.builtin).sort((a, b) => compareNames(a.name, b.name));
  return [...builtins, ...users];
}

export function printSave(ruleset: Ruleset, opts: PrintSaveOptions = {}): string {
  const lines: string[] = [];
  for (const table of latestTables(ruleset)) {
    if (opts.tables && !opts.tables.includes(table.name)) continue;
    const chains = saveChainOrder(table);
    lines.push(`*${table.name}`);
    // user chains have no counters in the kernel: iptables-save always prints [0:0]
    for (const c of chains) lines.push(chainLine(c.name, c.builtin ? c.policy ?? 'ACCEPT' : null, c.builtin ? c.counters : ZERO));
    for (const c of chains) {
      for (const r of c.rules) lines.push((opts.counters ? `${counterText(r.counters ?? ZERO)} ` : '') + canonicalRule(r));
    }
    lines.push('COMMIT');
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** One rule in save form: `-A CHAIN ...`. */
export function canonicalRule(rule: Rule): string {
  const spec = canonicalSpec(rule);
  return spec === '' ? `-A ${rule.chain}` : `-A ${rule.chain} ${spec}`;
}

// A rule is not changed once built (applyRestore makes new ones), so its save form is computed
// once: applyRestore's -D compares it with every rule of the chain, and the tracer quotes it in
// every step and assumption.
const specs = new WeakMap<Rule, string>();

/** A rule's save form after `-A CHAIN`: what two rules must share to be the same rule. */
export function canonicalSpec(rule: Rule): string {
  let spec = specs.get(rule);
  if (spec === undefined) {
    spec = saveWords(rule).join(' ');
    specs.set(rule, spec);
  }
  return spec;
}

function saveWords(rule: Rule): string[] {
  const out: string[] = [];
  for (const [flag, addr] of [['-s', rule.source], ['-d', rule.destination]] as const) {
    if (!addr) continue;
    // save_ipv4_addr: nothing for 0.0.0.0/0 (host bits are cleared, so any /0 is that)
    if (addr.value.prefix === 0 && !addr.negated) continue;
    out.push(...bang(addr.negated), flag, formatAddressMask(addr.value));
  }
  if (rule.inInterface) out.push(...bang(rule.inInterface.negated), '-i', rule.inInterface.value);
  if (rule.outInterface) out.push(...bang(rule.outInterface.negated), '-o', rule.outInterface.value);
  if (rule.protocol) out.push(...bang(rule.protocol.negated), '-p', protocolName(rule.protocol.value) ?? String(rule.protocol.value));
  if (rule.fragment) out.push(...bang(rule.fragment.negated), '-f');
  for (const m of rule.matches) out.push('-m', m.module, ...matchWords(m, rule));
  if (rule.target) out.push(...targetWords(rule.target, rule));
  return out;
}

function matchWords(m: Match, rule: Rule): string[] {
  if ('opaque' in m) return m.args;
  return findMatch(m.module, rule.family)!.save(m, rule.family);
}

function targetWords(t: Target, rule: Rule): string[] {
  switch (t.kind) {
    case 'verdict':
      return ['-j', t.name];
    case 'chain':
      return [t.goto ? '-g' : '-j', t.name];
    case 'opaque':
      return ['-j', t.name, ...t.args];
    case 'extension':
      return ['-j', t.name, ...findTarget(t.name, rule.family)!.save(t, rule.family)];
  }
}
