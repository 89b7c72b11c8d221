// Which extensions svctrace models, and which others iptables 1.8.9 ships (so that a rule
// using them is still read, its words kept as given).
import type { Family } from '../model.js';
import { conntrack, connmark, helper, mark, state } from './conntrack.js';
import { icmp, icmp6 } from './icmp.js';
import type { ExtensionDef } from './kit.js';
import { addrtype, comment, hl, iprange, length, mac, nfacct, owner, physdev, pkttype, set, socket, ttl } from './packet.js';
import { multiport, sctp, tcp, udp } from './ports.js';
import { connlimit, limit, recent, statistic } from './rate.js';
import { CONNMARK, DNAT, LOG, MARK, MASQUERADE, NETMAP, REDIRECT, REJECT, SNAT } from './targets.js';

// The state type differs per extension; the rule parser treats them uniformly (hence any).
type AnyExtension = ExtensionDef<any>;

const MODELLED_MATCHES: AnyExtension[] = [
  tcp, udp, sctp, multiport, icmp, icmp6, comment, statistic, recent, addrtype, mark, connmark, conntrack,
  state, physdev, mac, iprange, set, owner, limit, pkttype, length, ttl, hl, helper, socket, connlimit, nfacct,
];
const MODELLED_TARGETS: AnyExtension[] = [DNAT, SNAT, MASQUERADE, REDIRECT, NETMAP, MARK, CONNMARK, REJECT, LOG];

/** Extensions in /usr/lib/x86_64-linux-gnu/xtables of iptables 1.8.9 (libxt_*, libipt_*, libip6t_*). */
const SHIPPED = {
  both: {
    matches: 'addrtype bpf cgroup cluster comment connbytes connlabel connlimit connmark conntrack cpu dccp devgroup dscp ecn esp hashlimit helper ipcomp iprange ipvs length limit mac mark multiport nfacct osf owner physdev pkttype policy quota rateest recent rpfilter sctp set socket state statistic string tcp tcpmss time tos u32 udp',
    targets: 'AUDIT CHECKSUM CLASSIFY CONNMARK CONNSECMARK CT DNAT DSCP HMARK IDLETIMER LED LOG MARK MASQUERADE NFLOG NFQUEUE NOTRACK RATEEST REDIRECT SECMARK SET SNAT SYNPROXY TCPMSS TCPOPTSTRIP TEE TOS TPROXY TRACE',
  },
  ipv4: { matches: 'ah icmp realm ttl', targets: 'CLUSTERIP ECN NETMAP REJECT TTL ULOG' },
  ipv6: { matches: 'ah dst eui64 frag hbh hl icmp6 ipv6header mh rt srh', targets: 'DNPT HL NETMAP REJECT SNPT' },
} as const;

function shipped(family: Family, kind: 'matches' | 'targets'): Set<string> {
  return new Set(`${SHIPPED.both[kind]} ${SHIPPED[family][kind]}`.split(' '));
}

const shippedSets = {
  ipv4: { matches: shipped('ipv4', 'matches'), targets: shipped('ipv4', 'targets') },
  ipv6: { matches: shipped('ipv6', 'matches'), targets: shipped('ipv6', 'targets') },
};

function modelled(list: AnyExtension[], name: string, family: Family): AnyExtension | undefined {
  return list.find((e) => e.name === name && (!e.family || e.family === family));
}

/** The modelled match extension of that name for the family, if any. */
export function findMatch(name: string, family: Family): AnyExtension | undefined {
  return modelled(MODELLED_MATCHES, name, family);
}

export function findTarget(name: string, family: Family): AnyExtension | undefined {
  return modelled(MODELLED_TARGETS, name, family);
}

/** True when iptables 1.8.9 has a match extension of that name for the family. */
export function isShippedMatch(name: string, family: Family): boolean {
  return shippedSets[family].matches.has(name);
}

export function isShippedTarget(name: string, family: Family): boolean {
  return shippedSets[family].targets.has(name);
}

export type { AnyExtension };
