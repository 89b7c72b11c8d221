// The parsed netfilter model: what an iptables-save dump or an iptables-restore payload says,
// as typed data. Text goes in through parse.ts and comes out through print-save.ts (the
// canonical `iptables-save` form) and print-restore.ts (the payload as written).
//
// A Table carries two views of its section of text:
//   - `chains`: the state the section leaves in a fresh network namespace (what
//     `iptables-save` would print afterwards); this is what the tracer walks;
//   - `commands`: every line of the section in order, as written, which printRestore prints
//     back byte for byte and applyRestore replays onto another state.

export type Family = 'ipv4' | 'ipv6';

/** Packet and byte counters (`[pkts:bytes]`). bigint: kernel counters are u64. */
export interface Counters {
  readonly packets: bigint;
  readonly bytes: bigint;
}

export interface Ruleset {
  readonly family: Family;
  readonly tables: Table[];
}

export interface Table {
  readonly name: string;
  /** Built-in chains first (kernel hook order), then user chains in declaration order. */
  readonly chains: Chain[];
  readonly commands: Command[];
}

/** Built-in chains have a policy; user chains have none (printed `-`). */
export type Policy = 'ACCEPT' | 'DROP';

export interface Chain {
  readonly name: string;
  readonly builtin: boolean;
  policy: Policy | null;
  counters: Counters;
  rules: Rule[];
}

/** Where a rule's text came from: the source name given to parseRuleset and a 1-based line. */
export interface Origin {
  readonly source: string;
  readonly line: number;
}

/** A value that an option may negate with `!`. */
export interface Negatable<T> {
  readonly negated: boolean;
  readonly value: T;
}

/** A flag option (no value) that may be negated, e.g. `! --physdev-is-in`. */
export interface Flag {
  readonly negated: boolean;
}

/** An address with its mask, as the kernel stores it (host bits cleared). */
export interface AddressMask {
  readonly family: Family;
  /** canonical text: dotted quad, or RFC 5952 as glibc's inet_ntop prints it */
  readonly address: string;
  /** prefix length, or null when the mask is not contiguous (e.g. 255.0.255.0) */
  readonly prefix: number | null;
  /** canonical text of the mask itself */
  readonly mask: string;
}

/** An inclusive port range; a single port has from === to. */
export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** An inclusive address range (`1.2.3.4-1.2.3.9`), canonical texts. */
export interface AddressRange {
  readonly from: string;
  readonly to: string;
}

/** value/mask pairs as the kernel stores them: matches test (mark & mask) === value. */
export interface MarkMask {
  readonly value: number;
  readonly mask: number;
}

/** A parsed rule: one `-A`/`-I` line expanded (comma lists of -s/-d give several rules). */
export interface Rule {
  readonly family: Family;
  readonly chain: string;
  /** the line as written, without a leading `[pkts:bytes]` */
  readonly raw: string;
  /** the rule itself as written: `raw` after the command, the chain and any position (one of several rules from a line: its save form) */
  readonly spec: string;
  readonly origin: Origin;
  /** `[pkts:bytes]` before the rule or `-c pkts bytes`, when given */
  counters?: Counters;
  readonly source?: Negatable<AddressMask>;
  readonly destination?: Negatable<AddressMask>;
  readonly inInterface?: Negatable<string>;
  readonly outInterface?: Negatable<string>;
  /** protocol number (0 never appears: `-p all` is no match) */
  readonly protocol?: Negatable<number>;
  /** `-f` / `! -f` (IPv4 only) */
  readonly fragment?: Flag;
  readonly matches: Match[];
  /** undefined for a rule without `-j`/`-g` (it only counts packets) */
  readonly target?: Target;
}

// ---------------------------------------------------------------------------------------------
// Matches. Known modules are typed; anything else is an OpaqueMatch kept as written.

export interface TcpMatch {
  readonly module: 'tcp';
  sport?: Negatable<PortRange>;
  dport?: Negatable<PortRange>;
  /** --tcp-flags MASK COMP as flag names in kernel bit order; --syn is FIN,SYN,RST,ACK SYN */
  flags?: Negatable<{ readonly mask: TcpFlag[]; readonly comp: TcpFlag[] }>;
  option?: Negatable<number>;
}
export type TcpFlag = 'FIN' | 'SYN' | 'RST' | 'PSH' | 'ACK' | 'URG';

export interface UdpMatch {
  readonly module: 'udp';
  sport?: Negatable<PortRange>;
  dport?: Negatable<PortRange>;
}

export interface SctpMatch {
  readonly module: 'sctp';
  sport?: Negatable<PortRange>;
  dport?: Negatable<PortRange>;
  /** --chunk-types kept as written (not modelled further) */
  chunkTypes?: Negatable<{ readonly scope: 'all' | 'any' | 'only'; readonly types: string }>;
}

export interface MultiportMatch {
  readonly module: 'multiport';
  readonly direction: 'source' | 'destination' | 'either';
  readonly negated: boolean;
  readonly ports: PortRange[];
}

export interface IcmpMatch {
  readonly module: 'icmp' | 'icmp6';
  /** type 255 with codes 0..255 is `any` (IPv4 only) */
  readonly negated: boolean;
  readonly type: number;
  readonly codeMin: number;
  readonly codeMax: number;
}

export interface CommentMatch {
  readonly module: 'comment';
  readonly comment: string;
}

/** `-m nfacct`: counts into an accounting object (nfacct add NAME) that must exist in the netns. */
export interface NfacctMatch {
  readonly module: 'nfacct';
  /** the object's name, at most 31 bytes (the kernel's NFACCT_NAME_MAX with its NUL) */
  readonly name: string;
}

export interface StatisticMatch {
  readonly module: 'statistic';
  readonly mode: 'random' | 'nth';
  readonly negated: boolean;
  /** mode random: --probability as written */
  readonly probabilityText?: string;
  /** mode random: the kernel's threshold round(p * 2^31): a packet matches when (random & 0x7fffffff) < threshold */
  readonly threshold?: number;
  /** mode random: threshold / 2^31, the probability the kernel really applies */
  readonly probability?: number;
  /** mode nth */
  readonly every?: number;
  readonly packet?: number;
}

export interface RecentMatch {
  readonly module: 'recent';
  readonly command: 'set' | 'rcheck' | 'update' | 'remove';
  readonly negated: boolean;
  readonly name: string;
  readonly seconds?: number;
  readonly reap: boolean;
  readonly hitcount?: number;
  readonly rttl: boolean;
  /** canonical mask text: 255.255.255.255 or ffff:...:ffff unless given */
  readonly mask: string;
  readonly side: 'source' | 'dest';
}

export type AddrType =
  | 'UNSPEC' | 'UNICAST' | 'LOCAL' | 'BROADCAST' | 'ANYCAST' | 'MULTICAST'
  | 'BLACKHOLE' | 'UNREACHABLE' | 'PROHIBIT' | 'THROW' | 'NAT' | 'XRESOLVE';

export interface AddrtypeMatch {
  readonly module: 'addrtype';
  srcType?: Negatable<AddrType[]>;
  dstType?: Negatable<AddrType[]>;
  limitIfaceIn: boolean;
  limitIfaceOut: boolean;
}

export interface MarkMatch {
  readonly module: 'mark' | 'connmark';
  readonly negated: boolean;
  readonly mark: MarkMask;
}

export type CtState = 'INVALID' | 'NEW' | 'RELATED' | 'ESTABLISHED' | 'UNTRACKED' | 'SNAT' | 'DNAT';
export type CtStatus = 'NONE' | 'EXPECTED' | 'SEEN_REPLY' | 'ASSURED' | 'CONFIRMED';

export interface ConntrackMatch {
  readonly module: 'conntrack';
  state?: Negatable<CtState[]>;
  proto?: Negatable<number>;
  origSrc?: Negatable<AddressMask>;
  origDst?: Negatable<AddressMask>;
  replSrc?: Negatable<AddressMask>;
  replDst?: Negatable<AddressMask>;
  origSrcPort?: Negatable<PortRange>;
  origDstPort?: Negatable<PortRange>;
  replSrcPort?: Negatable<PortRange>;
  replDstPort?: Negatable<PortRange>;
  status?: Negatable<CtStatus[]>;
  expire?: Negatable<{ readonly min: number; readonly max: number }>;
  direction?: 'ORIGINAL' | 'REPLY';
}

export interface StateMatch {
  readonly module: 'state';
  readonly negated: boolean;
  readonly states: CtState[];
}

export interface PhysdevMatch {
  readonly module: 'physdev';
  physdevIn?: Negatable<string>;
  physdevOut?: Negatable<string>;
  isIn?: Flag;
  isOut?: Flag;
  isBridged?: Flag;
}

export interface MacMatch {
  readonly module: 'mac';
  readonly negated: boolean;
  /** lower case, colon separated */
  readonly source: string;
}

export interface IprangeMatch {
  readonly module: 'iprange';
  srcRange?: Negatable<AddressRange>;
  dstRange?: Negatable<AddressRange>;
}

export interface SetMatch {
  readonly module: 'set';
  readonly negated: boolean;
  /** the ipset's name; svctrace does not know its members */
  readonly setName: string;
  /** one entry per dimension */
  readonly flags: Array<'src' | 'dst'>;
  readonly returnNomatch: boolean;
  readonly updateCounters: boolean;
  readonly updateSubcounters: boolean;
  readonly packets?: SetCounterTest;
  readonly bytes?: SetCounterTest;
}
export interface SetCounterTest {
  readonly op: 'eq' | 'ne' | 'lt' | 'gt';
  readonly value: bigint;
}

export interface OwnerMatch {
  readonly module: 'owner';
  uid?: Negatable<{ readonly from: number; readonly to: number }>;
  gid?: Negatable<{ readonly from: number; readonly to: number }>;
  socketExists?: Flag;
  supplGroups: boolean;
}

export interface LimitMatch {
  readonly module: 'limit';
  /** the kernel's average interval between events, in 1/10000 s (3/hour: 12000000) */
  readonly period: number;
  readonly burst: number;
}

export interface PkttypeMatch {
  readonly module: 'pkttype';
  readonly negated: boolean;
  readonly type: 'unicast' | 'broadcast' | 'multicast' | 'host' | 'otherhost' | 'outgoing' | 'loopback';
}

export interface LengthMatch {
  readonly module: 'length';
  readonly negated: boolean;
  readonly min: number;
  readonly max: number;
}

export interface TtlMatch {
  readonly module: 'ttl' | 'hl';
  readonly negated: boolean;
  readonly op: 'eq' | 'lt' | 'gt';
  readonly value: number;
}

export interface HelperMatch {
  readonly module: 'helper';
  readonly negated: boolean;
  readonly helper: string;
}

export interface SocketMatch {
  readonly module: 'socket';
  transparent: boolean;
  nowildcard: boolean;
  restoreSkmark: boolean;
}

export interface ConnlimitMatch {
  readonly module: 'connlimit';
  /** true: --connlimit-upto (match while count <= limit); false: --connlimit-above */
  readonly upto: boolean;
  readonly limit: number;
  readonly maskBits: number;
  readonly side: 'saddr' | 'daddr';
}

/** A module svctrace does not model: its words kept as written (quotes included). */
export interface OpaqueMatch {
  readonly module: string;
  readonly opaque: true;
  readonly args: string[];
}

export type KnownMatch =
  | TcpMatch | UdpMatch | SctpMatch | MultiportMatch | IcmpMatch | CommentMatch | StatisticMatch
  | RecentMatch | AddrtypeMatch | MarkMatch | ConntrackMatch | StateMatch | PhysdevMatch
  | MacMatch | IprangeMatch | SetMatch | OwnerMatch | LimitMatch | PkttypeMatch | LengthMatch
  | TtlMatch | HelperMatch | SocketMatch | ConnlimitMatch | NfacctMatch;

export type Match = KnownMatch | OpaqueMatch;

// ---------------------------------------------------------------------------------------------
// Targets.

/** The built-in verdicts. */
export interface VerdictTarget {
  readonly kind: 'verdict';
  readonly name: 'ACCEPT' | 'DROP' | 'RETURN' | 'QUEUE';
}

/** `-j CHAIN` (jump: come back on RETURN) or `-g CHAIN` (goto: do not). */
export interface ChainTarget {
  readonly kind: 'chain';
  readonly name: string;
  readonly goto: boolean;
}

/** DNAT/SNAT: address range and optional port range; IPv6 addresses print in brackets with ports. */
export interface NatTarget {
  readonly kind: 'extension';
  readonly name: 'DNAT' | 'SNAT';
  readonly ranges: NatRange[];
  readonly random: boolean;
  readonly randomFully: boolean;
  readonly persistent: boolean;
}

export interface NatRange {
  /** canonical address texts; both absent for a ports-only range (`:80`) */
  readonly addrFrom?: string;
  readonly addrTo?: string;
  readonly portFrom?: number;
  readonly portTo?: number;
  /** DNAT `--to-destination a:p1-p2/base` (shifted port mapping) */
  readonly portBase?: number;
}

export interface MasqueradeTarget {
  readonly kind: 'extension';
  readonly name: 'MASQUERADE' | 'REDIRECT';
  readonly ports?: PortRange;
  readonly random: boolean;
  readonly randomFully: boolean;
}

export interface NetmapTarget {
  readonly kind: 'extension';
  readonly name: 'NETMAP';
  readonly to: AddressMask;
}

/** MARK: the kernel does mark = (mark & ~mask) ^ value (`--set-xmark value/mask`). */
export interface MarkTarget {
  readonly kind: 'extension';
  readonly name: 'MARK';
  readonly xset: MarkMask;
}

export interface ConnmarkTarget {
  readonly kind: 'extension';
  readonly name: 'CONNMARK';
  /** set: ctmark = (ctmark & ~mask) ^ value; save/restore copy between packet and conntrack marks */
  readonly mode: 'set' | 'save' | 'restore';
  readonly xset?: MarkMask;
  readonly nfmask?: number;
  readonly ctmask?: number;
}

export interface RejectTarget {
  readonly kind: 'extension';
  readonly name: 'REJECT';
  /** canonical name, e.g. icmp-port-unreachable, icmp6-port-unreachable, tcp-reset */
  readonly with: string;
}

export interface LogTarget {
  readonly kind: 'extension';
  readonly name: 'LOG';
  readonly prefix?: string;
  /** syslog level 0..7; 4 (warning) is the default */
  readonly level: number;
  readonly flags: Array<'tcp-sequence' | 'tcp-options' | 'ip-options' | 'uid' | 'macdecode'>;
}

/** A target svctrace does not model: its words kept as written (quotes included). */
export interface OpaqueTarget {
  readonly kind: 'opaque';
  readonly name: string;
  readonly args: string[];
  readonly goto: false;
}

export type ExtensionTarget =
  | NatTarget | MasqueradeTarget | NetmapTarget | MarkTarget | ConnmarkTarget | RejectTarget | LogTarget;

export type Target = VerdictTarget | ChainTarget | ExtensionTarget | OpaqueTarget;

// ---------------------------------------------------------------------------------------------
// Commands: the lines of a table section, in order.

interface CommandBase {
  readonly origin: Origin;
  /** the line as written */
  readonly text: string;
}

/** `:NAME POLICY [pkts:bytes]` */
export interface DeclareCommand extends CommandBase {
  readonly op: 'declare';
  readonly chain: string;
  /** null for `-` */
  readonly policy: Policy | null;
  readonly counters?: Counters;
}

/** -A (append), -I (insert at 1-based position), -R (replace position) */
export interface RuleCommand extends CommandBase {
  readonly op: 'append' | 'insert' | 'replace';
  readonly chain: string;
  readonly position?: number;
  /** one line can stand for several rules (`-s a,b`); none when iptables-restore skips it (`-6`) */
  readonly rules: Rule[];
  /** `[pkts:bytes]` before the command: used only by `iptables-restore --counters` */
  readonly counters?: Counters;
}

/** -D CHAIN rule-spec, or -D CHAIN position */
export interface DeleteCommand extends CommandBase {
  readonly op: 'delete';
  readonly chain: string;
  readonly position?: number;
  readonly rules?: Rule[];
}

/** -N, -X [CHAIN], -F [CHAIN], -Z [CHAIN], -P CHAIN POLICY, -E OLD NEW */
export interface ChainCommand extends CommandBase {
  readonly op: 'new' | 'delete-chain' | 'flush' | 'zero' | 'policy' | 'rename';
  readonly chain?: string;
  readonly policy?: Policy;
  readonly newName?: string;
}

export type Command = DeclareCommand | RuleCommand | DeleteCommand | ChainCommand;
