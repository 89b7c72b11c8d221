// Restore lines for a state: what printRestore prints for a Ruleset that was not parsed from
// text (applyRestore's result, emptyRuleset): every chain declared, then its rules appended.
import type { Chain, Counters, DeclareCommand, Origin, Rule, RuleCommand, Table } from './model.js';

/** `:NAME POLICY [pkts:bytes]`, the one formatter for chain lines (user chains: `-`). */
export function chainLine(name: string, policy: string | null, counters: Counters): string {
  return `:${name} ${policy ?? '-'} ${counterText(counters)}`;
}

/** `[pkts:bytes]`, as chain lines and `iptables-save -c` rule lines show counters. */
export function counterText(c: Counters): string {
  return `[${c.packets}:${c.bytes}]`;
}

function declareText(chain: Chain, origin: Origin): DeclareCommand {
  return {
    op: 'declare',
    chain: chain.name,
    policy: chain.policy,
    counters: chain.counters,
    origin,
    text: chainLine(chain.name, chain.policy, chain.counters),
  };
}

/** `-A CHAIN <the rule as written>` */
function appendText(rule: Rule): RuleCommand {
  return { op: 'append', chain: rule.chain, rules: [rule], origin: rule.origin, text: appendLine(rule) };
}

function appendLine(rule: Rule): string {
  return rule.spec === '' ? `-A ${rule.chain}` : `-A ${rule.chain} ${rule.spec}`;
}

/** The commands that rebuild a table's chains in a flushed table. */
export function stateCommands(chains: readonly Chain[]): Table['commands'] {
  return [
    ...chains.map((c) => declareText(c, { source: '', line: 0 })),
    ...chains.flatMap((c) => c.rules.map(appendText)),
  ];
}
