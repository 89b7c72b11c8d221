// Does one rule match the packet? The kernel's order: -s, -d, -i, -o, -p, -f, then each match
// in the order the rule loads them, stopping at the first that fails. Most tests are yes/no;
// `statistic` and a pinned client's first `recent` check split the path into alternatives,
// each with its conditional odds. What the packet cannot say (interfaces, ipsets, socket
// owners, ...) is decided as TRACE.md's table says and recorded on the path as assumed.
import type {
  AddrType, AddressMask, ConntrackMatch, CtState, KnownMatch, Match, Negatable, PortRange, Rule,
} from './model.js';
import { canonicalRule } from './print-save.js';
import { complement, isOne, isZero, ONE, odds, plus, thresholdOdds, times, type Odds } from './trace-odds.js';
import { PROTOCOL_NUMBERS, withAssumption, type HookName, type PathState, type TraceContext } from './trace-state.js';

/** One way a rule can go for a path: matched or not, with the share of the path that goes this way. */
export interface Alternative {
  matched: boolean;
  branch: Odds;
  state: PathState;
}

/** Where the rule is being evaluated. */
export interface RuleSite {
  table: string;
  hook: HookName;
  /** the rules of the chain being walked (a pinned client's candidate recent lists come from them) */
  chainRules: readonly Rule[];
}

/** A Linux client's ephemeral source ports (net.ipv4.ip_local_port_range default). */
const EPHEMERAL_PORTS: PortRange = { from: 32768, to: 60999 };

/** A test whose answer the packet gives: one alternative, the whole path (assume() records a guess instead). */
const known = (state: PathState, matched: boolean): Alternative[] => [{ matched, branch: ONE, state }];

/** Every way `rule` can go for `state`; the branches of the alternatives sum to 1. */
export function evaluateRule(ctx: TraceContext, site: RuleSite, rule: Rule, state: PathState): Alternative[] {
  const assume = (s: PathState, matched: boolean, what: string): Alternative[] =>
    [{ matched, branch: ONE, state: withAssumption(s, `${what}: assumed ${matched ? 'matching' : 'not matching'} in ${canonicalRule(rule)}`) }];
  const tests: Array<(s: PathState) => Alternative[]> = [];
  if (rule.source) tests.push((s) => known(s, addressTest(ctx, s.src, rule.source!)));
  if (rule.destination) tests.push((s) => known(s, addressTest(ctx, s.dst, rule.destination!)));
  if (rule.inInterface) tests.push((s) => interfaceTest(s, '-i', inInterface(ctx, site.hook, s), rule.inInterface!, assume));
  if (rule.outInterface) tests.push((s) => interfaceTest(s, '-o', outInterface(ctx, site.hook, s), rule.outInterface!, assume));
  if (rule.protocol) tests.push((s) => known(s, (rule.protocol!.value === ctx.protocol) !== rule.protocol!.negated));
  if (rule.fragment) tests.push((s) => known(s, rule.fragment!.negated)); // the first packet is never a fragment
  for (const m of rule.matches) tests.push((s) => matchOutcomes(ctx, site, m, s, assume));

  let live: Array<{ state: PathState; branch: Odds }> = [{ state, branch: ONE }];
  const failed: Alternative[] = [];
  for (const test of tests) {
    const next: typeof live = [];
    for (const l of live) {
      for (const o of test(l.state)) {
        const branch = times(l.branch, o.branch);
        if (isZero(branch)) continue; // a path with probability 0 is dropped
        if (o.matched) next.push({ state: o.state, branch });
        else addFailed(failed, o.state, branch);
      }
    }
    live = next;
    if (live.length === 0) break;
  }
  return [...live.map((l) => ({ matched: true, branch: l.branch, state: l.state })), ...failed];
}

/** Failed alternatives that left the state as it was are one alternative: their shares add up. */
function addFailed(failed: Alternative[], state: PathState, branch: Odds): void {
  const same = failed.find((f) => f.state === state);
  if (same) same.branch = plus(same.branch, branch);
  else failed.push({ matched: false, branch, state });
}

function addressTest(ctx: TraceContext, address: string, am: Negatable<AddressMask>): boolean {
  const a = ctx.value(address);
  const net = ctx.value(am.value.address);
  const mask = ctx.value(am.value.mask);
  return ((a & mask) === net) !== am.negated;
}

/** The interface a hook sees a packet come in by: none at OUTPUT/POSTROUTING, lo when looped back. */
function inInterface(ctx: TraceContext, hook: HookName, s: PathState): string | undefined {
  if (hook === 'OUTPUT' || hook === 'POSTROUTING') return '';
  if (s.loopback) return 'lo';
  return ctx.packet.inInterface;
}

/** The interface a packet leaves by: none at PREROUTING/INPUT, lo to a local address. */
function outInterface(ctx: TraceContext, hook: HookName, s: PathState): string | undefined {
  if (hook === 'PREROUTING' || hook === 'INPUT') return '';
  if (ctx.isLocal(s.dst)) return 'lo';
  return ctx.packet.outInterface;
}

/** iptables interface names: "eth+" is every name starting with "eth". */
function interfaceMatches(pattern: string, name: string): boolean {
  return pattern.endsWith('+') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

type Assume = (s: PathState, matched: boolean, what: string) => Alternative[];

function interfaceTest(s: PathState, flag: string, name: string | undefined, want: Negatable<string>, assume: Assume): Alternative[] {
  if (name !== undefined) return known(s, interfaceMatches(want.value, name) !== want.negated);
  const dir = flag === '-i' ? 'incoming' : 'outgoing';
  return assume(s, want.negated, `${want.negated ? '! ' : ''}${flag} ${want.value}: the ${dir} interface is unknown, taken as not ${want.value}`);
}

const inRange = (r: PortRange, p: number) => p >= r.from && p <= r.to;

/** A test on a source port (`port`: the path's, or the connection's original), which the packet may not give: judged over the ephemeral range. */
function sportTest(s: PathState, port: number | undefined, ranges: readonly PortRange[], negated: boolean, what: string, assume: Assume): Alternative[] {
  if (port !== undefined) return known(s, ranges.some((r) => inRange(r, port)) !== negated);
  const e = EPHEMERAL_PORTS;
  const covers = ranges.some((r) => r.from <= e.from && r.to >= e.to);
  const disjoint = ranges.every((r) => r.to < e.from || r.from > e.to);
  const how = covers || disjoint ? `the source port is unknown, taken as ephemeral (${e.from}-${e.to})` : `the source port is unknown and only part of the ephemeral range (${e.from}-${e.to}) is listed`;
  return assume(s, covers !== negated, `${what}: ${how}`);
}

/** The address types (-m addrtype) of an address on this node. */
function addressTypes(ctx: TraceContext, address: string): AddrType[] {
  if (ctx.isLocal(address)) return ['LOCAL'];
  const v = ctx.value(address);
  if (v < 0n) return ['UNSPEC'];
  if (ctx.family === 'ipv4') {
    if (v >> 28n === 0xen) return ['MULTICAST'];
    if (v === 0xffffffffn || v >> 24n === 0n) return ['BROADCAST'];
    return ['UNICAST'];
  }
  if (v >> 120n === 0xffn) return ['MULTICAST'];
  return ['UNICAST'];
}

function typesTest(ctx: TraceContext, address: string, want: Negatable<AddrType[]>): boolean {
  const types = addressTypes(ctx, address);
  return want.value.some((t) => types.includes(t)) !== want.negated;
}

/** conntrack's state bits for the packet: its state plus SNAT/DNAT when the connection was NATed. */
function ctStates(s: PathState, withNat: boolean): CtState[] {
  const out: CtState[] = [s.ct];
  if (withNat && s.ctDnat) out.push('DNAT');
  if (withNat && s.ctSnat) out.push('SNAT');
  return out;
}

const tracked = (s: PathState) => s.ct !== 'INVALID' && s.ct !== 'UNTRACKED';

function matchOutcomes(ctx: TraceContext, site: RuleSite, m: Match, s: PathState, assume: Assume): Alternative[] {
  if ('opaque' in m) return assume(s, false, `-m ${m.module}: not modelled`);
  const k = m as KnownMatch;
  switch (k.module) {
    case 'comment':
      return known(s, true);
    case 'nfacct':
      // xt_nfacct counts the packet and matches unless its object has a quota not yet reached;
      // kube-proxy's counters (and objects from `nfacct add NAME`) have none
      return known(s, true);
    case 'tcp':
    case 'udp':
    case 'sctp': {
      if (ctx.protocol !== PROTOCOL_NUMBERS[k.module]) return known(s, false);
      if (k.dport && inRange(k.dport.value, s.dport) === k.dport.negated) return known(s, false);
      let out: Alternative[] = known(s, true);
      if (k.sport) out = sportTest(s, s.sport, [k.sport.value], k.sport.negated, `${k.sport.negated ? '! ' : ''}--sport`, assume);
      if (!out[0]!.matched) return out;
      const st = out[0]!.state;
      if (k.module === 'tcp' && k.flags) {
        // A new connection's first packet is a SYN; later packets are taken as plain ACKs.
        const flags = s.ct === 'NEW' ? ['SYN'] : ['ACK'];
        const masked = k.flags.value.mask.filter((f) => flags.includes(f));
        const hit = masked.length === k.flags.value.comp.length && masked.every((f) => k.flags!.value.comp.includes(f));
        if (s.ct !== 'NEW') return assume(st, hit !== k.flags.negated, '--tcp-flags: a packet of an existing connection, taken as ACK');
        if (hit === k.flags.negated) return known(st, false);
      }
      if (k.module === 'tcp' && k.option) return assume(st, k.option.negated, `--tcp-option ${k.option.value}: TCP options are unknown`);
      if (k.module === 'sctp' && k.chunkTypes) return assume(st, k.chunkTypes.negated, '--chunk-types: SCTP chunks are unknown');
      return known(st, true);
    }
    case 'multiport': {
      if (k.direction === 'destination') return known(s, k.ports.some((r) => inRange(r, s.dport)) !== k.negated);
      if (k.direction === 'either' && k.ports.some((r) => inRange(r, s.dport))) return known(s, !k.negated);
      return sportTest(s, s.sport, k.ports, k.negated, `-m multiport ${k.negated ? '! ' : ''}--${k.direction === 'source' ? 'sports' : 'ports'}`, assume);
    }
    case 'icmp':
    case 'icmp6':
      return known(s, false); // the traced packet is TCP, UDP or SCTP
    case 'statistic':
      return statisticOutcomes(k, s);
    case 'recent':
      return recentOutcomes(site, k, s);
    case 'addrtype': {
      if (k.srcType && !typesTest(ctx, s.src, k.srcType)) return known(s, false);
      if (k.dstType && !typesTest(ctx, s.dst, k.dstType)) return known(s, false);
      if (k.limitIfaceIn || k.limitIfaceOut) return assume(s, true, '--limit-iface-in/out: address types judged on all of the node\'s addresses');
      return known(s, true);
    }
    case 'mark':
      return known(s, ((s.mark & k.mark.mask) >>> 0 === k.mark.value) !== k.negated);
    case 'connmark':
      return known(s, ((s.ctmark & k.mark.mask) >>> 0 === k.mark.value) !== k.negated);
    case 'state':
      return known(s, k.states.some((x) => ctStates(s, false).includes(x)) !== k.negated);
    case 'conntrack':
      return conntrackOutcomes(ctx, k, s, assume);
    case 'physdev': {
      // Bridged traffic (br_netfilter) is not modelled: the packet is taken as routed, not bridged.
      const names = [k.physdevIn, k.physdevOut].filter((x): x is Negatable<string> => x !== undefined);
      const flags = [k.isIn, k.isOut, k.isBridged].filter((x) => x !== undefined);
      const matched = names.every((n) => n.negated) && flags.every((f) => f!.negated);
      return assume(s, matched, '-m physdev: the packet is taken as not bridged');
    }
    case 'mac':
      return assume(s, k.negated, `--mac-source ${k.source}: the sender's MAC address is unknown, taken as another`);
    case 'iprange': {
      const within = (addr: string, r: Negatable<{ from: string; to: string }>) => {
        const v = ctx.value(addr);
        return (v >= ctx.value(r.value.from) && v <= ctx.value(r.value.to)) !== r.negated;
      };
      return known(s, (!k.srcRange || within(s.src, k.srcRange)) && (!k.dstRange || within(s.dst, k.dstRange)));
    }
    case 'set':
      return assume(s, k.negated, `--match-set ${k.setName}: ipset members are unknown, taken as not a member`);
    case 'owner': {
      // Only packets the node sends have a socket; its owner's uid/gid are unknown.
      const hasSocket = ctx.packetFromNode && (site.hook === 'OUTPUT' || site.hook === 'POSTROUTING') && !s.loopback;
      const ids = [k.uid, k.gid].filter((x) => x !== undefined);
      const socket = !k.socketExists || hasSocket !== k.socketExists.negated;
      const matched = socket && ids.every((x) => x!.negated);
      return ids.length > 0 && hasSocket ? assume(s, matched, '-m owner: the socket\'s owner is unknown, taken as another user/group') : known(s, matched);
    }
    case 'limit':
      return assume(s, true, '-m limit: taken as within the rate');
    case 'connlimit': {
      const count = 1; // this connection is the client's first
      return assume(s, k.upto ? count <= k.limit : count > k.limit, '-m connlimit: the client taken to have no other connection');
    }
    case 'pkttype': {
      const types = addressTypes(ctx, s.dst);
      const kind = types.includes('MULTICAST') ? ['multicast'] : types.includes('BROADCAST') ? ['broadcast'] : ['unicast', 'host'];
      return known(s, kind.includes(k.type) !== k.negated);
    }
    case 'length':
      return assume(s, k.negated, '-m length: the packet length is unknown');
    case 'ttl':
    case 'hl': {
      const v = 64; // Linux's default
      const hit = k.op === 'eq' ? v === k.value : k.op === 'lt' ? v < k.value : v > k.value;
      return assume(s, hit !== k.negated, `-m ${k.module}: the packet's ${k.module === 'ttl' ? 'TTL' : 'hop limit'} taken as 64`);
    }
    case 'helper':
      return assume(s, k.negated, `--helper ${k.helper}: no conntrack helper taken as assigned`);
    case 'socket':
      return assume(s, false, '-m socket: no local socket taken as found');
  }
}

function statisticOutcomes(k: Extract<KnownMatch, { module: 'statistic' }>, s: PathState): Alternative[] {
  let p: Odds;
  let note: string | undefined;
  if (k.mode === 'random') {
    p = thresholdOdds(k.threshold ?? 0);
  } else {
    // nth counts the packets that reach the rule; in nat only a connection's first packet does,
    // so over many connections 1 in `every` matches.
    p = odds(1, k.every ?? 1);
    note = `--mode nth --every ${k.every}: the packet counter is unknown, taken as 1 in ${k.every} of new connections`;
  }
  if (k.negated) p = complement(p);
  const out: Alternative[] = [];
  const st = note ? withAssumption(s, note) : s;
  if (!isZero(p)) out.push({ matched: true, branch: p, state: st });
  if (!isOne(p)) out.push({ matched: false, branch: complement(p), state: st });
  return out;
}

/** `-m recent`: --set always matches and records the client; --rcheck/--update/--remove match a client in the list. */
function recentOutcomes(site: RuleSite, k: Extract<KnownMatch, { module: 'recent' }>, s: PathState): Alternative[] {
  if (k.command === 'set') {
    const members = new Set(s.recent.members).add(k.name);
    return known({ ...s, recent: { ...s.recent, members } }, !k.negated);
  }
  if (s.recent.pinned === 'open') {
    // A pinned client is in exactly one of the lists this chain checks, each equally likely.
    const candidates = [...new Set(site.chainRules.flatMap((r) => r.matches.filter(isCheck).map((m) => m.name)))];
    const share = odds(1, candidates.length);
    return candidates.map((name) => {
      const pinned: PathState = {
        ...s,
        recent: { pinned: 'closed', members: new Set(s.recent.members).add(name) },
        assumed: [...s.assumed, `recent: the client is pinned to list ${name} (1 of ${candidates.length} lists checked in this chain, equally likely)`],
      };
      const hit = (name === k.name) !== k.negated;
      return { matched: hit, branch: share, state: k.command === 'remove' && name === k.name ? unlist(pinned, name) : pinned };
    });
  }
  const member = s.recent.members.has(k.name);
  return known(k.command === 'remove' && member ? unlist(s, k.name) : s, member !== k.negated);
}

const isCheck = (m: Match): m is Extract<KnownMatch, { module: 'recent' }> =>
  m.module === 'recent' && !('opaque' in m) && (m as Extract<KnownMatch, { module: 'recent' }>).command !== 'set';

function unlist(s: PathState, name: string): PathState {
  const members = new Set(s.recent.members);
  members.delete(name);
  return { ...s, recent: { ...s.recent, members } };
}

function conntrackOutcomes(ctx: TraceContext, k: ConntrackMatch, s: PathState, assume: Assume): Alternative[] {
  const others = Object.keys(k).filter((key) => key !== 'module' && key !== 'state');
  if (!tracked(s)) {
    // Without a connection only --ctstate can match (INVALID, UNTRACKED).
    if (others.length > 0) return known(s, false);
    return known(s, !!k.state && k.state.value.some((x) => x === s.ct) !== k.state.negated);
  }
  if (k.state && k.state.value.some((x) => ctStates(s, true).includes(x)) === k.state.negated) return known(s, false);
  if (k.proto && (k.proto.value === ctx.protocol) === k.proto.negated) return known(s, false);
  const orig = ctx.packet;
  const addr = (am: Negatable<AddressMask> | undefined, address: string) => !am || addressTest(ctx, address, am);
  if (!addr(k.origSrc, orig.source) || !addr(k.origDst, orig.destination) || !addr(k.replSrc, s.dst)) return known(s, false);
  const port = (r: Negatable<PortRange> | undefined, p: number) => !r || inRange(r.value, p) !== r.negated;
  if (!port(k.origDstPort, orig.destinationPort) || !port(k.replSrcPort, s.dport)) return known(s, false);
  if (k.direction && k.direction !== 'ORIGINAL') return known(s, false);
  let state = s;
  // The reply's destination is the source after SNAT: unknown once masqueraded.
  if (k.replDst) {
    if (s.masquerade) {
      const out = assume(state, k.replDst.negated, '--ctrepldst: the masquerading address is unknown');
      if (!out[0]!.matched) return out;
      state = out[0]!.state;
    } else if (!addressTest(ctx, s.src, k.replDst)) return known(s, false);
  }
  // the original tuple's source port is the packet's; the reply goes to the source port after SNAT
  for (const [r, port, what] of [[k.origSrcPort, orig.sourcePort, '--ctorigsrcport'], [k.replDstPort, s.sport, '--ctrepldstport']] as const) {
    if (!r) continue;
    const out = sportTest(state, port, [r.value], r.negated, what, assume);
    if (!out[0]!.matched) return out;
    state = out[0]!.state;
  }
  if (k.status) {
    // A new connection has no reply yet; it is confirmed once it has left POSTROUTING/INPUT.
    if (s.ct !== 'NEW') {
      const out = assume(state, !k.status.negated, '--ctstatus: the status of an existing connection is unknown');
      if (!out[0]!.matched) return out;
      state = out[0]!.state;
    } else {
      const bits = s.loopback ? ['CONFIRMED'] : [];
      if (k.status.value.some((x) => bits.includes(x)) === k.status.negated) return known(state, false);
    }
  }
  if (k.expire) return assume(state, k.expire.negated, '--ctexpire: the connection\'s timeout is unknown');
  return known(state, true);
}
