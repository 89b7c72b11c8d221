// kube-proxy version profiles: one renderer reads a small table of switches. A profile is the
// 1.16 baseline with every change up to its minor folded in, in order. Each change names the
// PR and the source it was read from; docs/compatibility.md prints the same table.
//
// Profiles model the x.0 release of each minor (patch-release backports, e.g. the 1.16.13
// mark change from #92035, are not modelled).
import { UsageError } from '../errors.js';

export interface ProfileSwitches {
  /** Digits of computeProbability: "%0.5f" up to 1.16, "%0.10f" from 1.17 (#83599). */
  probabilityDecimals: 5 | 10;
  /** ServicePortName.String() writes "ns/name:" for an unnamed port (up to 1.18). */
  unnamedPortColon: boolean;
  /** Endpoints objects (<= 1.18: ordered by IP) or EndpointSlices (>= 1.19: ordered by "ip:port"). */
  endpointSource: 'endpoints' | 'endpointslices';
  /** Comments on SVC->SEP and SEP rules: none (1.12-1.17 slice bug), "NAME" (1.18-1.23), "NAME -> ep" on SVC->SEP (>= 1.24). */
  endpointComments: 'none' | 'name' | 'arrow';
  /** Addresses written with /32 or /128 (utilproxy.ToCIDR) up to 1.22. */
  addressSuffix: boolean;
  /** KUBE-MARK-MASQ: "--set-xmark M/M" with a one-rule KUBE-POSTROUTING (<= 1.18), or "--or-mark M" (#92035). */
  markStyle: 'set-xmark' | 'or-mark';
  /** KUBE-FORWARD conntrack rules: two with -s/-d clusterCIDR (<= 1.17), two without (1.18-1.22), one (>= 1.23). */
  forwardConntrack: 'cluster-cidr-pair' | 'pair' | 'single';
  /** Where cluster-IP masquerade rules live: KUBE-SERVICES (<= 1.21), the SVC chain (1.22-1.23), the internal chain (>= 1.24). */
  masqueradePlacement: 'kube-services' | 'service-chain' | 'internal-chain';
  /** External traffic: KUBE-XLB chains (<= 1.23), KUBE-EXT/KUBE-SVL (1.24), + filter DROPs and KUBE-PROXY-FIREWALL (>= 1.25). */
  externalModel: 'xlb' | 'ext-mark-drop' | 'ext';
  /** externalIP capture in the XLB era: masquerade + physdev/addrtype pair (<= 1.17), ETP-aware pair (1.18-1.20), plain jump (1.21-1.23, #96296). */
  externalIPStyle: 'physdev' | 'physdev-policy' | 'direct';
  /** XLB balancing comments: "Balancing rule N for NAME" (<= 1.22) or NAME (1.23, #106269). */
  xlbBalancingComment: 'balancing-rule' | 'name';
  /** Where a LoadBalancer IP without endpoints is rejected: filter KUBE-SERVICES (<= 1.19) or KUBE-EXTERNAL-SERVICES (>= 1.20, #95252). */
  lbNoEndpointsChain: 'KUBE-SERVICES' | 'KUBE-EXTERNAL-SERVICES';
  /** filter KUBE-NODEPORTS with health-check ACCEPT rules (>= 1.21). */
  healthCheckRules: boolean;
  /** NodePort rules only when some node address matches --nodeport-addresses (1.22-1.24). */
  nodePortsNeedNodeAddress: boolean;
  /** Per-service SEP chains written before the service's other rules (1.23-1.24; restore order only). */
  endpointChainsFirst: boolean;
  /** internalTrafficPolicy: ignored (gate off, <= 1.21), filters endpoints (1.22-1.23), KUBE-SVL chain (>= 1.24). */
  internalTrafficPolicy: 'ignored' | 'filter-endpoints' | 'local-chain';
  /** Serving+terminating endpoints used when no ready ones exist (ProxyTerminatingEndpoints on by default, >= 1.26). */
  terminatingFallback: boolean;
  /**
   * Zone hints (topology-aware routing, pkg/proxy/topology.go): gated by the topology-aware-hints
   * annotation being exactly "Auto" or "auto" (1.24-1.26), by any value but ""/"disabled"/"Disabled"
   * of it or of topology-mode (1.27-1.30), or used whenever every ready endpoint carries one (>= 1.31).
   */
  topologyHints: 'none' | 'annotation-auto' | 'annotation' | 'hints';
  /** Node hints (forNodes) take precedence over zone hints: PreferSameTrafficDistribution on by default (>= 1.34). */
  nodeHints: boolean;
  /** --iptables-localhost-nodeports and the IPv6 "! -d ::1/128" tail rule (>= 1.26, #108250). */
  localhostNodePortsOption: boolean;
  /** kube-proxy writes its own KUBE-FIREWALL localnet rule (IPv4, >= 1.27, #114470). */
  kubeFirewallInPayload: boolean;
  /** KUBE-FW ends with the counted "other traffic ... dropped by KUBE-PROXY-FIREWALL" rule (>= 1.27). */
  firewallCountRule: boolean;
  /** nf_conntrack_tcp_be_liberal drops the INVALID rule (>= 1.29). */
  tcpBeLiberal: boolean;
  /** status.loadBalancer.ingress[].ipMode Proxy is ignored (LoadBalancerIPMode on by default, >= 1.30). */
  loadBalancerIPMode: boolean;
  /** loadBalancerSourceRanges parsed and re-printed as CIDRs (>= 1.30), else written as given (trimmed). */
  sourceRangesParsed: boolean;
  /** nfacct counters on the INVALID rule and localhost NodePorts (>= 1.31, #122812/#125015). */
  nfacct: boolean;
  /** Jump rules kube-proxy installs in the built-in chains (see node-baseline.ts). */
  jumpEra: '1.16' | '1.20' | '1.21' | '1.25' | '1.27';
  /** Rules kubelet keeps in the same tables (see node-baseline.ts). */
  kubeletEra: 'mark-drop' | 'mark-drop-localnet' | 'localnet';
  /**
   * The order `iptables-save` on such a node prints user chains in: creation order (iptables-nft
   * before 1.8.7, as on the walkthrough's OpenShift 4.3 nodes) or by name (legacy, and nft from
   * 1.8.7: "nft: cache: Sort custom chains by name"). A property of the node's iptables; the
   * profile holds the era's usual one.
   */
  saveChainOrder: 'creation' | 'name';
}

export interface ProfileChange {
  since: number;
  set: Partial<ProfileSwitches>;
  /** What changed and where it was read. */
  evidence: string;
}

/** kube-proxy 1.16 (OpenShift 4.3): the walkthrough's lines. */
export const BASELINE_1_16: ProfileSwitches = {
  probabilityDecimals: 5,
  unnamedPortColon: true,
  endpointSource: 'endpoints',
  endpointComments: 'none',
  addressSuffix: true,
  markStyle: 'set-xmark',
  forwardConntrack: 'cluster-cidr-pair',
  masqueradePlacement: 'kube-services',
  externalModel: 'xlb',
  externalIPStyle: 'physdev',
  xlbBalancingComment: 'balancing-rule',
  lbNoEndpointsChain: 'KUBE-SERVICES',
  healthCheckRules: false,
  nodePortsNeedNodeAddress: false,
  endpointChainsFirst: false,
  internalTrafficPolicy: 'ignored',
  terminatingFallback: false,
  topologyHints: 'none',
  nodeHints: false,
  localhostNodePortsOption: false,
  kubeFirewallInPayload: false,
  firewallCountRule: false,
  tcpBeLiberal: false,
  loadBalancerIPMode: false,
  sourceRangesParsed: false,
  nfacct: false,
  jumpEra: '1.16',
  kubeletEra: 'mark-drop',
  saveChainOrder: 'creation',
};

export const PROFILE_CHANGES: readonly ProfileChange[] = [
  {
    since: 17,
    set: { probabilityDecimals: 10 },
    evidence: 'PR #83599 "Making iptables probability more granular" (CHANGELOG-1.17); computeProbability "%0.10f" in a 1.18-development proxier.go; 1.17 TestEndpointSliceE2E (TracingSource/kubernetes a3be89d) "%0.10f" where 1.16\'s (s1061123/multus-proxy-k 0bdd55d) has "%0.5f"',
  },
  {
    since: 18,
    set: { endpointComments: 'name', forwardConntrack: 'pair', externalIPStyle: 'physdev-policy' },
    evidence: 'appendServiceCommentLocked result kept (#81563 follow-up) in a 1.18-development proxier.go; detect-local-mode #87748; research note §10 (OpenShift 4.5 = 1.18.2); release-1.18 TestEndpointSliceE2E (2018112767/kubernetes b3796c7): SEP comments, conntrack pair without CIDRs, where 1.17\'s has neither',
  },
  {
    since: 19,
    set: { unnamedPortColon: false, endpointSource: 'endpointslices', markStyle: 'or-mark', kubeletEra: 'mark-drop-localnet' },
    evidence: 'ServicePortName.String() omits ":" (K1.19 types.go, submariner #1092); EndpointSliceProxying beta; #92035 KUBE-POSTROUTING RETURN/xor-mark/MASQUERADE; CVE-2020-8558 localnet rule in kubelet; TestEndpointSliceE2E comments "ns1/svc1:" in release-1.18 (2018112767 b3796c7), "ns1/svc1" in ~1.19 (kubernetes 0153b96)',
  },
  {
    since: 20,
    set: { lbNoEndpointsChain: 'KUBE-EXTERNAL-SERVICES', jumpEra: '1.20' },
    evidence: 'PR #95252 (CHANGELOG-1.20): FORWARD->KUBE-EXTERNAL-SERVICES, INPUT->KUBE-SERVICES dropped, LB REJECT moved; research note K1.20.5',
  },
  {
    since: 21,
    set: { externalIPStyle: 'direct', healthCheckRules: true, jumpEra: '1.21', saveChainOrder: 'name' },
    evidence: 'PR #96296 externalIPs without physdev; health-check ACCEPT in filter KUBE-NODEPORTS (OpenShift 4.8 = 1.21.1; 1.21-development TestHealthCheckNodePortE2E, smarterclayton/kubernetes 8731397); iptables 1.8.7 (January 2021) sorts nft chains by name like legacy',
  },
  {
    since: 22,
    set: { masqueradePlacement: 'service-chain', internalTrafficPolicy: 'filter-endpoints', nodePortsNeedNodeAddress: true },
    evidence: 'PR #96959 masquerade rules in KUBE-SVC (OpenShift 4.9 = 1.22; CHANGELOG-1.22 "Reorganized iptables rules to reduce rules in KUBE-SERVICES and KUBE-NODEPORTS"); ServiceInternalTrafficPolicy beta',
  },
  {
    since: 23,
    set: { addressSuffix: false, forwardConntrack: 'single', xlbBalancingComment: 'name', endpointChainsFirst: true },
    evidence: 'read: a 1.23 proxier.go (discovery/v1, LineBuffer, no ToCIDR, one "kubernetes forwarding conntrack rule"); #106269; 16 full payloads of a ~1.23 proxier_test.go (bjqian/kubernetes ab8bd51)',
  },
  {
    since: 24,
    set: { externalModel: 'ext-mark-drop', endpointComments: 'arrow', masqueradePlacement: 'internal-chain', internalTrafficPolicy: 'local-chain', topologyHints: 'annotation-auto' },
    evidence: 'read: kubernetes/kubernetes proxier.go ~1.24 (index id 383318076): KUBE-EXT/KUBE-SVL, FW ends in KUBE-MARK-DROP; #109060/#106497; TopologyAwareHints on by default, topology.go accepting only "Auto"/"auto" (TestCategorizeEndpoints of that era: "aUto (wrong capitalization), hints ignored")',
  },
  {
    since: 25,
    set: { externalModel: 'ext', nodePortsNeedNodeAddress: false, endpointChainsFirst: false, jumpEra: '1.25' },
    evidence: 'KUBE-PROXY-FIREWALL and filter DROPs for no local endpoints (CHANGELOG-1.25, OpenShift 4.12 = 1.25.1)',
  },
  {
    since: 26,
    set: { terminatingFallback: true, localhostNodePortsOption: true },
    evidence: 'PR #108250 --iptables-localhost-nodeports; ProxyTerminatingEndpoints beta (CHANGELOG-1.26)',
  },
  {
    since: 27,
    set: { kubeFirewallInPayload: true, firewallCountRule: true, jumpEra: '1.27', kubeletEra: 'localnet', topologyHints: 'annotation' },
    evidence: 'PR #114470 kube-proxy copy of KUBE-FIREWALL; IPTablesOwnershipCleanup beta #114472 (OpenShift 4.14 = 1.27.1); service.kubernetes.io/topology-mode annotation, topology.go "Any non-empty and non-disabled values for the hints annotation are acceptable"',
  },
  {
    since: 29,
    set: { tcpBeLiberal: true },
    evidence: 'conntrackTCPLiberal skips the INVALID DROP (#117924; OpenShift 4.16 = 1.29.1)',
  },
  {
    since: 30,
    set: { loadBalancerIPMode: true, sourceRangesParsed: true },
    evidence: 'LoadBalancerIPMode beta; source ranges as *net.IPNet (service.go newBaseServiceInfo, OpenShift 4.17 = 1.30.3)',
  },
  {
    since: 31,
    set: { nfacct: true, topologyHints: 'hints' },
    evidence: 'read: kubernetes/kubernetes proxier.go ~1.33 (index id 240171990): nfacct counters (#122812, #125015); topology.go without the annotation gate',
  },
  {
    since: 34,
    set: { nodeHints: true },
    evidence: 'PreferSameTrafficDistribution beta, on by default in 1.34 (kube_features.go: alpha 1.33, beta 1.34); topology.go topologyModeFromHints: every ready endpoint hinted for nodes and one for this node means PreferSameNode',
  },
];

/** The oldest and newest minors modelled. 1.34: rule generation read from a 1.34-era copy
 * (pkg/proxy/runner, #131615), identical to ~1.33 (index id 240171990); node hints on by default. */
export const OLDEST_MINOR = 16;
export const NEWEST_MINOR = 34;

export interface Profile {
  /** "1.16" ... "1.34" */
  version: string;
  minor: number;
  switches: ProfileSwitches;
}

export function profileFor(minor: number): Profile {
  if (!Number.isInteger(minor) || minor < OLDEST_MINOR || minor > NEWEST_MINOR) {
    throw new UsageError(`unknown kube-proxy version 1.${minor}: svctrace models 1.${OLDEST_MINOR} to 1.${NEWEST_MINOR}`);
  }
  let switches = { ...BASELINE_1_16 };
  for (const change of PROFILE_CHANGES) if (change.since <= minor) switches = { ...switches, ...change.set };
  return { version: `1.${minor}`, minor, switches };
}

/** All modelled profiles, oldest first. */
export function allProfiles(): Profile[] {
  const out: Profile[] = [];
  for (let m = OLDEST_MINOR; m <= NEWEST_MINOR; m++) out.push(profileFor(m));
  return out;
}

/** Reads --proxy-version: "1.20", "v1.20" or "1.20.5" (the patch is ignored). */
export function parseProxyVersion(text: string | undefined): Profile {
  if (text === undefined || text === '') return profileFor(NEWEST_MINOR);
  const m = /^v?1\.(\d{1,2})(?:\.\d+)?$/.exec(text.trim());
  if (!m) {
    throw new UsageError(`invalid --proxy-version "${text}": use a kube-proxy minor such as 1.${OLDEST_MINOR} or 1.${NEWEST_MINOR}`);
  }
  return profileFor(Number(m[1]));
}
