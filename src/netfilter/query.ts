// Small typed look-ups over a Ruleset for the tracer and the differ.
import type { KnownMatch, Match, Rule, Ruleset, Table } from './model.js';

/** The rule's matches of one modelled module, typed: `matchesOf(rule, 'tcp')[0]?.dport`. */
export function matchesOf<M extends KnownMatch['module']>(rule: Rule, module: M): Array<Extract<KnownMatch, { module: M }>> {
  return rule.matches.filter((m: Match): m is Extract<KnownMatch, { module: M }> => m.module === module && !('opaque' in m));
}

/** The table of that name (the last `*name` section when the text had several). */
export function tableOf(ruleset: Ruleset, name: string): Table | undefined {
  return ruleset.tables.filter((t) => t.name === name).at(-1);
}
