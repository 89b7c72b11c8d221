// `trace` for people: the walk as a tree. Paths share their beginning, so they are merged into
// one tree of steps; where paths part (a probabilistic rule), each branch is drawn with its
// odds the way the walkthrough explains kube-proxy's 1/3, 1/2, rest: "33.3% of new connections",
// "50% of the remaining 66.7% = 33.3%", "the remaining 33.3%". Under each hook ("nat
// PREROUTING", "filter FORWARD", ...) the rules that matched, indented by call depth; every
// branch ends with its verdict and the masquerade decision with its reason. Built-in chains
// that only let the packet pass by policy ACCEPT are left out (-o json keeps every step).
import { hex } from '../netfilter/numbers.js';
import { compareEndpoints, type TracePath, type TraceResult, type TraceStep } from '../netfilter/trace.js';
import { lastTakenStep, takenSteps, type StepTrail } from '../netfilter/trace-trail.js';
import { formatFixedGo } from '../proxy/probability.js';
import type { Palette } from './color.js';
import type { DestinationInfo } from './trace-doc.js';

export interface TraceTreeInputs {
  result: TraceResult;
  /** "label: text" lines above the tree (Packet, From, Rules) */
  header: ReadonlyArray<readonly [string, string]>;
  /** what a chain stands for ("service port ...", "endpoint ..."), when known */
  chainNote(chain: string): string | undefined;
  destinationInfo(destination: string): DestinationInfo | undefined;
  notes: readonly string[];
  colors: Palette;
}

interface TreeNode {
  step: TraceStep;
  key: string;
  /** probability mass through this step (sum over the paths that take it) */
  reach: number;
  children: TreeNode[];
  /** children by key, once there are many */
  index?: Map<string, TreeNode>;
  parent: TreeNode | undefined;
  /** the path that ends here */
  path?: TracePath;
}

const stepKey = (s: TraceStep) => `${s.table}\0${s.hook}\0${s.depth}\0${s.rule}\0${s.skipped ? 1 : 0}\0${s.effect ?? ''}`;

/** The child of `parent` (a root when undefined) for step `s`, made when there is none. */
function childFor(roots: TreeNode[], parent: TreeNode | undefined, s: TraceStep, made: TreeNode[]): TreeNode {
  const level = parent ? parent.children : roots;
  const key = stepKey(s);
  let node = parent?.index ? parent.index.get(key) : level.find((n) => n.key === key);
  if (node) return node;
  node = { step: s, key, reach: 0, children: [], parent };
  level.push(node);
  made.push(node);
  if (parent) {
    if (parent.index) parent.index.set(key, node);
    else if (level.length > 8) parent.index = new Map(level.map((n) => [n.key, n]));
  }
  return node;
}

/**
 * The paths merged into one tree of steps (equal steps at the same place are one node). Built
 * from the paths' trails: a trail node shared by many paths is placed once, so a balancing
 * chain of N rules costs N nodes, not the N^2/2 steps its paths hold between them.
 */
function buildTree(paths: readonly TracePath[]): { roots: TreeNode[]; leaves: TracePath[] } {
  const roots: TreeNode[] = [];
  const leaves: TracePath[] = [];
  const placed = new Map<StepTrail, TreeNode>();
  const made: TreeNode[] = []; // parents before their children
  const own = new Map<TreeNode, number>();
  for (const p of paths) {
    const fresh: StepTrail[] = [];
    let t = p.trail;
    while (t && !placed.has(t)) {
      fresh.push(t);
      t = t.parent;
    }
    let last = t ? placed.get(t) : undefined;
    for (let i = fresh.length - 1; i >= 0; i--) {
      last = childFor(roots, last, fresh[i]!.step, made);
      placed.set(fresh[i]!, last);
    }
    if (last) own.set(last, (own.get(last) ?? 0) + p.probability);
    if (last && last.children.length === 0 && !last.path) last.path = p;
    else leaves.push(p); // a path with no steps, or one that is a prefix of another (cannot happen in practice)
  }
  // reach: the paths ending at a node and everything below it, children before parents
  for (let i = made.length - 1; i >= 0; i--) {
    const node = made[i]!;
    node.reach += own.get(node) ?? 0;
    if (node.parent) node.parent.reach += node.reach;
  }
  return { roots, leaves };
}

/**
 * Children with the "not taken" parts of probabilistic rules dissolved: their children stand
 * beside the taken branch. Iterative: a balancing chain nests one "not taken" node per
 * endpoint, deeper than the call stack for a service of a few thousand endpoints.
 */
function visible(children: readonly TreeNode[]): TreeNode[] {
  const out: TreeNode[] = [];
  const pending: TreeNode[] = [];
  for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
  while (pending.length > 0) {
    const c = pending.pop()!;
    if (!c.step.skipped) out.push(c);
    else for (let i = c.children.length - 1; i >= 0; i--) pending.push(c.children[i]!);
  }
  return out;
}

export const percent = (x: number): string => {
  const t = (x * 100).toFixed(1);
  return `${t.endsWith('.0') ? t.slice(0, -2) : t}%`;
};

/** The walkthrough's way of saying a branch's share. */
function oddsText(n: TreeNode): string {
  const b = n.step.branch;
  const before = b === 0 ? 0 : n.reach / b;
  const total = `${percent(n.reach)} of new connections`;
  if (b >= 1) return `the remaining ${total}`;
  // As iptables-save prints --probability (printf "%.11f": exact, ties to even), so the text
  // finds the rule; toFixed rounds ties up (2^-12 would read 0.00024414063).
  const p = `probability ${formatFixedGo(b, 11)}`;
  if (Math.abs(before - 1) < 1e-12) return `${total} (${p})`;
  return `${percent(b)} of the remaining ${percent(before)} = ${total} (${p})`;
}

const isPolicyAccept = (s: TraceStep) => s.rule.startsWith(':') && s.rule.endsWith(' ACCEPT');

class Printer {
  readonly lines: string[] = [];
  constructor(readonly i: TraceTreeInputs) {}

  /**
   * A run of steps and its branches. `hook` is the hook whose header was printed last in this
   * column, `noted` the chains whose notes this path has printed.
   */
  segment(nodes: readonly TreeNode[], prefix: string, hook: string | undefined, noted: ReadonlySet<string>): void {
    const c = this.i.colors;
    let list = visible(nodes);
    let shownHook = hook;
    const lastNoted = new Set(noted);
    while (list.length === 1) {
      const n = list[0]!;
      shownHook = this.step(n.step, prefix, shownHook, lastNoted);
      if (n.path) this.verdictLine(n.path, prefix);
      list = visible(n.children);
    }
    // Branches of one chain (kube-proxy's balancing rules): the chain's note once, above them.
    const first = list[0]?.step;
    if (first && first.depth > 0 && list.every((n) => n.step.chain === first.chain && n.step.hook === first.hook)) {
      this.note(first, prefix, lastNoted);
    }
    list.forEach((n, idx) => {
      const last = idx === list.length - 1;
      this.lines.push(prefix + c.dim(last ? '└─ ' : '├─ ') + c.warn(oddsText(n)));
      this.segment([n], prefix + c.dim(last ? '   ' : '│  '), shownHook, lastNoted);
    });
  }

  /** Prints the chain's note the first time the path is in the chain. */
  note(s: TraceStep, prefix: string, noted: Set<string>): void {
    if (s.depth === 0 || noted.has(s.chain)) return;
    noted.add(s.chain);
    const text = this.i.chainNote(s.chain);
    if (text) this.lines.push(prefix + '  '.repeat(s.depth + 1) + this.i.colors.dim(`# ${s.chain}: ${text}`));
  }

  step(s: TraceStep, prefix: string, hook: string | undefined, noted: Set<string>): string | undefined {
    const c = this.i.colors;
    const here = `${s.table} ${s.hook}`;
    if (isPolicyAccept(s)) return hook;
    if (here !== hook) this.lines.push(prefix + c.header(here));
    const indent = '  '.repeat(s.depth + 1);
    this.note(s, prefix, noted);
    this.lines.push(prefix + indent + (s.rule.startsWith(':') ? `policy ${s.rule.split(' ')[1]}` : s.rule));
    if (s.effect?.startsWith('DNAT to ')) {
      const dest = s.effect.slice('DNAT to '.length);
      this.lines.push(prefix + indent + c.good(`→ DNAT to ${dest}${whoText(this.i.destinationInfo(dest))}`));
    } else if (s.effect?.startsWith('mark ')) {
      this.lines.push(prefix + indent + c.dim(`→ ${s.effect}`));
    }
    return here;
  }

  verdictLine(p: TracePath, prefix: string): void {
    const c = this.i.colors;
    const color = p.verdict === 'DROP' || p.verdict === 'REJECT' ? c.bad : c.good;
    this.lines.push(prefix + color(`⇒ ${pathVerdict(p, this.i.destinationInfo)}`));
    const why = masqueradeWhy(p);
    if (why) this.lines.push(prefix + c.dim(`  ${why}`));
  }
}

function whoText(who: DestinationInfo | undefined): string {
  if (!who?.pod && !who?.node) return '';
  return ` (${who.pod ? `pod ${who.pod}` : ''}${who.pod && who.node ? ' on ' : ''}${who.node ? `${who.pod ? '' : 'node '}${who.node}` : ''})`;
}

const DELIVERY: Record<TracePath['delivery'], string> = {
  local: 'delivered to a process on the node',
  forward: 'forwarded',
  output: 'sent from the node',
  stopped: 'stopped',
};

function pathVerdict(p: TracePath, info: TraceTreeInputs['destinationInfo']): string {
  const last = lastTakenStep(p.trail);
  switch (p.verdict) {
    case 'DNAT':
      return `DNAT to ${p.destination}${whoText(info(p.destination!))}, ${DELIVERY[p.delivery]}${p.masquerade ? ', masqueraded' : ''}`;
    case 'DROP':
    case 'REJECT':
      return `${p.verdict === 'DROP' ? 'DROPPED' : 'REJECTED'} by ${last ? `${last.table} ${last.rule.startsWith(':') ? `${last.chain} policy` : last.rule}` : 'policy'}`;
    case 'ACCEPT':
      return `passes unchanged (ACCEPT), ${DELIVERY[p.delivery]}${p.masquerade ? ', masqueraded' : ''}`;
  }
}

/** Why the path is (not) masqueraded: the MASQUERADE rule and what set the mark it tests, or what returned. */
export function masqueradeWhy(p: TracePath): string | undefined {
  if (p.delivery === 'stopped') return undefined;
  const steps = takenSteps(p.trail);
  const marks = steps
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.effect?.startsWith('mark ') && !(s.table === 'nat' && s.hook === 'POSTROUTING'))
    .map(({ s, i }) => {
      // the rule that jumped into the marking chain (e.g. "-j KUBE-MARK-MASQ") says why
      const caller = steps.slice(0, i).reverse().find((x) => x.depth === s.depth - 1 && x.effect === `jump ${s.chain}`);
      return `${s.effect!.replace(/^mark \S+ -> /, 'mark ')} set by ${caller?.rule ?? s.rule}`;
    });
  const masq = steps.find((s) => s.effect?.startsWith('MASQUERADE'));
  if (masq) return `masqueraded by ${masq.rule} (nat ${masq.chain})${marks.length > 0 ? `; ${marks.join('; ')}` : ''}`;
  if (p.snat !== undefined) return `source NAT to ${p.snat}`;
  if (p.delivery === 'local') return 'not masqueraded: delivered locally, the packet does not pass POSTROUTING';
  const post = steps.filter((s) => s.table === 'nat' && s.hook === 'POSTROUTING');
  const ret = [...post].reverse().find((s) => s.effect === 'RETURN');
  if (ret) return `not masqueraded: ${ret.rule} (mark ${hex(p.mark)})`;
  return post.length > 0 ? `not masqueraded: no MASQUERADE or SNAT rule matched in nat POSTROUTING (mark ${hex(p.mark)})` : 'not masqueraded: the rules have no nat POSTROUTING rule';
}

/** "DNAT to 3 endpoints, 33.3% each: a, b, c; not masqueraded" */
export function verdictSummary(r: TraceResult, info: TraceTreeInputs['destinationInfo']): string {
  const byVerdict = new Map<string, number>();
  for (const p of r.paths) byVerdict.set(p.verdict, (byVerdict.get(p.verdict) ?? 0) + p.probability);
  const shares = new Map<string, number>();
  for (const p of r.paths) if (p.verdict === 'DNAT') shares.set(p.destination!, (shares.get(p.destination!) ?? 0) + p.probability);
  const dests = [...shares.keys()].sort(compareEndpoints);
  const pcts = dests.map((d) => percent(shares.get(d)!));
  const even = pcts.every((x) => x === pcts[0]);
  const list = dests.map((d, i) => `${d}${whoText(info(d))}${even ? '' : ` ${pcts[i]}`}`).join(', ');
  const dnat = dests.length === 1 ? `DNAT to ${list}` : `DNAT to ${dests.length} endpoints${even ? `, ${pcts[0]} each` : ''}: ${list}`;
  let text: string;
  if (r.verdict === 'DNAT') text = dnat;
  else if (r.verdict === 'MIXED') {
    text = `MIXED: ${[...byVerdict].map(([v, x]) => (v === 'DNAT' ? `${percent(x)} ${dnat}` : `${percent(x)} ${v}`)).join('; ')}`;
  } else text = r.verdict === 'ACCEPT' ? 'ACCEPT: no rule changed or stopped the packet' : r.verdict;
  const reaches = r.paths.some((p) => p.delivery === 'forward' || p.delivery === 'output');
  const masq = !reaches ? '' : r.masqueradeShare >= 1 - 1e-12 ? '; masqueraded' : r.masquerade ? `; masqueraded on ${percent(r.masqueradeShare)} of new connections` : '; not masqueraded';
  return text + masq;
}

export function traceTree(i: TraceTreeInputs): string {
  const c = i.colors;
  const out: string[] = [];
  const width = Math.max(...i.header.map(([l]) => l.length)) + 1;
  for (const [label, text] of i.header) out.push(`${c.header(`${label}:`.padEnd(width))} ${text}`);
  out.push('');
  const { roots, leaves } = buildTree(i.result.paths);
  const printer = new Printer(i);
  printer.segment(roots, '', undefined, new Set());
  for (const p of leaves) printer.verdictLine(p, '');
  // One by one: a trace of many endpoints has more lines than push(...) takes arguments.
  for (const line of printer.lines) out.push(line);
  out.push('');
  const color = i.result.verdict === 'DROP' || i.result.verdict === 'REJECT' ? c.bad : c.good;
  out.push(`${c.header('Verdict:')} ${color(verdictSummary(i.result, i.destinationInfo))}`);
  const assumed = [...new Set(i.result.paths.flatMap((p) => p.assumed))];
  if (assumed.length > 0) {
    out.push('', c.header('Assumed (the packet does not say):'));
    for (const a of assumed) out.push(c.dim(`  - ${a}`));
  }
  const notes = [...i.notes, ...i.result.notes];
  if (notes.length > 0) {
    out.push('', c.header('Notes:'));
    for (const n of notes) out.push(c.dim(`  - ${n}`));
  }
  return out.join('\n') + '\n';
}
