// The two text forms of a node's rules, as lines that remember what they stand for:
//   - restore: exactly the payload kube-proxy feeds iptables-restore (its unit tests' form);
//   - save: what `iptables-save` prints on the node afterwards: the node baseline (jumps in the
//     built-in chains, kubelet's chains, canaries) with the payload applied (--noflush),
//     printed canonically by src/netfilter.
// Every chain and rule line carries the service port / endpoint it belongs to, for `rules`
// selection, terminal annotations and -o json. Pure.
//
// Why the renderer's stage reaches into src/netfilter: the save form is render -> parse ->
// apply -> print, the pipeline itself, and only text crosses (the payload and the baseline's
// restore text), as DESIGN.md has the Ruleset built from text only. The baseline is kube-proxy's
// and kubelet's knowledge, so it stays here rather than teaching netfilter about Kubernetes;
// netfilter never imports this stage.
import { applyRestore, emptyRuleset, parseRuleset, printSave, type Family, type Ruleset } from '../netfilter/index.js';
import type { IPFamily } from '../cluster/ip.js';
import type { ChainRole, RuleOwner } from './line-writer.js';
import { nodeBaseline } from './node-baseline.js';
import type { ProfileSwitches } from './profiles.js';
import type { FamilyRender } from './render.js';

export type RulesForm = 'restore' | 'save';

export interface RulesLine {
  kind: 'table' | 'chain' | 'rule' | 'commit';
  table: string;
  /** The line as printed. */
  text: string;
  /** The chain declared (kind chain) or appended to (kind rule). */
  chain?: string;
  /** A built-in chain (INPUT, PREROUTING, ...). */
  builtin?: boolean;
  owner?: RuleOwner;
  /** For chain lines: what the chain is for its service port. */
  role?: ChainRole;
}

export interface FamilyRules {
  family: IPFamily;
  form: RulesForm;
  lines: RulesLine[];
}

const familyName = (f: IPFamily): Family => (f === 4 ? 'ipv4' : 'ipv6');
const SAVE_TABLES = ['mangle', 'filter', 'nat'] as const;

/** The payload as lines: `*table`, chain declarations, rules in write order, COMMIT. */
export function restoreLines(render: FamilyRender): RulesLine[] {
  const lines: RulesLine[] = [];
  for (const t of render.tables) {
    lines.push({ kind: 'table', table: t.name, text: `*${t.name}` });
    for (const c of t.chains) {
      lines.push({ kind: 'chain', table: t.name, text: `:${c.chain} - [0:0]`, chain: c.chain, ...(c.owner ? { owner: c.owner } : {}), ...(c.role ? { role: c.role } : {}) });
    }
    for (const r of t.rules) lines.push({ kind: 'rule', table: t.name, text: r.text, chain: r.chain, ...(r.owner ? { owner: r.owner } : {}) });
    lines.push({ kind: 'commit', table: t.name, text: 'COMMIT' });
  }
  return lines;
}

/** The node's tables for one family after kube-proxy's sync: baseline, then the payload with --noflush. */
export function nodeRuleset(render: FamilyRender, switches: ProfileSwitches): Ruleset {
  const family = familyName(render.family);
  const baseline = parseRuleset(nodeBaseline(switches, render.family).restore, { family, source: 'node baseline' });
  const payload = parseRuleset(render.payload, { family, source: 'kube-proxy payload' });
  const empty = emptyRuleset(family, SAVE_TABLES);
  return applyRestore(applyRestore(empty, baseline, { noflush: true }), payload, { noflush: true });
}

/**
 * The node's tables as `iptables-save` prints them. printSave sorts user chains by name, as
 * legacy iptables and iptables-nft >= 1.8.7 do; older iptables-nft printed them in creation
 * order, which the ruleset keeps (baseline chains first, then the payload's new chains).
 */
export function saveText(render: FamilyRender, switches: ProfileSwitches, order: ProfileSwitches['saveChainOrder'] = switches.saveChainOrder): string {
  const ruleset = nodeRuleset(render, switches);
  const text = printSave(ruleset);
  return order === 'name' ? text : inCreationOrder(text, ruleset);
}

/** Reorders the user chains of a printSave text (declarations and rule runs) as the ruleset created them. */
function inCreationOrder(text: string, ruleset: Ruleset): string {
  let out = '';
  for (const block of text.split(/(?<=^COMMIT\n)/m)) {
    const lines = block.split('\n').filter((l) => l !== '');
    if (lines.length === 0) continue;
    const table = ruleset.tables.find((t) => `*${t.name}` === lines[0]);
    const rank = new Map(table?.chains.map((c, i) => [c.name, i]) ?? []);
    const chainOf = (l: string) => l.slice(l.startsWith(':') ? 1 : 3).split(' ')[0]!;
    // Each line's rank is looked up once, not on every comparison; stable sorts keep each
    // chain's rules in order.
    const inOrder = (kept: string[]) =>
      kept
        .map((line) => ({ line, rank: rank.get(chainOf(line)) ?? 0 }))
        .sort((a, b) => a.rank - b.rank)
        .map((r) => r.line);
    const decls = inOrder(lines.filter((l) => l.startsWith(':')));
    const rules = inOrder(lines.filter((l) => l.startsWith('-A ')));
    // Joined, not spread into push(): a nat table's lines outnumber the call-argument limit.
    out += [lines[0]!, decls.join('\n'), rules.join('\n'), 'COMMIT'].filter((l) => l !== '').join('\n') + '\n';
  }
  return out;
}

/**
 * The save form as lines. A chain the payload declares holds exactly the payload's rules for
 * it, in order (restore flushed it first), so the n-th saved rule of such a chain is the n-th
 * payload rule written to it: owners carry over by position.
 */
export function saveLines(render: FamilyRender, switches: ProfileSwitches, order: ProfileSwitches['saveChainOrder'] = switches.saveChainOrder): RulesLine[] {
  const chainOwners = new Map<string, { owner?: RuleOwner; role?: ChainRole }>();
  const ruleOwners = new Map<string, (RuleOwner | undefined)[]>();
  for (const t of render.tables) {
    for (const c of t.chains) chainOwners.set(`${t.name}/${c.chain}`, { ...(c.owner ? { owner: c.owner } : {}), ...(c.role ? { role: c.role } : {}) });
    for (const r of t.rules) {
      const key = `${t.name}/${r.chain}`;
      let list = ruleOwners.get(key);
      if (!list) ruleOwners.set(key, (list = []));
      list.push(r.owner);
    }
  }
  const seen = new Map<string, number>();
  return saveTextLines(saveText(render, switches, order)).map((l) => {
    if (!l.chain) return l;
    const key = `${l.table}/${l.chain}`;
    if (l.kind === 'chain') return { ...l, ...chainOwners.get(key) };
    if (l.kind !== 'rule' || !chainOwners.has(key)) return l;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    const owner = ruleOwners.get(key)?.[n];
    return owner ? { ...l, owner } : l;
  });
}

/** Canonical iptables-save text (printSave's) as lines, without owners. */
export function saveTextLines(text: string): RulesLine[] {
  const lines: RulesLine[] = [];
  let table = '';
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      table = line.slice(1);
      lines.push({ kind: 'table', table, text: line });
    } else if (line === 'COMMIT') {
      lines.push({ kind: 'commit', table, text: line });
    } else if (line.startsWith(':')) {
      const chain = line.slice(1, line.indexOf(' '));
      lines.push({ kind: 'chain', table, text: line, chain, ...(line.endsWith(' - [0:0]') ? {} : { builtin: true }) });
    } else if (line.startsWith('-A ')) {
      const end = line.indexOf(' ', 3);
      lines.push({ kind: 'rule', table, text: line, chain: end < 0 ? line.slice(3) : line.slice(3, end) });
    }
  }
  return lines;
}

/** Per table, the chains kube-proxy's payload declares (what `rules --diff` compares). */
export function payloadChains(render: FamilyRender): Map<string, Set<string>> {
  return new Map(render.tables.map((t) => [t.name, new Set(t.chains.map((c) => c.chain))]));
}

export function familyRules(render: FamilyRender, switches: ProfileSwitches, form: RulesForm): FamilyRules {
  return { family: render.family, form, lines: form === 'restore' ? restoreLines(render) : saveLines(render, switches) };
}

/** The lines as text, one per line. */
export function linesText(lines: readonly RulesLine[]): string {
  return lines.map((l) => l.text + '\n').join('');
}

/**
 * Only what belongs to the services `wanted` accepts: their chains and rules, and their lines
 * in shared chains (KUBE-SERVICES, KUBE-NODEPORTS, ...), each table framed by `*table` and
 * COMMIT; tables with nothing of theirs are left out.
 */
export function selectLines(lines: readonly RulesLine[], wanted: (owner: RuleOwner) => boolean): RulesLine[] {
  return keepInTables(lines, (l) => l.owner !== undefined && wanted(l.owner));
}

/** The chain and rule lines `keep` accepts, each table framed by `*table` and COMMIT; tables left empty are dropped. */
export function keepInTables(lines: readonly RulesLine[], keep: (line: RulesLine) => boolean): RulesLine[] {
  const out: RulesLine[] = [];
  let pending: RulesLine[] = [];
  for (const l of lines) {
    if (l.kind === 'table') {
      pending = [l];
    } else if (l.kind === 'commit') {
      // One by one: a table's lines can outnumber the call-argument limit of push(...pending).
      if (pending.length > 1) {
        for (const p of pending) out.push(p);
        out.push(l);
      }
      pending = [];
    } else if (keep(l)) {
      pending.push(l);
    }
  }
  return out;
}

/** An owner test for one service, or for every service of a namespace. */
export function ownedBy(namespace: string, service?: string): (owner: RuleOwner) => boolean {
  return (o) => o.namespace === namespace && (service === undefined || o.service === service);
}
