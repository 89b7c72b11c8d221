// The tables iptables knows, their built-in chains in the kernel's hook order, and the empty
// state a fresh network namespace shows once a table has been touched.
import type { Chain, Family, Ruleset, Table } from './model.js';
import { InputError } from '../errors.js';
import { stateCommands } from './commands.js';

export const BUILTIN_CHAINS: Readonly<Record<string, readonly string[]>> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/**
 * The order printSave prints tables in: iptables-nft-save's fixed order. (iptables-legacy-save
 * prints them in the reverse order of their creation in that namespace, so compare dumps
 * table by table.)
 */
export const TABLE_ORDER: readonly string[] = ['mangle', 'security', 'raw', 'filter', 'nat'];

/** The verdicts every table knows (libxt_standard). */
export const VERDICTS: ReadonlySet<string> = new Set(['ACCEPT', 'DROP', 'RETURN', 'QUEUE']);

export function isTable(name: string): boolean {
  return Object.hasOwn(BUILTIN_CHAINS, name);
}

export const ZERO = { packets: 0n, bytes: 0n } as const;

/** A table as a fresh netns has it: built-in chains, policy ACCEPT, no rules. */
export function emptyTable(name: string): Table {
  const chains: Chain[] = (BUILTIN_CHAINS[name] ?? []).map((c) => ({ name: c, builtin: true, policy: 'ACCEPT', counters: ZERO, rules: [] }));
  return { name, chains, commands: stateCommands(chains) };
}

/**
 * The state of a fresh network namespace after the given tables were touched (default: all
 * five): their built-in chains with policy ACCEPT and zero counters, no rules.
 */
export function emptyRuleset(family: Family, tables: readonly string[] = ['filter', 'nat', 'mangle', 'raw', 'security']): Ruleset {
  for (const t of tables) if (!isTable(t)) throw new InputError(`unknown table "${t}"`);
  return { family, tables: tables.map(emptyTable) };
}
