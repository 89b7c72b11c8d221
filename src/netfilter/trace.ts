// The tracer: where a new connection's first packet goes through a Ruleset, following every
// probabilistic branch. It knows nothing about Services: generated rules and a node's dump are
// both just a Ruleset (render -> parse -> trace). TRACE.md beside this file explains the walk
// order, what each match is taken to mean when the packet cannot say, and the simplifications.
//
// This module holds the public types and the hook order (kernel priorities); trace-walk.ts
// walks one chain, trace-match.ts decides one rule, trace-odds.ts keeps the odds exact, and
// trace-trail.ts holds the steps, shared by the paths that part at a probabilistic rule.
import { parseAddress } from './addr.js';
import type { CtState, Family, Ruleset } from './model.js';
import { denominatorBits, oddsText, plus, toNumber, ZERO_ODDS, type Odds } from './trace-odds.js';
import { checkPathCount, initialState, traceContext, type HookName, type PathState, type TraceContext } from './trace-state.js';
import { TrailProducts, trailSteps, type StepTrail } from './trace-trail.js';
import { walkHook, type HookOutcome } from './trace-walk.js';

export type TraceProtocol = 'tcp' | 'udp' | 'sctp';

export interface Packet {
  family: Family;
  source: string;
  destination: string;
  protocol: TraceProtocol;
  destinationPort: number;
  /** unknown when absent: a Linux client's ephemeral port (32768-60999) is assumed */
  sourcePort?: number;
  /** the interface the packet arrives on (PREROUTING entry); unknown when absent */
  inInterface?: string;
  /** the interface the packet leaves by, unless it is delivered over loopback; unknown when absent */
  outInterface?: string;
}

export interface TraceNode {
  /** the node's own addresses (addrtype LOCAL, OUTPUT hook); loopback is always local */
  localAddresses: string[];
}

export interface TraceOptions {
  /**
   * ClientIP session affinity (`-m recent`): a "new" client is in no recent list; a "pinned"
   * client is in exactly one list of the first chain that checks one, each list equally likely
   * (kube-proxy: pinned to one endpoint, each endpoint as its own path). Default new.
   */
  affinity?: 'new' | 'pinned';
  /** recent lists the client is already in (overrides affinity); see recentListsFor */
  recentLists?: string[];
  /** conntrack state of the packet, default NEW */
  ctstate?: CtState;
  /** initial packet mark, default 0 */
  mark?: number;
  /** initial connection mark, default 0 */
  ctmark?: number;
  /** more paths than this is an error (default 100000) */
  maxPaths?: number;
}

export type PathVerdict = 'DNAT' | 'REJECT' | 'DROP' | 'ACCEPT';

export interface TraceStep {
  table: string;
  chain: string;
  /** canonical save text, or ":CHAIN POLICY" for a policy */
  rule: string;
  /** conditional probability of this step */
  branch: number;
  /** the hook the packet is in (PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING) */
  hook: HookName;
  /** call depth below the hook's built-in chain (0 in the built-in chain itself) */
  depth: number;
  /** what the rule did: "jump KUBE-SVC-...", "DNAT to 10.0.0.1:80", "mark 0x0 -> 0x4000", ... */
  effect?: string;
  /** a probabilistic rule that did not match: this path is the `branch` share that fell through */
  skipped?: true;
}

export interface TracePath {
  /** the share of new connections that take this path (product of the steps' branches) */
  probability: number;
  verdict: PathVerdict;
  /** ip:port or [ip]:port the path DNATs to */
  destination?: string;
  /** masqueraded (MASQUERADE in nat POSTROUTING or nat INPUT) */
  masquerade: boolean;
  /** the packet mark when the path ends */
  mark: number;
  /**
   * Every step, first to last: a new array built from `trail` on each read. Read `trail` to
   * go over many paths: the paths out of a balancing chain of N rules hold N^2/2 steps as
   * arrays, but share them on their trails.
   */
  readonly steps: readonly TraceStep[];
  /** the last step, linked back to the first; paths share the steps before the rule that parted them */
  readonly trail: StepTrail | undefined;
  /** matches it could not evaluate, with the rule and what was assumed */
  assumed: string[];
  /** exact probability, "n/d" in lowest terms (d a power of two unless an nth or pinned split divides by another number) */
  readonly odds: string;
  /** the bit length of the odds' denominator (31 per probabilistic rule passed): their size, known without writing them */
  readonly oddsBits: number;
  /** how the packet leaves the rules: delivered to a local socket, forwarded, sent from the node, or stopped */
  delivery: 'local' | 'forward' | 'output' | 'stopped';
  /** SNAT --to-source (or NETMAP) applied in POSTROUTING/INPUT, when any */
  snat?: string;
}

export interface TraceResult {
  hook: 'PREROUTING' | 'OUTPUT';
  verdict: PathVerdict | 'MIXED';
  /** every ip:port a path with verdict DNAT goes to, sorted */
  destinations: string[];
  /** true when some path that reaches POSTROUTING is masqueraded; masqueradeShare says how many */
  masquerade: boolean;
  /** the share of new connections that are masqueraded (0..1) */
  masqueradeShare: number;
  paths: TracePath[];
  /** what the walk could not know as a whole (e.g. nat tables skipped for an ESTABLISHED packet) */
  notes: string[];
}

// Tables at each hook in kernel priority order (raw -300, conntrack -200, mangle -150,
// nat DNAT -100, filter 0, security 50, nat SNAT 100). `nat` marks where NAT is decided.
const PREROUTING_TABLES = ['raw', 'mangle', 'nat'] as const;
const INPUT_TABLES = ['mangle', 'filter', 'security', 'nat'] as const;
const FORWARD_TABLES = ['mangle', 'filter', 'security'] as const;
const OUTPUT_TABLES = ['raw', 'mangle', 'nat', 'filter', 'security'] as const;
const POSTROUTING_TABLES = ['mangle', 'nat'] as const;
// A packet the node sends to itself loops back through lo: PREROUTING and INPUT again, but
// conntrack already holds its NAT decisions, so the nat table is not consulted a second time.
const LOOPBACK_PREROUTING = ['raw', 'mangle'] as const;
const LOOPBACK_INPUT = ['mangle', 'filter', 'security'] as const;

type Stage = { hook: HookName; tables: readonly string[] };

interface Finished {
  state: PathState;
  verdict: PathVerdict;
  delivery: TracePath['delivery'];
}

/** Runs every state through the stages of one hook; stopped paths are collected in `done`. */
function runStage(ctx: TraceContext, states: PathState[], stage: Stage, done: Finished[]): PathState[] {
  let live = states;
  for (const table of stage.tables) {
    const next: PathState[] = [];
    for (const s of live) {
      for (const o of walkHook(ctx, s, table, stage.hook)) collect(o, next, done);
    }
    live = next;
    checkPathCount(ctx, live.length + done.length);
  }
  return live;
}

function collect(o: HookOutcome, next: PathState[], done: Finished[]): void {
  if (o.verdict === 'ACCEPT') next.push(o.state);
  else done.push({ state: o.state, verdict: o.verdict, delivery: 'stopped' });
}

/** Walks a new connection's first packet through the rules, every branch with its odds. */
export function tracePacket(ruleset: Ruleset, packet: Packet, node: TraceNode, options: TraceOptions = {}): TraceResult {
  const ctx = traceContext(ruleset, packet, node, options);
  // Packets from the node itself (its addresses or loopback) start at OUTPUT; all others at PREROUTING.
  const hook = ctx.packetFromNode ? 'OUTPUT' : 'PREROUTING';
  const done: Finished[] = [];
  const start = [initialState(ctx)];

  if (hook === 'PREROUTING') {
    // The routing decision, after DNAT: to one of the node's addresses, or on to another host.
    const [local, forward] = byDestination(ctx, runStage(ctx, start, { hook: 'PREROUTING', tables: PREROUTING_TABLES }, done));
    for (const s of runStage(ctx, local, { hook: 'INPUT', tables: INPUT_TABLES }, done)) done.push({ state: s, verdict: verdictOf(s), delivery: 'local' });
    const forwarded = runStage(ctx, forward, { hook: 'FORWARD', tables: FORWARD_TABLES }, done);
    for (const s of runStage(ctx, forwarded, { hook: 'POSTROUTING', tables: POSTROUTING_TABLES }, done)) done.push({ state: s, verdict: verdictOf(s), delivery: 'forward' });
  } else {
    const sent = runStage(ctx, runStage(ctx, start, { hook: 'OUTPUT', tables: OUTPUT_TABLES }, done), { hook: 'POSTROUTING', tables: POSTROUTING_TABLES }, done);
    const [looped, away] = byDestination(ctx, sent);
    for (const s of away) done.push({ state: s, verdict: verdictOf(s), delivery: 'output' });
    const viaLo = looped.map((s) => ({ ...s, loopback: true }));
    const input = runStage(ctx, runStage(ctx, viaLo, { hook: 'PREROUTING', tables: LOOPBACK_PREROUTING }, done), { hook: 'INPUT', tables: LOOPBACK_INPUT }, done);
    for (const s of input) done.push({ state: s, verdict: verdictOf(s), delivery: 'local' });
  }
  return result(ctx, hook, done);
}

/** Paths to one of the node's addresses (or loopback), and the others. */
function byDestination(ctx: TraceContext, states: PathState[]): [local: PathState[], other: PathState[]] {
  const local: PathState[] = [];
  const other: PathState[] = [];
  for (const s of states) (ctx.isLocal(s.dst) ? local : other).push(s);
  return [local, other];
}

/** A path that passed every hook: DNAT when its destination was rewritten, else ACCEPT. */
function verdictOf(s: PathState): PathVerdict {
  return s.destination !== undefined ? 'DNAT' : 'ACCEPT';
}

function result(ctx: TraceContext, hook: TraceResult['hook'], done: Finished[]): TraceResult {
  // A path's exact odds are the product of its trail's branches. Path i behind a balancing
  // chain has ~31 i bits of them, so they are not kept: worked out here in path order (each
  // from the previous path's product, which shares all but a step or two), and again, the
  // same way, for the `odds` text when a presenter reads it.
  const products = new TrailProducts();
  let masqueraded: Odds = ZERO_ODDS;
  const paths = done.map((f): TracePath => {
    const exact = products.of(f.state.trail);
    if (f.state.masquerade) masqueraded = plus(masqueraded, exact);
    const trail = f.state.trail;
    const path: Omit<TracePath, 'trail'> = {
      probability: toNumber(exact),
      verdict: f.verdict,
      ...(f.state.destination !== undefined ? { destination: f.state.destination } : {}),
      masquerade: f.state.masquerade,
      mark: f.state.mark,
      get steps() {
        return trailSteps(trail);
      },
      assumed: [...f.state.assumed],
      // Written out when read, not kept: behind many probabilistic rules the numbers have tens
      // of thousands of digits (31 bits a rule), and the tree view never reads them.
      get odds() {
        return oddsText(products.of(trail));
      },
      get oddsBits() {
        return denominatorBits(products.of(trail));
      },
      delivery: f.delivery,
      ...(f.state.snatTo !== undefined ? { snat: f.state.snatTo } : {}),
    };
    // Not enumerable: a way in, not more data (`steps` holds the same), and a long chain of
    // parents that a deep comparison or JSON.stringify would recurse down.
    return Object.defineProperty(path, 'trail', { value: trail, enumerable: false }) as TracePath;
  });
  const verdicts = new Set(paths.map((p) => p.verdict));
  const destinations = [...new Set(paths.filter((p) => p.verdict === 'DNAT').map((p) => p.destination!))].sort(compareEndpoints);
  return {
    hook,
    verdict: verdicts.size === 1 ? [...verdicts][0]! : 'MIXED',
    destinations,
    masquerade: done.some((f) => f.state.masquerade),
    masqueradeShare: toNumber(masqueraded),
    paths,
    notes: [...ctx.notes],
  };
}

/** ip:port texts ("[ip]:port" for IPv6) in address order, then port. */
export function compareEndpoints(a: string, b: string): number {
  const key = (s: string): [bigint, number] => {
    const m = /^\[?(.*?)\]?:(\d+)$/.exec(s);
    const host = m ? m[1]! : s;
    return [parseAddress(host, host.includes(':') ? 'ipv6' : 'ipv4') ?? -1n, m ? Number(m[2]) : 0];
  };
  const [ha, pa] = key(a);
  const [hb, pb] = key(b);
  return ha < hb ? -1 : ha > hb ? 1 : pa - pb;
}

export type { Odds };
