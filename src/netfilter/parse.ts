// iptables-save dumps and iptables-restore payloads to a Ruleset: a small line parser with
// explicit states (outside a table / inside `*table` until COMMIT), kube-proxy's parse.go
// approach. Every line keeps its text and number; a bad line is one InputError
// `<source>:<line>: <what>: <the line>`.
import { InputError } from '../errors.js';
import type {
  ChainCommand, Command, Counters, DeclareCommand, DeleteCommand, Family, Origin, Policy, Rule, RuleCommand, Ruleset, Table,
} from './model.js';
import { freshChains } from './apply.js';
import { canonicalSpec } from './print-save.js';
import { VERDICTS, isTable } from './builtin.js';
import { isShippedTarget } from './ext/registry.js';
import { OptionError, type RuleSpec, parseRuleSpec } from './rule.js';
import { type Token, tokenize } from './words.js';

export interface ParseOptions {
  /** a name for error messages, e.g. the file name (default `<input>`) */
  readonly source?: string;
  /** default: ipv6 when the text shows IPv6 addresses or ICMPv6, else ipv4 */
  readonly family?: Family;
  /** reject match modules iptables does not ship and options no extension knows (tests use this) */
  readonly strict?: boolean;
}

/** Reads iptables-save or iptables-restore text of any origin. */
export function parseRuleset(text: string, opts: ParseOptions = {}): Ruleset {
  const source = opts.source ?? '<input>';
  const family = opts.family ?? guessFamily(text);
  const strict = opts.strict ?? false;
  const sections: Table[] = [];
  let current: { name: string; commands: Command[] } | undefined;
  const lines = text.split('\n');
  lines.forEach((rawLine, idx) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const origin: Origin = { source, line: idx + 1 };
    const fail = (what: string) => new InputError(`${source}:${origin.line}: ${what}: ${trimmed}`);
    if (trimmed.startsWith('*')) {
      if (current) throw fail(`COMMIT expected before a new table (table ${current.name} is still open)`);
      const name = trimmed.slice(1);
      if (!isTable(name)) throw fail(`unknown table "${name}"`);
      current = { name, commands: [] };
      return;
    }
    if (!current) throw fail('expected a table line like "*filter"');
    if (trimmed === 'COMMIT') {
      sections.push({ name: current.name, chains: [], commands: current.commands });
      current = undefined;
      return;
    }
    try {
      current.commands.push(
        trimmed.startsWith(':') ? declareLine(trimmed, origin) : commandLine(trimmed, origin, current.name, family, strict),
      );
    } catch (err) {
      if (err instanceof OptionError) throw fail(err.message);
      throw err;
    }
  });
  if (current) throw new InputError(`${source}:${lines.length}: COMMIT expected at the end of table ${current.name}`);
  return { family, tables: sections.map((s) => ({ ...s, chains: freshChains(s) })) };
}

const POLICIES = new Set(['ACCEPT', 'DROP', '-']);

/** Chain names both backends accept: at most 28 characters, not an option or a target. */
function chainNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'empty chain name';
  if (name.length > 28) return `chain name \`${name}' too long (28 characters at most)`;
  if (name.startsWith('-') || name.startsWith('!')) return `chain name may not start with \`${name[0]}'`;
  if (VERDICTS.has(name) || isShippedTarget(name, 'ipv4') || isShippedTarget(name, 'ipv6')) return 'chain name may not clash with a target name';
  return undefined;
}

/** `[pkts:bytes]`, the whole of `text`. */
function counters(text: string): Counters | undefined {
  const m = /^\[(\d+):(\d+)\]$/.exec(text);
  return m ? { packets: BigInt(m[1]!), bytes: BigInt(m[2]!) } : undefined;
}

/** `:NAME POLICY [pkts:bytes]` (iptables-restore ignores anything after the counters). */
function declareLine(line: string, origin: Origin): DeclareCommand {
  const [name = '', policy, ctr] = line.slice(1).split(/[ \t]+/);
  const problem = chainNameProblem(name);
  if (problem) throw new OptionError(problem);
  if (policy === undefined) throw new OptionError('policy invalid');
  if (!POLICIES.has(policy)) throw new OptionError(`bad policy name "${policy}"`);
  return {
    op: 'declare',
    chain: name,
    policy: policy === '-' ? null : (policy as Policy),
    counters: ctr === undefined ? undefined : counters(ctr),
    origin,
    text: line,
  };
}

const COMMANDS: Record<string, Exclude<Command['op'], 'declare'>> = {
  '-A': 'append', '--append': 'append', '-I': 'insert', '--insert': 'insert', '-R': 'replace', '--replace': 'replace',
  '-D': 'delete', '--delete': 'delete', '-N': 'new', '--new-chain': 'new', '-X': 'delete-chain', '--delete-chain': 'delete-chain',
  '-F': 'flush', '--flush': 'flush', '-Z': 'zero', '--zero': 'zero', '-P': 'policy', '--policy': 'policy',
  '-E': 'rename', '--rename-chain': 'rename',
};

/** An argument that is not an option: iptables' test for optional arguments (xs_has_arg). */
function isPlainWord(t: Token | undefined): t is Token {
  return t !== undefined && !t.text.startsWith('-') && !t.text.startsWith('!');
}

function ruleNumber(t: Token): number {
  const n = /^\d+$/.test(t.text) ? Number(t.text) : NaN;
  if (!(n >= 1 && n <= 2147483647)) throw new OptionError(`Invalid rule number \`${t.text}'`);
  return n;
}

/** A command line: `[pkts:bytes] -A CHAIN rule...`, `-I CHAIN [N] rule...`, `-X [CHAIN]`, ... */
function commandLine(line: string, origin: Origin, table: string, family: Family, strict: boolean): Command {
  let rest = line;
  let bracket: Counters | undefined;
  if (rest.startsWith('[')) {
    const end = rest.indexOf(']') + 1;
    bracket = counters(rest.slice(0, end));
    if (!bracket) throw new OptionError('bad counters (expected [packets:bytes])');
    rest = rest.slice(end).replace(/^[ \t]+/, '');
  }
  const tokens = tokenize(rest);
  if (!tokens) throw new OptionError('unterminated quotes');
  const head = tokens[0]!.text;
  const op = COMMANDS[head];
  if (!op) {
    if (['-C', '--check', '-L', '--list', '-S', '--list-rules'].includes(head)) throw new OptionError(`${head} has no place in restore input`);
    if (head === '-t' || head === '--table') throw new OptionError('the -t option cannot be used in restore input');
    throw new OptionError('a line must start with a command such as -A CHAIN');
  }
  const chainTok = tokens[1];
  const needsChain = op !== 'delete-chain' && op !== 'flush' && op !== 'zero';
  if (needsChain && chainTok === undefined) throw new OptionError(`option "${head}" requires an argument`);
  const chain = chainTok?.text;
  const text = line;
  const noMore = (from: number) => {
    if (tokens.length > from) throw new OptionError(`unexpected \`${tokens[from]!.text}' after ${head}`);
  };
  const rulesOf = (from: number): { rules: Rule[]; spec: RuleSpec } => {
    const words = tokens.slice(from);
    const spec = parseRuleSpec(words, { family, strict });
    if (table === 'nat' && spec.target?.kind === 'verdict' && spec.target.name === 'DROP') {
      throw new OptionError('the "nat" table is not intended for filtering, the use of DROP is therefore inhibited');
    }
    const specText = words.map((t) => t.raw).join(' ');
    return { rules: expand(spec, { chain: chain!, raw: rest, spec: specText, origin, family, bracket }), spec };
  };
  switch (op) {
    case 'append':
    case 'insert':
    case 'replace': {
      let from = 2;
      let position: number | undefined;
      if (op === 'replace' || (op === 'insert' && isPlainWord(tokens[2]))) {
        if (!tokens[2]) throw new OptionError('-R requires a rule number');
        position = ruleNumber(tokens[2]);
        from = 3;
      }
      const { rules } = rulesOf(from);
      return { op, chain: chain!, position, rules, counters: bracket, origin, text } satisfies RuleCommand;
    }
    case 'delete': {
      if (isPlainWord(tokens[2])) {
        const position = ruleNumber(tokens[2]);
        noMore(3);
        return { op, chain: chain!, position, origin, text } satisfies DeleteCommand;
      }
      return { op, chain: chain!, rules: rulesOf(2).rules, origin, text } satisfies DeleteCommand;
    }
    case 'new':
    case 'rename': {
      const problem = chainNameProblem(op === 'new' ? chain! : tokens[2]?.text ?? '');
      if (problem) throw new OptionError(problem);
      noMore(op === 'new' ? 2 : 3);
      return { op, chain, newName: op === 'rename' ? tokens[2]!.text : undefined, origin, text } satisfies ChainCommand;
    }
    case 'policy': {
      const policy = tokens[2]?.text;
      if (policy !== 'ACCEPT' && policy !== 'DROP') throw new OptionError(`bad policy name "${policy ?? ''}"`);
      noMore(3);
      return { op, chain, policy, origin, text } satisfies ChainCommand;
    }
    default: {
      // -X, -F, -Z: the chain is optional (-Z may add a rule number, which iptables ignores here)
      const hasChain = isPlainWord(chainTok);
      let end = hasChain ? 2 : 1;
      if (op === 'zero' && hasChain && isPlainWord(tokens[2])) {
        ruleNumber(tokens[2]);
        end = 3;
      }
      noMore(end);
      return { op, chain: hasChain ? chain : undefined, origin, text } satisfies ChainCommand;
    }
  }
}

interface RuleContext {
  readonly chain: string;
  readonly raw: string;
  readonly spec: string;
  readonly origin: Origin;
  readonly family: Family;
  readonly bracket?: Counters;
}

/** One rule per -s × -d combination, in the order iptables adds them (sources outer). */
function expand(spec: RuleSpec, ctx: RuleContext): Rule[] {
  if (spec.skip) return [];
  const one = <T>(list: { negated: boolean; value: T[] } | undefined) =>
    list ? list.value.map((value) => ({ negated: list.negated, value })) : [undefined];
  const rules: Rule[] = [];
  const sources = one(spec.sources);
  const destinations = one(spec.destinations);
  // Several rules from one line each get their own spec (their save form): a state printed for
  // iptables-restore must not write every address of the line on each of them.
  const several = sources.length * destinations.length > 1;
  for (const source of sources) {
    for (const destination of destinations) {
      const rule: Rule = {
        family: ctx.family,
        chain: ctx.chain,
        raw: ctx.raw,
        spec: ctx.spec,
        origin: ctx.origin,
        // `-c` in the rule wins; brackets count only under --counters (applyRestore knows them by identity)
        counters: spec.counters ?? ctx.bracket,
        source,
        destination,
        inInterface: spec.inInterface,
        outInterface: spec.outInterface,
        protocol: spec.protocol,
        fragment: spec.fragment,
        matches: spec.matches,
        target: spec.target,
      };
      rules.push(several ? { ...rule, spec: canonicalSpec(rule) } : rule);
    }
  }
  return rules;
}

/** IPv6 when an address option holds an IPv6 address, or ICMPv6 is used. */
function guessFamily(text: string): Family {
  const v6 = /(?:^|\s)(?:-[sd]|--(?:source|destination|src|dst|to-destination|to-source|ctorigsrc|ctorigdst|src-range|dst-range))\s+(?:!\s+)?\[?[0-9a-fA-F]*:[0-9a-fA-F:.]*[:\]]/m;
  if (v6.test(text) || /(?:^|\s)-p\s+(?:icmpv6|ipv6-icmp|58)\b|--icmpv6-type|-j\s+REJECT\s+--reject-with\s+icmp6/m.test(text)) return 'ipv6';
  return 'ipv4';
}
