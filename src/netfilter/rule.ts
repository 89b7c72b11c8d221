// One rule's words (after `-A CHAIN`) to typed data, the way iptables 1.8.9's do_parse reads
// them with getopt_long:
//   - long options may be abbreviated to any unambiguous prefix and written `--opt=value`;
//   - an option goes to the most recently loaded extension that has it (base options first);
//   - `-p tcp` plus an option no loaded extension knows (`--dport`) loads the protocol's match
//     implicitly, once, at that point of the rule (where iptables-save will print `-m tcp`);
//   - `!` negates the next option only.
// Extensions svctrace does not model (hashlimit, NFLOG, ...) are kept word for word.
import type {
  AddressMask, ChainTarget, Counters, Family, Flag, Match, Negatable, OpaqueMatch, OpaqueTarget, Target, VerdictTarget,
} from './model.js';
import { parseAddressList } from './addr.js';
import { VERDICTS } from './builtin.js';
import { parseProtocol, protocolName } from './netdb.js';
import { type AnyExtension, findMatch, findTarget, isShippedMatch, isShippedTarget } from './ext/registry.js';
import { type ExtContext, OptionError, finishExtension } from './ext/kit.js';
import type { Token } from './words.js';
import { interfaceName } from './ext/packet.js';

export { OptionError };

/** The parsed parts of a rule; -s/-d keep their comma lists (one rule per combination). */
export interface RuleSpec {
  readonly sources?: Negatable<AddressMask[]>;
  readonly destinations?: Negatable<AddressMask[]>;
  readonly inInterface?: Negatable<string>;
  readonly outInterface?: Negatable<string>;
  readonly protocol?: Negatable<number>;
  readonly fragment?: Flag;
  readonly matches: Match[];
  readonly target?: Target;
  /** from `-c PKTS BYTES` */
  readonly counters?: Counters;
  /** `-6` in iptables (or `-4` in ip6tables): iptables-restore skips the line */
  readonly skip: boolean;
}

export interface RuleParseOptions {
  readonly family: Family;
  /** reject module names iptables does not ship and options no extension knows */
  readonly strict: boolean;
}

type BaseId = 's' | 'd' | 'p' | 'i' | 'o' | 'j' | 'g' | 'm' | 'f' | 'c' | '4' | '6' | 'v' | 'other';

/** iptables' original_opts: every base long option takes part in prefix matching. */
const BASE_LONG: ReadonlyArray<readonly [string, BaseId]> = [
  ['append', 'other'], ['delete', 'other'], ['check', 'other'], ['insert', 'other'], ['replace', 'other'],
  ['list', 'other'], ['list-rules', 'other'], ['flush', 'other'], ['zero', 'other'], ['new-chain', 'other'],
  ['delete-chain', 'other'], ['rename-chain', 'other'], ['policy', 'other'], ['source', 's'], ['destination', 'd'],
  ['src', 's'], ['dst', 'd'], ['protocol', 'p'], ['in-interface', 'i'], ['jump', 'j'], ['table', 'other'],
  ['match', 'm'], ['numeric', 'other'], ['out-interface', 'o'], ['verbose', 'v'], ['wait', 'other'],
  ['wait-interval', 'other'], ['exact', 'other'], ['fragments', 'f'], ['version', 'other'], ['help', 'other'],
  ['line-numbers', 'other'], ['modprobe', 'other'], ['set-counters', 'c'], ['goto', 'g'], ['ipv4', '4'], ['ipv6', '6'],
];
const BASE_BY_NAME = new Map(BASE_LONG);
const BASE_SHORT = new Set<string>(['s', 'd', 'p', 'i', 'o', 'j', 'g', 'm', 'f', 'c', '4', '6', 'v']);
const BASE_ARGS: Partial<Record<BaseId, number>> = { s: 1, d: 1, p: 1, i: 1, o: 1, j: 1, g: 1, m: 1, c: 2 };
const BASE_INVERT = new Set<BaseId>(['s', 'd', 'p', 'i', 'o', 'f']);

/** A loaded match or target: modelled (typed state) or opaque (words kept). */
interface Instance {
  readonly name: string;
  readonly type: 'match' | 'target';
  def?: AnyExtension;
  state?: unknown;
  readonly given: Set<string>;
  /** every word given to this instance, for opaque keeping */
  readonly words: string[];
  /** a later `-m` of the same module takes over its options */
  completed: boolean;
  /** svctrace models it; else its words are kept as given */
  readonly modelled: boolean;
}

type Resolved =
  | { kind: 'base'; id: BaseId; name: string }
  | { kind: 'ext'; inst: Instance; option: NonNullable<AnyExtension['options']>[number]; name: string };

export function parseRuleSpec(tokens: readonly Token[], opts: RuleParseOptions): RuleSpec {
  return new RuleParser(tokens, opts).parse();
}

class RuleParser {
  private i = 0;
  private invert = false;
  /** loaded matches and the target extension, oldest first (the newest gets an option first) */
  private readonly loaded: Instance[] = [];
  /** a verdict or chain target (extension targets are loaded instances) */
  private target?: Target;
  private protoUsed = false;
  private protocolText?: string;
  private sources?: Negatable<AddressMask[]>;
  private destinations?: Negatable<AddressMask[]>;
  private inInterface?: Negatable<string>;
  private outInterface?: Negatable<string>;
  private protocol?: Negatable<number>;
  private protoGiven = false;
  private fragment?: Flag;
  private counters?: Counters;
  private skip = false;

  private readonly words: readonly string[];
  /** each word as written (quotes kept): what opaque extensions keep */
  private readonly raws: readonly string[];

  /** what extensions see: the family and the rule's -p so far */
  private ctx: ExtContext;

  constructor(
    tokens: readonly Token[],
    private readonly opts: RuleParseOptions,
  ) {
    this.words = tokens.map((t) => t.text);
    this.raws = tokens.map((t) => t.raw);
    this.ctx = { family: opts.family };
  }

  parse(): RuleSpec {
    while (this.i < this.words.length) {
      const word = this.words[this.i++]!;
      if (word === '!') {
        if (this.invert) throw new OptionError('multiple consecutive ! not allowed');
        this.invert = true;
        continue;
      }
      if (!word.startsWith('-') || word === '-') {
        const opaque = this.lastOpaque();
        if (opaque) {
          opaque.words.push(this.raws[this.i - 1]!);
          continue;
        }
        throw new OptionError(`Bad argument \`${word}'`);
      }
      this.option(word);
    }
    if (this.invert) throw new OptionError('nothing appropriate following !');
    return this.finish();
  }

  /** The newest instance when it is opaque: words that follow it are its arguments. */
  private lastOpaque(): Instance | undefined {
    const last = this.loaded.at(-1);
    return last && !last.modelled ? last : undefined;
  }

  private load(inst: Instance): Instance {
    this.loaded.push(inst);
    return inst;
  }

  private get targetInstance(): Instance | undefined {
    return this.loaded.find((inst) => inst.type === 'target');
  }

  private option(word: string): void {
    let name: string;
    let inline: string | undefined;
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      name = eq < 0 ? word.slice(2) : word.slice(2, eq);
      inline = eq < 0 ? undefined : word.slice(eq + 1);
    } else {
      if (word.length !== 2 || !BASE_SHORT.has(word[1]!)) throw new OptionError(`unknown option "${word}"`);
      name = word[1]!;
    }
    const resolved = word.startsWith('--') ? this.resolveLong(name) : { kind: 'base' as const, id: name as BaseId, name };
    if (resolved === 'ambiguous') throw new OptionError(`unknown option "${word}"`);
    if (resolved === undefined) {
      if (this.loadImplicitProtocol(name)) {
        this.i--; // iptables re-reads the word with the protocol match's options merged in
        return;
      }
      if (this.giveToOpaque()) return;
      throw new OptionError(`unknown option "${word}"`);
    }
    if (resolved.kind === 'base') this.baseOption(resolved.id, word, inline);
    else this.extensionOption(resolved.inst, resolved.option, word, inline);
  }

  /** getopt_long: an exact name first, else a unique prefix (one option, maybe several aliases). */
  private resolveLong(name: string): Resolved | 'ambiguous' | undefined {
    // base options, then each loaded module newest first (a module's options go to its newest
    // instance: addMatch completes the older ones)
    const baseId = BASE_BY_NAME.get(name);
    if (baseId !== undefined) return { kind: 'base', id: baseId, name };
    const modules: Instance[] = [];
    for (let k = this.loaded.length - 1; k >= 0; k--) {
      const inst = this.loaded[k]!;
      if (inst.modelled && !inst.completed) modules.push(inst);
    }
    for (const inst of modules) {
      for (const option of inst.def!.options) if (option.names.includes(name)) return { kind: 'ext', inst, option, name };
    }
    if (name === '') return undefined;
    const prefixed: Resolved[] = [];
    for (const [n, id] of BASE_LONG) if (n.startsWith(name)) prefixed.push({ kind: 'base', id, name: n });
    for (const inst of modules) {
      for (const option of inst.def!.options) {
        for (const n of option.names) if (n.startsWith(name)) prefixed.push({ kind: 'ext', inst, option, name: n });
      }
    }
    if (prefixed.length === 0) return undefined;
    const first = prefixed[0]!;
    const same = (a: Resolved, b: Resolved) =>
      a === b ||
      (a.kind === 'base' ? b.kind === 'base' && a.id === b.id && a.id !== 'other' : b.kind === 'ext' && a.inst === b.inst && a.option === b.option);
    return prefixed.every((r) => same(first, r)) ? first : 'ambiguous';
  }

  /**
   * do_parse's command_default: with -p given, load the protocol's match once. (iptables loads
   * it for any unknown option; svctrace only when the match has that option, since an option
   * it cannot resolve may belong to an extension it keeps opaque.)
   */
  private loadImplicitProtocol(option: string): boolean {
    if (this.protoUsed || !this.protocol || this.protocolText === undefined) return false;
    const name = implicitMatchName(this.protocolText);
    if (name === undefined) return false;
    const def = findMatch(name, this.opts.family);
    if (!def) return false; // an unmodelled protocol match: its words go to an opaque instance
    const names = def.options.flatMap((o) => o.names);
    if (!names.includes(option) && !(option !== '' && names.some((n) => n.startsWith(option)))) return false;
    this.protoUsed = true;
    this.addMatch(name, def);
    return true;
  }

  /** An option no modelled extension knows: the newest opaque instance keeps it, with its values. */
  private giveToOpaque(): boolean {
    let target = this.loaded.findLast((x) => !x.modelled);
    if (!target && this.protocol && this.protocolText !== undefined && !this.protoUsed) {
      // e.g. `-p esp --espspi 5`: esp's match is shipped but not modelled
      const name = implicitMatchName(this.protocolText);
      if (name !== undefined && isShippedMatch(name, this.opts.family)) {
        this.protoUsed = true;
        target = this.addMatch(name, undefined);
      }
    }
    if (!target) {
      if (this.opts.strict) return false;
      // lenient: the newest modelled extension does not know this option (a newer iptables?);
      // keep that extension's words as given instead
      const newest = this.loaded.at(-1);
      if (!newest || !newest.modelled) return false;
      target = this.demote(newest);
    }
    if (this.invert) target.words.push('!');
    this.invert = false;
    target.words.push(this.raws[this.i - 1]!);
    while (this.i < this.words.length) {
      const next = this.words[this.i]!;
      if (next.startsWith('-') && next !== '-') break;
      if (next === '!' && this.words[this.i + 1]?.startsWith('-')) break;
      target.words.push(this.raws[this.i]!);
      this.i++;
    }
    return true;
  }

  /** Turns a modelled instance into an opaque one that keeps the words it was given. */
  private demote(inst: Instance): Instance {
    const opaque: Instance = { ...inst, def: undefined, state: undefined, modelled: false };
    this.loaded[this.loaded.indexOf(inst)] = opaque;
    return opaque;
  }

  private takeArgs(word: string, count: number, inline: string | undefined): string[] {
    const args: string[] = [];
    if (inline !== undefined) args.push(inline);
    while (args.length < count) {
      if (this.i >= this.words.length) throw new OptionError(`option "${word}" requires an argument`);
      const next = this.words[this.i]!;
      // the second word of a two-word option may not look like an option (xtables checks this)
      if (args.length >= 1 && (next.startsWith('-') || next.startsWith('!'))) throw new OptionError(`${word} requires two args`);
      args.push(next);
      this.i++;
    }
    return args;
  }

  private baseOption(id: BaseId, word: string, inline: string | undefined): void {
    const negated = this.invert;
    this.invert = false;
    if (negated && !BASE_INVERT.has(id)) {
      throw new OptionError(id === 'm' ? 'unexpected ! flag before --match' : `cannot have ! before ${word}`);
    }
    const nargs = BASE_ARGS[id] ?? 0;
    if (nargs === 0 && inline !== undefined) throw new OptionError(`option '${word}' doesn't allow an argument`);
    const args = this.takeArgs(word, nargs, inline);
    const once = <T>(current: T | undefined, flag: string): void => {
      if (current !== undefined) throw new OptionError(`multiple -${flag} flags not allowed`);
    };
    const family = this.opts.family;
    switch (id) {
      case 's':
      case 'd': {
        once(id === 's' ? this.sources : this.destinations, id);
        const list = parseAddressList(args[0]!, family);
        if (typeof list === 'string') throw new OptionError(list);
        if (id === 's') this.sources = { negated, value: list };
        else this.destinations = { negated, value: list };
        return;
      }
      case 'i':
      case 'o': {
        once(id === 'i' ? this.inInterface : this.outInterface, id);
        const name = interfaceName(args[0]!);
        const value = { negated, value: name };
        if (id === 'i') this.inInterface = value;
        else this.outInterface = value;
        return;
      }
      case 'p': {
        if (this.protoGiven) throw new OptionError('multiple -p flags not allowed');
        this.protoGiven = true;
        const text = args[0]!.toLowerCase();
        const num = parseProtocol(text);
        if (num === null) throw new OptionError(`unknown protocol "${args[0]}" specified`);
        if (num === 0 && negated) throw new OptionError('rule would never match protocol');
        this.protocolText = text;
        if (num !== 0) {
          this.protocol = { negated, value: num };
          this.ctx = { family, protocol: this.protocol };
        }
        return;
      }
      case 'f':
        if (family === 'ipv6') throw new OptionError("`-f' is not supported in IPv6, use -m frag instead");
        once(this.fragment, 'f');
        this.fragment = { negated };
        return;
      case 'm':
        this.matchOption(args[0]!);
        return;
      case 'j':
      case 'g':
        this.targetOption(args[0]!, id === 'g');
        return;
      case 'c': {
        const [p, b] = args;
        if (!/^\d+$/.test(p!) || !/^\d+$/.test(b!)) throw new OptionError(`-c packet counter not numeric`);
        this.counters = { packets: BigInt(p!), bytes: BigInt(b!) };
        return;
      }
      case '4':
      case '6':
        // iptables-restore skips a line meant for the other family
        if ((id === '6') === (family === 'ipv4')) this.skip = true;
        return;
      case 'v':
        return;
      default:
        throw new OptionError(`option "${word}" cannot be used in a rule`);
    }
  }

  private addMatch(name: string, def: AnyExtension | undefined): Instance {
    for (const other of this.loaded) if (other.type === 'match' && other.name === name) other.completed = true;
    return this.load({
      name,
      type: 'match',
      def,
      state: def?.init(this.ctx),
      given: new Set(),
      words: [],
      completed: false,
      modelled: def !== undefined,
    });
  }

  private matchOption(name: string): void {
    const def = findMatch(name, this.opts.family);
    if (!def && this.opts.strict && !isShippedMatch(name, this.opts.family)) {
      throw new OptionError(`Couldn't load match \`${name}':No such file or directory`);
    }
    this.addMatch(name, def);
  }

  private targetOption(name: string, goto: boolean): void {
    if (this.target || this.targetInstance) throw new OptionError(`multiple -${goto ? 'g' : 'j'} flags not allowed`);
    if (name.length === 0) throw new OptionError('Invalid target name (too short)');
    if (name.length > 28) throw new OptionError(`Invalid target name \`${name}' (28 chars max)`);
    const family = this.opts.family;
    const def = findTarget(name, family);
    if (goto) {
      if (VERDICTS.has(name) || def || isShippedTarget(name, family)) throw new OptionError(`goto '${name}' is not a chain`);
      this.target = { kind: 'chain', name, goto: true } satisfies ChainTarget;
      return;
    }
    if (VERDICTS.has(name)) {
      this.target = { kind: 'verdict', name: name as VerdictTarget['name'] };
      return;
    }
    if (def || isShippedTarget(name, family)) {
      this.load({
        name, type: 'target', def, state: def?.init(this.ctx), given: new Set(), words: [], completed: false, modelled: def !== undefined,
      });
      return;
    }
    this.target = { kind: 'chain', name, goto: false };
  }

  private extensionOption(inst: Instance, option: AnyExtension['options'][number], word: string, inline: string | undefined): void {
    const negated = this.invert;
    this.invert = false;
    const canonical = option.names[0]!;
    if (negated && !option.invert) throw new OptionError(`${inst.name}: option "--${canonical}" cannot be inverted.`);
    if (inst.given.has(canonical) && !option.multi) throw new OptionError(`${inst.name}: option "--${canonical}" can only be used once.`);
    if (option.args === 0 && inline !== undefined) throw new OptionError(`option '--${canonical}' doesn't allow an argument`);
    const first = this.i - 1;
    const args = this.takeArgs(word, option.args, inline);
    if (negated) inst.words.push('!');
    inst.words.push(...this.raws.slice(first, this.i));
    inst.given.add(canonical);
    option.apply(inst.state, args, negated, this.ctx);
  }

  private finish(): RuleSpec {
    const ctx = this.ctx;
    const many = (this.sources?.value.length ?? 0) > 1 || (this.destinations?.value.length ?? 0) > 1;
    if (many && (this.sources?.negated || this.destinations?.negated)) {
      throw new OptionError('! not allowed with multiple source or destination IP addresses');
    }
    const matches: Match[] = this.loaded.filter((inst) => inst.type === 'match').map((inst) => {
      if (!inst.modelled) return { module: inst.name, opaque: true, args: inst.words } satisfies OpaqueMatch;
      finishExtension(inst.def!, inst.state, inst.given, ctx);
      return inst.state as Match;
    });
    let target = this.target;
    const ti = this.targetInstance;
    if (ti) {
      if (ti.modelled) {
        finishExtension(ti.def!, ti.state, ti.given, ctx);
        target = ti.state as Target;
      } else {
        target = { kind: 'opaque', name: ti.name, args: ti.words, goto: false } satisfies OpaqueTarget;
      }
    }
    return {
      sources: this.sources,
      destinations: this.destinations,
      inInterface: this.inInterface?.value === '+' ? undefined : this.inInterface,
      outInterface: this.outInterface?.value === '+' ? undefined : this.outInterface,
      protocol: this.protocol,
      fragment: this.fragment,
      matches,
      target,
      counters: this.counters,
      skip: this.skip,
    };
  }
}

/** The match iptables loads for `-p X`: the protocol's name (icmpv6 and ipv6-icmp load icmp6). */
function implicitMatchName(protocolText: string): string | undefined {
  const num = parseProtocol(protocolText);
  const name = /^\+?[0-9]/.test(protocolText) ? (num === null ? undefined : protocolName(num) ?? undefined) : protocolText;
  if (name === 'icmpv6' || name === 'ipv6-icmp') return 'icmp6';
  return name;
}
