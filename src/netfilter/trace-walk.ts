// One table at one hook: the built-in chain's rules in order, jumps (-j: come back on RETURN or
// at the end of the chain) and gotos (-g: do not), terminal verdicts, NAT, marks, and the
// built-in chain's policy when the walk falls off its end. Every path goes on at once: a rule
// that splits a path (statistic, a pinned client's recent check) continues with each part.
import { InputError } from '../errors.js';
import { formatNatRange } from './ext/targets.js';
import { formatAddress, fullMask, hostPort, parseAddress } from './addr.js';
import { hex } from './numbers.js';
import { canonicalRule } from './print-save.js';
import type { Chain, MarkMask, MasqueradeTarget, NatTarget, Rule, Target } from './model.js';
import { evaluateRule, type RuleSite } from './trace-match.js';
import { isOne, ONE, toNumber, type Odds } from './trace-odds.js';
import { chainOf, checkPathCount, withAssumption, withStep, type HookName, type PathState, type TraceContext } from './trace-state.js';
import type { TraceStep } from './trace.js';

export interface HookOutcome {
  state: PathState;
  verdict: 'ACCEPT' | 'DROP' | 'REJECT';
}

type ChainOutcome = { kind: 'return' | 'accept' | 'drop' | 'reject'; state: PathState };
type TargetOutcome = ChainOutcome | { kind: 'continue'; state: PathState };

interface Site {
  table: string;
  hook: HookName;
}

/** Which NAT manipulation a hook decides: destination at PREROUTING/OUTPUT, source at INPUT/POSTROUTING. */
const natManip = (hook: HookName): 'dst' | 'src' | undefined =>
  hook === 'PREROUTING' || hook === 'OUTPUT' ? 'dst' : hook === 'INPUT' || hook === 'POSTROUTING' ? 'src' : undefined;

/** Runs `state` through `table` at `hook`; a table the ruleset lacks lets the packet pass. */
export function walkHook(ctx: TraceContext, state: PathState, table: string, hook: HookName): HookOutcome[] {
  const chain = chainOf(ctx, table, hook);
  if (!chain) return [{ state, verdict: 'ACCEPT' }];
  if (table === 'nat') {
    const manip = natManip(hook)!;
    // NAT is decided once per connection, on its first packet; conntrack applies it afterwards.
    if (state.ct !== 'NEW' && state.ct !== 'RELATED') {
      ctx.notes.add(`nat ${hook} not consulted: the packet is ${state.ct}, and NAT rules see only a connection's first packet`);
      return [{ state, verdict: 'ACCEPT' }];
    }
    if (manip === 'dst' ? state.natDst : state.natSrc) return [{ state, verdict: 'ACCEPT' }];
  }
  const site = { table, hook };
  return walkChain(ctx, site, chain, [state], 0, [chain.name]).map((o) => {
    let s = o.state;
    if (table === 'nat') s = natDecided(natManip(hook)!, s);
    if (o.kind === 'return') {
      // fell off the end of the built-in chain (or RETURN from it): the policy decides
      const policy = chain.policy ?? 'ACCEPT';
      s = withStep(s, step(site, chain.name, `:${chain.name} ${policy}`, 1, 0, `policy ${policy}`), ONE);
      return { state: s, verdict: policy };
    }
    return { state: s, verdict: o.kind === 'accept' ? 'ACCEPT' : o.kind === 'drop' ? 'DROP' : 'REJECT' };
  });
}

/** After the nat table ran, this connection's mapping for the hook's manipulation is decided (maybe to nothing). */
function natDecided(manip: 'dst' | 'src', s: PathState): PathState {
  return manip === 'dst' ? (s.natDst ? s : { ...s, natDst: true }) : s.natSrc ? s : { ...s, natSrc: true };
}

function step(site: Site, chain: string, rule: string, branch: number, depth: number, effect?: string, skipped?: boolean): TraceStep {
  return { table: site.table, chain, rule, branch, hook: site.hook, depth, ...(effect ? { effect } : {}), ...(skipped ? { skipped: true as const } : {}) };
}

function walkChain(ctx: TraceContext, site: Site, chain: Chain, states: PathState[], depth: number, stack: readonly string[]): ChainOutcome[] {
  const ruleSite: RuleSite = { ...site, chainRules: chain.rules };
  const out: ChainOutcome[] = [];
  let active = states;
  for (const rule of chain.rules) {
    if (active.length === 0) break;
    const next: PathState[] = [];
    for (const s of active) {
      for (const alt of evaluateRule(ctx, ruleSite, rule, s)) {
        if (!alt.matched) {
          // The share of the path that fell through a probabilistic rule is recorded, so that
          // a path's probability is always the product of its steps' branches.
          next.push(isOne(alt.branch) ? alt.state : withStep(alt.state, step(site, chain.name, canonicalRule(rule), toNumber(alt.branch), depth, 'not taken', true), alt.branch));
          continue;
        }
        // The matched branch is recorded by the one step its target records (record() below).
        for (const o of applyTarget(ctx, site, chain, rule, alt.state, alt.branch, depth, stack)) {
          if (o.kind === 'continue') next.push(o.state);
          else out.push(o);
        }
      }
    }
    active = next;
    checkPathCount(ctx, active.length + out.length);
  }
  for (const s of active) out.push({ kind: 'return', state: s });
  return out;
}

function applyTarget(ctx: TraceContext, site: Site, chain: Chain, rule: Rule, state: PathState, branch: Odds, depth: number, stack: readonly string[]): TargetOutcome[] {
  const t = rule.target;
  // Every target records exactly one step for the rule, with the branch that reached it: a
  // path's odds are the product of its steps' branches (trace-trail.ts).
  const record = (s: PathState, effect: string) => withStep(s, step(site, chain.name, canonicalRule(rule), toNumber(branch), depth, effect), branch);
  if (!t) return [{ kind: 'continue', state: record(state, 'no target: counted only') }];
  switch (t.kind) {
    case 'verdict':
      if (t.name === 'RETURN') return [{ kind: 'return', state: record(state, 'RETURN') }];
      if (t.name === 'QUEUE') return [{ kind: 'accept', state: withAssumption(record(state, 'QUEUE'), `QUEUE: the userspace verdict is unknown, taken as ACCEPT in ${canonicalRule(rule)}`) }];
      return [{ kind: t.name === 'ACCEPT' ? 'accept' : 'drop', state: record(state, t.name) }];
    case 'chain':
      return jump(ctx, site, rule, t.name, t.goto, record(state, `${t.goto ? 'goto' : 'jump'} ${t.name}`), depth, stack);
    case 'extension':
      return extensionTarget(ctx, site, rule, t, state, record);
    case 'opaque':
      return opaqueTarget(rule, t, state, record);
  }
}

function jump(ctx: TraceContext, site: Site, rule: Rule, name: string, goto: boolean, state: PathState, depth: number, stack: readonly string[]): TargetOutcome[] {
  const target = chainOf(ctx, site.table, name);
  const where = `${rule.origin.source}:${rule.origin.line}`;
  if (!target) throw new InputError(`${where}: rule jumps to chain "${name}", which table ${site.table} does not have: ${rule.raw}`);
  if (stack.includes(name)) throw new InputError(`${where}: jump loop in table ${site.table}: ${[...stack, name].join(' -> ')}`);
  return walkChain(ctx, site, target, [state], depth + 1, [...stack, name]).map((o): TargetOutcome => {
    // back from a jump: go on with the next rule; back from a goto: return from this chain too
    if (o.kind === 'return') return goto ? o : { kind: 'continue', state: o.state };
    return o;
  });
}

/** mark = (mark & ~mask) ^ value: the kernel's --set-xmark. */
const xmark = (mark: number, x: MarkMask) => (((mark & ~x.mask) >>> 0) ^ x.value) >>> 0;

function extensionTarget(
  ctx: TraceContext, site: Site, rule: Rule, t: Extract<Target, { kind: 'extension' }>, s: PathState,
  record: (s: PathState, effect: string) => PathState,
): TargetOutcome[] {
  const manip = natManip(site.hook);
  const misplaced = (what: string) => [{ kind: 'continue' as const, state: withAssumption(record(s, `${what} (ignored here)`), `${what}: not valid at ${site.table} ${site.hook}, ignored in ${canonicalRule(rule)}`) }];
  switch (t.name) {
    case 'MARK': {
      const mark = xmark(s.mark, t.xset);
      return [{ kind: 'continue', state: record({ ...s, mark }, `mark ${hex(s.mark)} -> ${hex(mark)}`) }];
    }
    case 'CONNMARK': {
      if (t.mode === 'set') {
        const ctmark = xmark(s.ctmark, t.xset!);
        return [{ kind: 'continue', state: record({ ...s, ctmark }, `connmark ${hex(s.ctmark)} -> ${hex(ctmark)}`) }];
      }
      if (t.mode === 'save') {
        const ctmark = (((s.ctmark & ~t.ctmask!) >>> 0) ^ ((s.mark & t.nfmask!) >>> 0)) >>> 0;
        return [{ kind: 'continue', state: record({ ...s, ctmark }, `connmark ${hex(s.ctmark)} -> ${hex(ctmark)} (saved from the mark)`) }];
      }
      const mark = (((s.mark & ~t.nfmask!) >>> 0) ^ ((s.ctmark & t.ctmask!) >>> 0)) >>> 0;
      return [{ kind: 'continue', state: record({ ...s, mark }, `mark ${hex(s.mark)} -> ${hex(mark)} (restored from the connmark)`) }];
    }
    case 'LOG':
      return [{ kind: 'continue', state: record(s, 'LOG (logged, continues)') }];
    case 'REJECT':
      return [{ kind: 'reject', state: record(s, `REJECT with ${t.with}`) }];
    case 'DNAT':
    case 'REDIRECT': {
      if (manip !== 'dst') return misplaced(t.name);
      const { address, port, notes } = t.name === 'DNAT' ? dnatTo(ctx, t, s) : redirectTo(ctx, site, t as MasqueradeTarget, s);
      const destination = hostPort(address, port, ctx.family);
      let next: PathState = { ...s, dst: address, dport: port, destination, natDst: true, ctDnat: s.ctDnat || address !== s.dst || port !== s.dport };
      for (const n of notes) next = withAssumption(next, `${n} in ${canonicalRule(rule)}`);
      return [{ kind: 'accept', state: record(next, `${t.name} to ${destination}`) }];
    }
    case 'SNAT': {
      if (manip !== 'src') return misplaced('SNAT');
      const r = t.ranges[0]!;
      const snatTo = t.ranges.map((x) => formatNatRange(x, ctx.family)).join(' ');
      const next: PathState = { ...s, src: r.addrFrom ?? s.src, sport: r.portFrom ?? s.sport, snatTo, natSrc: true, ctSnat: true };
      return [{ kind: 'accept', state: record(next, `SNAT to ${snatTo}`) }];
    }
    case 'MASQUERADE': {
      if (manip !== 'src') return misplaced('MASQUERADE');
      const next: PathState = { ...s, masquerade: true, natSrc: true, ctSnat: true };
      return [{ kind: 'accept', state: record(next, 'MASQUERADE: the source becomes the outgoing interface\'s address') }];
    }
    case 'NETMAP': {
      const to = t.to;
      const mask = parseAddress(to.mask, ctx.family)!;
      const net = parseAddress(to.address, ctx.family)!;
      const map = (a: string) => formatAddress((net & mask) | (ctx.value(a) & (fullMask(ctx.family) ^ mask)), ctx.family);
      if (manip === 'dst') {
        const address = map(s.dst);
        const destination = hostPort(address, s.dport, ctx.family);
        return [{ kind: 'accept', state: record({ ...s, dst: address, destination, natDst: true, ctDnat: s.ctDnat || address !== s.dst }, `NETMAP to ${destination}`) }];
      }
      if (manip === 'src') {
        const src = map(s.src);
        return [{ kind: 'accept', state: record({ ...s, src, snatTo: src, natSrc: true, ctSnat: true }, `NETMAP source to ${src}`) }];
      }
      return misplaced('NETMAP');
    }
  }
}

/** The address and port a DNAT rewrites to; a range is taken at its first address and port. */
function dnatTo(ctx: TraceContext, t: NatTarget, s: PathState): { address: string; port: number; notes: string[] } {
  const r = t.ranges[0]!;
  const notes: string[] = [];
  if (t.ranges.length > 1) notes.push('DNAT with several --to-destination: the first taken');
  if (r.addrTo !== undefined && r.addrTo !== r.addrFrom) notes.push(`DNAT to the address range ${r.addrFrom}-${r.addrTo}: the kernel picks one per connection, ${r.addrFrom} taken`);
  if (r.portTo !== undefined && r.portTo !== r.portFrom) notes.push(`DNAT to the port range ${r.portFrom}-${r.portTo}: ${r.portFrom} taken`);
  const address = r.addrFrom ?? s.dst;
  return { address: formatAddress(ctx.value(address), ctx.family), port: r.portFrom ?? s.dport, notes };
}

/** REDIRECT: to the node itself: loopback for locally sent packets, else the incoming interface's address. */
function redirectTo(ctx: TraceContext, site: Site, t: MasqueradeTarget, s: PathState): { address: string; port: number; notes: string[] } {
  const port = t.ports?.from ?? s.dport;
  if (site.hook === 'OUTPUT') return { address: ctx.family === 'ipv4' ? '127.0.0.1' : '::1', port, notes: [] };
  const first = ctx.localAddress;
  return { address: first, port, notes: [`REDIRECT: the incoming interface's address is unknown, ${first} taken`] };
}

/** Targets svctrace does not model, by what they do to the walk. */
const CONTINUING = new Set([
  'AUDIT', 'CHECKSUM', 'CLASSIFY', 'CONNSECMARK', 'DSCP', 'IDLETIMER', 'LED', 'NFLOG', 'RATEEST', 'SECMARK', 'SET', 'TCPMSS',
  'TCPOPTSTRIP', 'TEE', 'TOS', 'TRACE', 'TTL', 'HL', 'ECN', 'ULOG',
]);

function opaqueTarget(rule: Rule, t: Extract<Target, { kind: 'opaque' }>, s: PathState, record: (s: PathState, effect: string) => PathState): TargetOutcome[] {
  const text = canonicalRule(rule);
  if (t.name === 'NOTRACK' || (t.name === 'CT' && t.args.includes('--notrack'))) {
    // Untracked packets get no conntrack entry, so no NAT.
    const next: PathState = s.ct === 'NEW' ? { ...s, ct: 'UNTRACKED' } : s;
    return [{ kind: 'continue', state: record(next, 'NOTRACK: the connection is not tracked (no NAT)') }];
  }
  if (CONTINUING.has(t.name) || t.name === 'CT') return [{ kind: 'continue', state: record(s, `${t.name} (continues)`) }];
  if (t.name === 'NFQUEUE' || t.name === 'TPROXY' || t.name === 'SYNPROXY') {
    return [{ kind: 'accept', state: withAssumption(record(s, t.name), `${t.name}: handled outside the rules, taken as ACCEPT in ${text}`) }];
  }
  return [{ kind: 'continue', state: withAssumption(record(s, `${t.name} (not modelled, continues)`), `-j ${t.name}: not modelled, taken as changing nothing and continuing in ${text}`) }];
}
