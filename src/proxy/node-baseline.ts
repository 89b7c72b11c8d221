// What a node's tables hold besides kube-proxy's restore payload: the jump rules kube-proxy
// installs in the built-in chains with the iptables CLI (EnsureChain, then EnsureRule(Prepend):
// `-C`, and `-I CHAIN 1` when missing, so the last one processed ends up first), kubelet's
// chains that kube-proxy's rules jump to (KUBE-MARK-DROP, KUBE-FIREWALL), and the empty
// KUBE-PROXY-CANARY chains kube-proxy's iptables Monitor watches. Jumps are data: one list of
// rows per era, replayed by one loop in the order kubelet then kube-proxy run on a fresh node.
// The result is an iptables-restore text that builds the baseline the payload is applied onto
// (`--noflush`), which is how `--format save` and the kernel tests reproduce a node.
import type { IPFamily } from '../cluster/ip.js';
import type { ProfileSwitches } from './profiles.js';
import { quoted } from './line-writer.js';

type Table = 'mangle' | 'filter' | 'nat';

/** A jump rule in a built-in chain: `-A FROM extra... [-m comment --comment C] -j TO`. */
interface JumpRow {
  table: Table;
  from: string;
  to: string;
  comment: string;
  extra: readonly string[];
}

const NEW = ['-m', 'conntrack', '--ctstate', 'NEW'] as const;
const row = (table: Table, from: string, to: string, comment: string, extra: readonly string[] = []): JumpRow => ({ table, from, to, comment, extra });

// The rows of kube-proxy's iptablesJumpChains, named once and combined per era below.
const EXT_INPUT = row('filter', 'INPUT', 'KUBE-EXTERNAL-SERVICES', 'kubernetes externally-visible service portals', NEW);
const EXT_FORWARD = row('filter', 'FORWARD', 'KUBE-EXTERNAL-SERVICES', 'kubernetes externally-visible service portals', NEW);
const HEALTH_INPUT = row('filter', 'INPUT', 'KUBE-NODEPORTS', 'kubernetes health check service ports');
const SVC_FORWARD = row('filter', 'FORWARD', 'KUBE-SERVICES', 'kubernetes service portals', NEW);
const SVC_OUTPUT = row('filter', 'OUTPUT', 'KUBE-SERVICES', 'kubernetes service portals', NEW);
const SVC_INPUT = row('filter', 'INPUT', 'KUBE-SERVICES', 'kubernetes service portals', NEW);
const FORWARD = row('filter', 'FORWARD', 'KUBE-FORWARD', 'kubernetes forwarding rules');
const LBFW_INPUT = row('filter', 'INPUT', 'KUBE-PROXY-FIREWALL', 'kubernetes load balancer firewall', NEW);
const LBFW_OUTPUT = row('filter', 'OUTPUT', 'KUBE-PROXY-FIREWALL', 'kubernetes load balancer firewall', NEW);
const LBFW_FORWARD = row('filter', 'FORWARD', 'KUBE-PROXY-FIREWALL', 'kubernetes load balancer firewall', NEW);
const NAT_OUTPUT = row('nat', 'OUTPUT', 'KUBE-SERVICES', 'kubernetes service portals');
const NAT_PREROUTING = row('nat', 'PREROUTING', 'KUBE-SERVICES', 'kubernetes service portals');
const NAT_POSTROUTING = row('nat', 'POSTROUTING', 'KUBE-POSTROUTING', 'kubernetes postrouting rules');
const FIREWALL_INPUT = row('filter', 'INPUT', 'KUBE-FIREWALL', '');
const FIREWALL_OUTPUT = row('filter', 'OUTPUT', 'KUBE-FIREWALL', '');
const NAT_JUMPS = [NAT_OUTPUT, NAT_PREROUTING, NAT_POSTROUTING];

/** kube-proxy's jump rows in processing order, per era (research note §4.1-4.2; sources in profiles.ts). */
export const KUBE_PROXY_JUMPS: Readonly<Record<ProfileSwitches['jumpEra'], readonly JumpRow[]>> = {
  // 1.16 proxier.go (and the 1.18 copy): INPUT->KUBE-SERVICES still present.
  '1.16': [EXT_INPUT, SVC_FORWARD, SVC_OUTPUT, SVC_INPUT, FORWARD, ...NAT_JUMPS],
  // #95252: FORWARD->KUBE-EXTERNAL-SERVICES added, INPUT->KUBE-SERVICES only cleaned up.
  '1.20': [EXT_INPUT, EXT_FORWARD, SVC_FORWARD, SVC_OUTPUT, FORWARD, ...NAT_JUMPS],
  // Health-check node ports accepted in filter KUBE-NODEPORTS.
  '1.21': [EXT_INPUT, EXT_FORWARD, HEALTH_INPUT, SVC_FORWARD, SVC_OUTPUT, FORWARD, ...NAT_JUMPS],
  // KUBE-PROXY-FIREWALL for loadBalancerSourceRanges.
  '1.25': [EXT_INPUT, EXT_FORWARD, HEALTH_INPUT, SVC_FORWARD, SVC_OUTPUT, FORWARD, LBFW_INPUT, LBFW_OUTPUT, LBFW_FORWARD, ...NAT_JUMPS],
  // iptablesKubeletJumpChains: kube-proxy ensures kubelet's KUBE-FIREWALL jumps too (#114470).
  '1.27': [
    EXT_INPUT, EXT_FORWARD, HEALTH_INPUT, SVC_FORWARD, SVC_OUTPUT, FORWARD, LBFW_INPUT, LBFW_OUTPUT, LBFW_FORWARD, ...NAT_JUMPS,
    FIREWALL_INPUT, FIREWALL_OUTPUT,
  ],
};

/** A chain kubelet fills (rules in restore syntax, without "-A CHAIN"). */
interface KubeletChain {
  table: Table;
  chain: string;
  rules: readonly string[];
  /** IPv4 only (the localnet rule: IPv6 has no route_localnet). */
  ipv4Only?: boolean;
}

const DROP_MARK = '0x00008000/0x00008000';
const MARK_DROP: KubeletChain = { table: 'nat', chain: 'KUBE-MARK-DROP', rules: [`-j MARK --set-xmark ${DROP_MARK}`] };
const FIREWALL_MARKED: KubeletChain = {
  table: 'filter',
  chain: 'KUBE-FIREWALL',
  rules: [`-m comment --comment ${quoted('kubernetes firewall for dropping marked packets')} -m mark --mark ${DROP_MARK} -j DROP`],
};
const LOCALNET_RULE = `-m comment --comment ${quoted('block incoming localnet connections')} -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`;
const FIREWALL_LOCALNET: KubeletChain = { table: 'filter', chain: 'KUBE-FIREWALL', rules: [LOCALNET_RULE], ipv4Only: true };
// kubelet also filled these two; kube-proxy's payload declares (so flushes and rewrites) them.
const MARK_MASQ_CHAIN: KubeletChain = { table: 'nat', chain: 'KUBE-MARK-MASQ', rules: [] };
const POSTROUTING_CHAIN: KubeletChain = { table: 'nat', chain: 'KUBE-POSTROUTING', rules: [] };

/** kubelet's chains and jumps per era (kubelet_network_linux.go; research note §4.3). */
interface KubeletEra {
  chains: readonly KubeletChain[];
  jumps: readonly JumpRow[];
  /** kubelet sets up IPv4 only (>= 1.28 it keeps just the IPv4 localnet firewall). */
  ipv4Only?: boolean;
}

export const KUBELET: Readonly<Record<ProfileSwitches['kubeletEra'], KubeletEra>> = {
  // kubelet owned KUBE-MARK-DROP / KUBE-FIREWALL and the POSTROUTING jump (kube-proxy's rules jump to KUBE-MARK-DROP).
  'mark-drop': { chains: [MARK_DROP, FIREWALL_MARKED, MARK_MASQ_CHAIN, POSTROUTING_CHAIN], jumps: [FIREWALL_OUTPUT, FIREWALL_INPUT, NAT_POSTROUTING] },
  // CVE-2020-8558: the localnet rule after the marked-packets rule.
  'mark-drop-localnet': {
    chains: [MARK_DROP, FIREWALL_MARKED, FIREWALL_LOCALNET, MARK_MASQ_CHAIN, POSTROUTING_CHAIN],
    jumps: [FIREWALL_OUTPUT, FIREWALL_INPUT, NAT_POSTROUTING],
  },
  // IPTablesOwnershipCleanup: kubelet keeps only the IPv4 localnet firewall.
  localnet: { chains: [FIREWALL_LOCALNET], jumps: [FIREWALL_OUTPUT, FIREWALL_INPUT], ipv4Only: true },
};

const BUILTIN: Readonly<Record<Table, readonly string[]>> = {
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};
const TABLES: readonly Table[] = ['mangle', 'filter', 'nat'];
export const CANARY_CHAIN = 'KUBE-PROXY-CANARY';

/** The chains of one table in creation order, each with its rules (restore syntax after "-A CHAIN"). */
type TableState = Map<string, string[]>;

function jumpArgs(j: JumpRow): string {
  const words = [...j.extra];
  if (j.comment !== '') words.push('-m', 'comment', '--comment', j.comment.includes(' ') ? quoted(j.comment) : j.comment);
  words.push('-j', j.to);
  return words.join(' ');
}

export interface NodeBaseline {
  /** iptables-restore input building the baseline (use with --noflush on an empty node). */
  restore: string;
  /** Per table, chains in creation order with their rules. */
  tables: { table: Table; chains: { chain: string; builtin: boolean; rules: string[] }[] }[];
}

/** The baseline for one family of the node, as the profile's kubelet and kube-proxy leave it. */
export function nodeBaseline(switches: Pick<ProfileSwitches, 'jumpEra' | 'kubeletEra'>, family: IPFamily): NodeBaseline {
  const state = new Map<Table, TableState>(TABLES.map((t) => [t, new Map(BUILTIN[t].map((c) => [c, [] as string[]]))]));
  const chainOf = (t: Table, c: string) => {
    const table = state.get(t)!;
    if (!table.has(c)) table.set(c, []);
    return table.get(c)!;
  };
  // EnsureRule(Prepend): nothing when an identical rule exists, else insert at position 1.
  const ensureJump = (j: JumpRow) => {
    chainOf(j.table, j.to);
    const rules = chainOf(j.table, j.from);
    const args = jumpArgs(j);
    if (!rules.includes(args)) rules.unshift(args);
  };

  // kubelet starts first (kube-proxy runs as its pod), so its jumps end up below kube-proxy's.
  const kubelet = KUBELET[switches.kubeletEra];
  if (family === 4 || !kubelet.ipv4Only) {
    for (const c of kubelet.chains) if (family === 4 || !c.ipv4Only) chainOf(c.table, c.chain).push(...c.rules);
    for (const j of kubelet.jumps) ensureJump(j);
  }
  // kube-proxy's Monitor creates the canaries before the first sync ensures the jumps.
  for (const t of TABLES) chainOf(t, CANARY_CHAIN);
  for (const j of KUBE_PROXY_JUMPS[switches.jumpEra]) ensureJump(j);

  const tables = TABLES.map((t) => ({
    table: t,
    chains: [...state.get(t)!].map(([chain, rules]) => ({ chain, builtin: BUILTIN[t].includes(chain), rules })),
  }));
  const lines: string[] = [];
  for (const t of tables) {
    lines.push(`*${t.table}`);
    for (const c of t.chains) lines.push(c.builtin ? `:${c.chain} ACCEPT [0:0]` : `:${c.chain} - [0:0]`);
    for (const c of t.chains) for (const r of c.rules) lines.push(`-A ${c.chain} ${r}`);
    lines.push('COMMIT');
  }
  return { restore: lines.join('\n') + '\n', tables };
}
