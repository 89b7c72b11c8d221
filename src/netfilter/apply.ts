// What iptables-restore does with a payload, as a pure function: each `*table` section is
// applied to the table's current chains, one line after another, and must leave a consistent
// table at COMMIT. Semantics measured on iptables 1.8.9 (both backends, see README.md):
//   - without --noflush a section first empties its table (user chains deleted, built-in chains
//     emptied, policies back to ACCEPT as iptables-nft does; legacy keeps undeclared policies);
//   - `:CHAIN - [0:0]` creates a user chain, or empties an existing one;
//     `:BUILTIN POLICY [p:b]` sets the policy and leaves the chain's rules alone;
//   - -X deletes an empty, unreferenced user chain; -A/-I/-R/-D/-F/-Z/-P/-N/-E as the CLI does;
//   - a rule may only jump to a chain that exists when the rule is added;
//   - tables the payload does not mention are untouched.
import { InputError } from '../errors.js';
import type { Chain, ChainCommand, Command, Counters, Rule, RuleCommand, Ruleset, Table } from './model.js';
import { emptyTable, ZERO } from './builtin.js';
import { stateCommands } from './commands.js';
import { canonicalSpec } from './print-save.js';

export interface ApplyOptions {
  /** `iptables-restore --noflush`: keep what the tables hold */
  readonly noflush?: boolean;
  /** `iptables-restore --counters`: take `[pkts:bytes]` from chain and rule lines */
  readonly counters?: boolean;
}

/** What `iptables-restore [--noflush]` leaves when `payload` is applied to `state`. */
export function applyRestore(state: Ruleset, payload: Ruleset, opts: ApplyOptions = {}): Ruleset {
  if (state.family !== payload.family) {
    throw new InputError(`cannot apply an ${payload.family} payload to an ${state.family} state`);
  }
  const tables = new Map<string, WorkChain[]>();
  for (const t of state.tables) tables.set(t.name, t.chains.map(cloneChain));
  for (const section of payload.tables) {
    let chains = tables.get(section.name) ?? emptyTable(section.name).chains.map(cloneChain);
    if (!opts.noflush) chains = flushedTable(chains);
    tables.set(section.name, runSection(section, chains, { counters: opts.counters ?? false, lenient: false }));
  }
  return { family: state.family, tables: [...tables].map(([name, chains]) => freezeTable(name, chains)) };
}

/**
 * The chains a section leaves in a fresh namespace, leniently: a line that could only work on
 * an existing state (-D of a missing rule, -X of a chain in use, a jump to an undeclared chain)
 * is kept as far as possible instead of failing. This is the `chains` view parseRuleset gives.
 */
export function freshChains(section: Table): Chain[] {
  const chains = runSection(section, emptyTable(section.name).chains.map(cloneChain), { counters: true, lenient: true });
  return chains.map(freezeChain);
}

interface WorkChain {
  name: string;
  builtin: boolean;
  policy: Chain['policy'];
  counters: Counters;
  rules: Rule[];
}

interface RunOptions {
  readonly counters: boolean;
  readonly lenient: boolean;
}

function cloneChain(c: Chain): WorkChain {
  return { name: c.name, builtin: c.builtin, policy: c.policy, counters: c.counters, rules: [...c.rules] };
}

function freezeChain(c: WorkChain): Chain {
  return { name: c.name, builtin: c.builtin, policy: c.policy, counters: c.counters, rules: c.rules };
}

function freezeTable(name: string, chains: WorkChain[]): Table {
  const frozen = chains.map(freezeChain);
  return { name, chains: frozen, commands: stateCommands(frozen) };
}

function flushedTable(chains: WorkChain[]): WorkChain[] {
  return chains.filter((c) => c.builtin).map((c) => ({ ...c, policy: 'ACCEPT', counters: ZERO, rules: [] }));
}

/** A failed line, as iptables-restore reports it: the file, the line, what, the text. */
class LineError extends InputError {}

function lineError(cmd: Command, what: string): LineError {
  return new LineError(`${cmd.origin.source}:${cmd.origin.line}: ${what}: ${cmd.text}`);
}

function runSection(section: Table, chains: WorkChain[], opts: RunOptions): WorkChain[] {
  const table = new TableWork(section.name, chains, opts);
  for (const cmd of section.commands) {
    try {
      table.run(cmd);
    } catch (err) {
      if (!(err instanceof LineError) || !opts.lenient) throw err;
      table.recover(cmd);
    }
  }
  if (!opts.lenient) table.checkLoops();
  return table.chains;
}

class TableWork {
  /** chains by name: dumps have tens of thousands of chains */
  private readonly index = new Map<string, WorkChain>();

  constructor(
    readonly name: string,
    readonly chains: WorkChain[],
    readonly opts: RunOptions,
  ) {
    for (const c of chains) this.index.set(c.name, c);
  }

  private find(name: string): WorkChain | undefined {
    return this.index.get(name);
  }

  private create(name: string): WorkChain {
    const c: WorkChain = { name, builtin: false, policy: null, counters: ZERO, rules: [] };
    this.chains.push(c);
    this.index.set(name, c);
    return c;
  }

  private remove(c: WorkChain): void {
    this.chains.splice(this.chains.indexOf(c), 1);
    this.index.delete(c.name);
  }

  private need(cmd: Command, name: string | undefined): WorkChain {
    const c = name === undefined ? undefined : this.find(name);
    if (!c) throw lineError(cmd, `no chain "${name}" in table ${this.name}`);
    return c;
  }

  /** Rules enter with counters only if --counters, or if given by `-c` in the rule itself. */
  private admit(cmd: RuleCommand, rule: Rule): Rule {
    const t = rule.target;
    if (t?.kind === 'chain' && !this.opts.lenient && !this.find(t.name)) throw lineError(cmd, `chain "${t.name}" does not exist`);
    // the rule's counters are the bracket ones (same object) unless it had its own `-c`
    const fromBrackets = rule.counters !== undefined && rule.counters === cmd.counters;
    if (this.opts.counters && cmd.counters && !fromBrackets) throw lineError(cmd, 'multiple -c flags not allowed');
    if (!this.opts.counters && fromBrackets) return { ...rule, counters: undefined };
    return rule;
  }

  run(cmd: Command): void {
    switch (cmd.op) {
      case 'declare': {
        const existing = this.find(cmd.chain);
        if (existing?.builtin) {
          if (cmd.policy) existing.policy = cmd.policy;
          if (this.opts.counters && cmd.counters) existing.counters = cmd.counters;
          return;
        }
        if (cmd.policy) throw lineError(cmd, `can't set policy \`${cmd.policy}' on user-defined chain \`${cmd.chain}'`);
        if (existing) existing.rules = []; // declaring an existing user chain flushes it
        else this.create(cmd.chain);
        return;
      }
      case 'append':
      case 'insert':
      case 'replace': {
        const chain = this.need(cmd, cmd.chain);
        const rules = cmd.rules.map((r) => this.admit(cmd, r));
        if (cmd.op === 'append') {
          // one by one: `-s a,b,... -d c,d,...` can add more rules than push(...) takes arguments
          for (const r of rules) chain.rules.push(r);
        } else if (cmd.op === 'insert') {
          const pos = cmd.position ?? 1;
          if (pos > chain.rules.length + 1) throw lineError(cmd, 'index of insertion too big');
          // each rule of a comma list goes in at the same position, so they end up reversed
          for (const r of rules) chain.rules.splice(pos - 1, 0, r);
        } else {
          const pos = cmd.position!;
          if (rules.length !== 1) throw lineError(cmd, 'replacement rule does not specify a unique address');
          if (pos > chain.rules.length) throw lineError(cmd, 'index of replacement too big');
          chain.rules[pos - 1] = rules[0]!;
        }
        return;
      }
      case 'delete': {
        const chain = this.need(cmd, cmd.chain);
        if (cmd.position !== undefined) {
          if (cmd.position > chain.rules.length) throw lineError(cmd, 'index of deletion too big');
          chain.rules.splice(cmd.position - 1, 1);
          return;
        }
        for (const r of cmd.rules ?? []) {
          const spec = canonicalSpec(r);
          const i = chain.rules.findIndex((x) => canonicalSpec(x) === spec);
          if (i < 0) throw lineError(cmd, 'bad rule (does a matching rule exist in that chain?)');
          chain.rules.splice(i, 1);
        }
        return;
      }
      default:
        this.chainCommand(cmd);
    }
  }

  private chainCommand(cmd: ChainCommand): void {
    switch (cmd.op) {
      case 'new':
        if (this.find(cmd.chain!)) throw lineError(cmd, 'chain already exists');
        this.create(cmd.chain!);
        return;
      case 'delete-chain': {
        const victims = cmd.chain === undefined ? this.chains.filter((c) => !c.builtin) : [this.need(cmd, cmd.chain)];
        for (const v of victims) {
          if (v.builtin) throw lineError(cmd, `can't delete built-in chain "${v.name}"`);
          if (v.rules.length > 0) throw lineError(cmd, `chain "${v.name}" is not empty`);
          if (this.referenced(v.name)) throw lineError(cmd, `chain "${v.name}" is still referenced`);
        }
        for (const v of victims) this.remove(v);
        return;
      }
      case 'flush':
        for (const c of cmd.chain === undefined ? this.chains : [this.need(cmd, cmd.chain)]) c.rules = [];
        return;
      case 'zero':
        for (const c of cmd.chain === undefined ? this.chains : [this.need(cmd, cmd.chain)]) {
          c.counters = ZERO;
          c.rules = c.rules.map((r) => (r.counters ? { ...r, counters: ZERO } : r));
        }
        return;
      case 'policy': {
        const c = this.need(cmd, cmd.chain);
        if (!c.builtin) throw lineError(cmd, `can't set policy on user-defined chain "${c.name}"`);
        c.policy = cmd.policy!;
        return;
      }
      case 'rename': {
        const c = this.need(cmd, cmd.chain);
        if (c.builtin) throw lineError(cmd, `can't rename built-in chain "${c.name}"`);
        if (this.find(cmd.newName!)) throw lineError(cmd, `chain "${cmd.newName}" already exists`);
        const old = c.name;
        this.index.delete(old);
        c.name = cmd.newName!;
        this.index.set(c.name, c);
        c.rules = c.rules.map((r) => ({ ...r, chain: c.name }));
        // jumps follow the chain: the kernel refers to it, not to its name
        for (const ch of this.chains) {
          ch.rules = ch.rules.map((r) =>
            r.target?.kind === 'chain' && r.target.name === old ? retarget(r, c.name) : r,
          );
        }
        return;
      }
    }
  }

  private referenced(name: string): boolean {
    return this.chains.some((c) => c.rules.some((r) => r.target?.kind === 'chain' && r.target.name === name));
  }

  /** Lenient mode: keep what can be kept of a line that needs a state this table lacks. */
  recover(cmd: Command): void {
    if ((cmd.op === 'append' || cmd.op === 'insert') && !this.find(cmd.chain)) {
      this.create(cmd.chain);
      try {
        this.run(cmd.op === 'insert' ? { ...cmd, position: 1 } : cmd);
      } catch {
        // nothing more to keep
      }
    } else if (cmd.op === 'insert') {
      const chain = this.need(cmd, cmd.chain);
      for (const r of cmd.rules) chain.rules.push(r);
    }
  }

  /** The kernel refuses a table whose jumps loop (ELOOP). */
  checkLoops(): void {
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string, via?: Rule): void => {
      if (state.get(name) === 'done') return;
      if (state.get(name) === 'visiting') {
        const where = via ? `${via.origin.source}:${via.origin.line}: ` : '';
        throw new InputError(`${where}chain "${name}" is part of a loop of jumps: ${via?.raw ?? ''}`);
      }
      state.set(name, 'visiting');
      for (const r of this.find(name)?.rules ?? []) if (r.target?.kind === 'chain') visit(r.target.name, r);
      state.set(name, 'done');
    };
    for (const c of this.chains) visit(c.name);
  }
}

/** A rule whose jump target was renamed: its written text no longer applies, so use the save form. */
function retarget(rule: Rule, chain: string): Rule {
  const target = { kind: 'chain' as const, name: chain, goto: rule.target?.kind === 'chain' && rule.target.goto };
  const moved: Rule = { ...rule, target };
  return { ...moved, spec: canonicalSpec(moved) };
}
