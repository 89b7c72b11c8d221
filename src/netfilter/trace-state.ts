// What the tracer carries: the context of one trace (the rules indexed by table and chain, the
// node's addresses, the packet as it entered) and the state of one path (the packet as the
// current hook sees it after NAT, its marks, conntrack bits and the steps taken so far, each
// with its exact branch: the path's odds are their product). Path states are immutable: a
// branch copies the state, so paths never share later changes; they share the steps before
// it (trace-trail.ts), so N paths out of one balancing chain hold N steps there, not N^2/2.
import { InputError } from '../errors.js';
import { formatAddress, parseAddress, parseAddressStrict } from './addr.js';
import type { Chain, CtState, Family, Ruleset } from './model.js';
import { latestTables } from './print-save.js';
import type { Odds } from './trace-odds.js';
import { extendTrail, type StepTrail } from './trace-trail.js';
import type { Packet, TraceNode, TraceOptions, TraceStep } from './trace.js';

export type HookName = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

export const PROTOCOL_NUMBERS = { tcp: 6, udp: 17, sctp: 132 } as const;

/** Recent lists (`-m recent`): which ones hold the client, or still to be decided (pinned). */
export interface RecentState {
  /** "open": a pinned client whose list is chosen at the first chain that checks one */
  readonly pinned: 'open' | 'closed';
  readonly members: ReadonlySet<string>;
}

export interface PathState {
  /** addresses and ports as the current hook sees them (after DNAT/SNAT), canonical text */
  readonly src: string;
  readonly dst: string;
  readonly sport?: number;
  readonly dport: number;
  readonly mark: number;
  readonly ctmark: number;
  /** conntrack's view of the packet; ctDnat/ctSnat are the DNAT/SNAT status bits */
  readonly ct: CtState;
  readonly ctDnat: boolean;
  readonly ctSnat: boolean;
  /** NAT already decided for this connection, per manipulation (the nat table is consulted once) */
  readonly natDst: boolean;
  readonly natSrc: boolean;
  readonly recent: RecentState;
  /** the last step taken, linked back to the first (undefined before the first) */
  readonly trail: StepTrail | undefined;
  readonly assumed: readonly string[];
  /** the DNAT result, ip:port */
  readonly destination?: string;
  readonly masquerade: boolean;
  /** SNAT --to-source text */
  readonly snatTo?: string;
  /** the packet came back in over lo (a locally generated packet to a local address) */
  readonly loopback?: boolean;
}

export interface TraceContext {
  readonly family: Family;
  /** protocol number of the packet */
  readonly protocol: number;
  /** the packet as it entered the node */
  readonly packet: Packet;
  readonly chains: ReadonlyMap<string, ReadonlyMap<string, Chain>>;
  /** the node's first address (loopback when none is known), for REDIRECT */
  readonly localAddress: string;
  /** the packet starts at OUTPUT: the node sends it (it has a local socket) */
  readonly packetFromNode: boolean;
  readonly maxPaths: number;
  readonly options: TraceOptions;
  /** notes about the trace as a whole, e.g. nat skipped for an ESTABLISHED packet */
  readonly notes: Set<string>;
  isLocal(address: string): boolean;
  /** an address text as a number (cached) */
  value(address: string): bigint;
}

const LOOPBACK4 = { net: 0x7f000000n, mask: 0xff000000n };

/** Loopback (127.0.0.0/8, ::1) or one of the node's own addresses. */
export function isLocalAddress(address: string, family: Family, nodeAddresses: readonly string[]): boolean {
  const v = parseAddress(address, family);
  if (v === null) return false;
  if (family === 'ipv4' ? (v & LOOPBACK4.mask) === LOOPBACK4.net : v === 1n) return true;
  return nodeAddresses.some((a) => parseAddress(a, family) === v);
}

/** Packet addresses are plain addresses (inet_pton), not iptables' rule syntax (`010.0.0.1` is octal there). */
function checkAddress(text: string, family: Family, what: string): void {
  if (parseAddressStrict(text, family) === null) throw new InputError(`${what} "${text}" is not an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address`);
}

function checkPort(port: number | undefined, what: string): void {
  if (port === undefined) return;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InputError(`${what} ${port} is out of range (1-65535)`);
}

export function traceContext(ruleset: Ruleset, packet: Packet, node: TraceNode, options: TraceOptions): TraceContext {
  if (packet.family !== ruleset.family) {
    throw new InputError(`the packet is ${packet.family === 'ipv4' ? 'IPv4' : 'IPv6'} but the rules are ${ruleset.family === 'ipv4' ? 'IPv4' : 'IPv6'}`);
  }
  checkAddress(packet.source, packet.family, 'source');
  checkAddress(packet.destination, packet.family, 'destination');
  checkPort(packet.destinationPort, 'destination port');
  checkPort(packet.sourcePort, 'source port');
  const protocol = PROTOCOL_NUMBERS[packet.protocol];
  if (protocol === undefined) throw new InputError(`protocol "${String(packet.protocol)}" is not tcp, udp or sctp`);
  const local = node.localAddresses.filter((a) => parseAddress(a, packet.family) !== null);

  const chains = new Map<string, Map<string, Chain>>();
  for (const t of latestTables(ruleset)) chains.set(t.name, new Map(t.chains.map((c) => [c.name, c])));

  const values = new Map<string, bigint>();
  return {
    family: packet.family,
    protocol,
    packet,
    chains,
    localAddress: local[0] ?? (packet.family === 'ipv4' ? '127.0.0.1' : '::1'),
    packetFromNode: isLocalAddress(packet.source, packet.family, local),
    maxPaths: options.maxPaths ?? 100_000,
    options,
    notes: new Set(),
    isLocal: (a) => isLocalAddress(a, packet.family, local),
    value(a) {
      let v = values.get(a);
      if (v === undefined) {
        v = parseAddress(a, packet.family) ?? -1n;
        values.set(a, v);
      }
      return v;
    },
  };
}

export function initialState(ctx: TraceContext): PathState {
  const o = ctx.options;
  const lists = o.recentLists;
  return {
    src: canonical(ctx, ctx.packet.source),
    dst: canonical(ctx, ctx.packet.destination),
    ...(ctx.packet.sourcePort !== undefined ? { sport: ctx.packet.sourcePort } : {}),
    dport: ctx.packet.destinationPort,
    mark: (o.mark ?? 0) >>> 0,
    ctmark: (o.ctmark ?? 0) >>> 0,
    // DNAT/SNAT are status bits on an existing connection, not states of their own
    ct: o.ctstate === 'DNAT' || o.ctstate === 'SNAT' ? 'ESTABLISHED' : (o.ctstate ?? 'NEW'),
    ctDnat: o.ctstate === 'DNAT',
    ctSnat: o.ctstate === 'SNAT',
    natDst: false,
    natSrc: false,
    recent: lists ? { pinned: 'closed', members: new Set(lists) } : { pinned: o.affinity === 'pinned' ? 'open' : 'closed', members: new Set() },
    trail: undefined,
    assumed: [],
    masquerade: false,
  };
}

/** The address as inet_ntop prints it, so DNAT results and the packet compare as text. */
function canonical(ctx: TraceContext, address: string): string {
  const v = ctx.value(address);
  return v < 0n ? address : formatAddress(v, ctx.family);
}

/**
 * More paths than options.maxPaths is an error rather than a hang. Checked after every rule of a
 * chain, not only between tables: a chain of splitting rules whose halves both go on doubles the
 * paths at each rule.
 */
export function checkPathCount(ctx: TraceContext, count: number): void {
  if (count > ctx.maxPaths) throw new InputError(`the trace has more than ${ctx.maxPaths} paths: the rules branch too much to list every path`);
}

/** Adds an assumption once per path. */
export function withAssumption(state: PathState, text: string): PathState {
  return state.assumed.includes(text) ? state : { ...state, assumed: [...state.assumed, text] };
}

/** The state with one more step; `odds` is the step's branch, exactly. */
export function withStep(state: PathState, step: TraceStep, odds: Odds): PathState {
  return { ...state, trail: extendTrail(state.trail, step, odds) };
}

export const chainOf = (ctx: TraceContext, table: string, chain: string): Chain | undefined => ctx.chains.get(table)?.get(chain);
