// The per-node kube-proxy configuration svctrace models: which node, its addresses, how local
// traffic is detected, and the iptables options that change rules. Settings come from flags,
// a KubeProxyConfiguration file, and what the source found (kube-proxy ConfigMap, OpenShift's
// cluster network), in that order of precedence, then kube-proxy's defaults.
import { UsageError } from '../errors.js';
import type { Node, Snapshot } from '../cluster/types.js';
import { goCompare } from '../cluster/go-order.js';
import { canonicalIP, familyOfText, parseCIDR, type IPFamily } from '../cluster/ip.js';
import { parseProxyVersion, type Profile } from './profiles.js';

/** The node name used when neither a Node object nor --node names one: it matches no endpoint. */
export const PLACEHOLDER_NODE_NAME = '<no node>';

/** kube-proxy's --iptables-masquerade-bit default. */
export const DEFAULT_MASQUERADE_BIT = 14;

export type DetectLocalMode = 'ClusterCIDR' | 'NodeCIDR' | 'BridgeInterface' | 'InterfaceNamePrefix' | 'None';

export interface DetectLocal {
  mode: DetectLocalMode;
  /** ClusterCIDR / NodeCIDR: the CIDRs as given; the first of each family is used. */
  cidrs: string[];
  bridgeInterface?: string;
  interfaceNamePrefix?: string;
}

export interface ProxyConfig {
  profile: Profile;
  nodeName: string;
  /** Where the node name came from, for messages. */
  nodeSource: 'flag' | 'config' | 'node' | 'placeholder';
  /** The node's addresses (canonical text); the first of each family is kube-proxy's node IP. */
  nodeIPs: string[];
  /** topology.kubernetes.io/zone of the node, for topology hints. */
  nodeZone?: string;
  detectLocal: DetectLocal;
  masqueradeAll: boolean;
  masqueradeBit: number;
  /**
   * The mark as kube-proxy writes it: fmt "%#08x" of 1<<bit ("0x00004000"); tests inject "0x4000".
   * "" stands for a proxier whose mark field was never set (the 1.16/1.17 unit-test fakes).
   */
  masqueradeMark: string;
  /** --nodeport-addresses entries: CIDRs or "primary"; empty means all addresses. */
  nodePortAddresses: string[];
  localhostNodePorts: boolean;
  /** net.netfilter.nf_conntrack_tcp_be_liberal is set (1.29+ then skip the INVALID DROP). */
  conntrackTCPLiberal: boolean;
  /** iptables supports MASQUERADE --random-fully (any iptables >= 1.6.2). */
  randomFully: boolean;
  /** nfacct counters could be created (1.31+). */
  nfacct: boolean;
  /** Where settings came from, e.g. "flags, ConfigMap kube-system/kube-proxy". */
  origin: string[];
}

/** The proxy flags as the command line gave them. */
export interface ProxyFlagValues {
  node?: string;
  nodeIp?: string[];
  clusterCidr?: string;
  masqueradeAll?: boolean;
  nodeportAddresses?: string;
  /** false when --no-localhost-nodeports was given. */
  localhostNodeports?: boolean;
  proxyVersion?: string;
}

export interface ProxyConfigInputs {
  flags: ProxyFlagValues;
  /** A KubeProxyConfiguration read from --proxy-config, and where from. */
  file?: { config: Record<string, unknown>; origin: string };
  snapshot: Pick<Snapshot, 'nodes' | 'proxy'>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a path such as "iptables.masqueradeBit" from a KubeProxyConfiguration. */
function field(config: Obj | undefined, path: string): unknown {
  let cur: unknown = config;
  for (const key of path.split('.')) {
    if (!isObj(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** The first of several field spellings (v1alpha1 and later layouts) that is set. */
function firstField(config: Obj | undefined, ...paths: string[]): unknown {
  for (const p of paths) {
    const v = field(config, p);
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function validCIDRs(list: string[], what: string): string[] {
  for (const c of list) if (!parseCIDR(c)) throw new UsageError(`invalid ${what} "${c}": not a CIDR (e.g. 10.128.0.0/14)`);
  return list;
}

function validIP(text: string, what: string): string {
  const ip = canonicalIP(text.trim());
  if (!ip) throw new UsageError(`invalid ${what} "${text}": not an IP address`);
  return ip;
}

/** Go's fmt.Sprintf("%#08x", 1<<bit). */
export function masqueradeMarkFor(bit: number): string {
  return '0x' + (2 ** bit).toString(16).padStart(8, '0');
}

function nodeAddresses(node: Node | undefined): string[] {
  const addrs = node?.status?.addresses ?? [];
  const pick = (type: string) => addrs.filter((a) => a.type === type).map((a) => canonicalIP(a.address)).filter((a): a is string => !!a);
  return [...pick('InternalIP'), ...pick('ExternalIP')];
}

function chooseNode(flags: ProxyFlagValues, fileConfig: Obj | undefined, snapshot: ProxyConfigInputs['snapshot']) {
  const nodes = [...(snapshot.nodes ?? [])].sort((a, b) => goCompare(a.metadata?.name ?? '', b.metadata?.name ?? ''));
  const byName = (name: string) => nodes.find((n) => n.metadata?.name === name);
  if (flags.node) {
    const node = byName(flags.node);
    if (!node && nodes.length > 0) {
      throw new UsageError(`node "${flags.node}" not found (nodes: ${nodes.map((n) => n.metadata?.name).join(', ')})`);
    }
    return { name: flags.node, node, source: 'flag' as const };
  }
  const override = firstField(fileConfig, 'hostnameOverride');
  if (typeof override === 'string') return { name: override.toLowerCase(), node: byName(override.toLowerCase()), source: 'config' as const };
  if (nodes[0]?.metadata?.name) return { name: nodes[0].metadata.name, node: nodes[0], source: 'node' as const };
  return { name: PLACEHOLDER_NODE_NAME, node: undefined, source: 'placeholder' as const };
}

const DETECT_MODES: readonly DetectLocalMode[] = ['ClusterCIDR', 'NodeCIDR', 'BridgeInterface', 'InterfaceNamePrefix'];

/** Builds the node's proxy configuration; bad values give one UsageError line. */
export function buildProxyConfig(inputs: ProxyConfigInputs): ProxyConfig {
  const { flags, snapshot } = inputs;
  const fileConfig = inputs.file?.config;
  const sourceConfig = isObj(snapshot.proxy?.kubeProxyConfiguration) ? snapshot.proxy!.kubeProxyConfiguration : undefined;
  // Field by field: flag, then the --proxy-config file, then the source's settings.
  const fromConfigs = (...paths: string[]) => firstField(fileConfig, ...paths) ?? firstField(sourceConfig, ...paths);

  const origin: string[] = [];
  if (inputs.file) origin.push(inputs.file.origin);
  if (snapshot.proxy?.origin) origin.push(snapshot.proxy.origin);

  const profile = parseProxyVersion(flags.proxyVersion);
  const { name: nodeName, node, source: nodeSource } = chooseNode(flags, fileConfig ?? sourceConfig, snapshot);

  // Node addresses: --node-ip, then a specific bindAddress, then the Node object.
  let nodeIPs: string[];
  if (flags.nodeIp && flags.nodeIp.length > 0) {
    nodeIPs = flags.nodeIp.flatMap(splitList).map((ip) => validIP(ip, '--node-ip'));
  } else {
    const bind = fromConfigs('bindAddress');
    const bindIP = typeof bind === 'string' ? canonicalIP(bind) : null;
    nodeIPs = bindIP && bindIP !== '0.0.0.0' && bindIP !== '::' ? [bindIP] : nodeAddresses(node);
  }

  // Cluster CIDRs: --cluster-cidr, clusterCIDR / detectLocal.clusterCIDRs, OpenShift's cluster network.
  let clusterCIDRs: string[] = [];
  if (flags.clusterCidr !== undefined) {
    clusterCIDRs = validCIDRs(splitList(flags.clusterCidr), '--cluster-cidr');
  } else {
    const fromFile = fromConfigs('clusterCIDR', 'detectLocal.clusterCIDRs');
    const list = Array.isArray(fromFile) ? fromFile.map(String) : typeof fromFile === 'string' ? splitList(fromFile) : [];
    clusterCIDRs = validCIDRs(list.length > 0 ? list : (snapshot.proxy?.clusterNetworkCIDRs ?? []), 'clusterCIDR');
  }

  const modeValue = fromConfigs('detectLocalMode');
  let mode: DetectLocalMode = 'ClusterCIDR';
  if (typeof modeValue === 'string' && modeValue !== '') {
    if (!DETECT_MODES.includes(modeValue as DetectLocalMode)) {
      throw new UsageError(`invalid detectLocalMode "${modeValue}": use ${DETECT_MODES.join(', ')}`);
    }
    mode = modeValue as DetectLocalMode;
  }
  const detectLocal: DetectLocal = { mode, cidrs: [] };
  if (mode === 'ClusterCIDR') {
    detectLocal.cidrs = clusterCIDRs;
  } else if (mode === 'NodeCIDR') {
    const spec = node?.spec;
    detectLocal.cidrs = spec?.podCIDRs?.length ? [...spec.podCIDRs] : spec?.podCIDR ? [spec.podCIDR] : [];
  } else if (mode === 'BridgeInterface') {
    const iface = fromConfigs('detectLocal.bridgeInterface');
    if (typeof iface !== 'string') throw new UsageError('detectLocalMode BridgeInterface needs detectLocal.bridgeInterface');
    detectLocal.bridgeInterface = iface;
  } else if (mode === 'InterfaceNamePrefix') {
    const prefix = fromConfigs('detectLocal.interfaceNamePrefix');
    if (typeof prefix !== 'string') throw new UsageError('detectLocalMode InterfaceNamePrefix needs detectLocal.interfaceNamePrefix');
    detectLocal.interfaceNamePrefix = prefix;
  }

  const boolOf = (v: unknown, what: string): boolean | undefined => {
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw new UsageError(`invalid ${what} ${JSON.stringify(v)}: use true or false`);
    return v;
  };

  const masqueradeAll = flags.masqueradeAll ? true : (boolOf(fromConfigs('iptables.masqueradeAll', 'masqueradeAll', 'linux.masqueradeAll'), 'masqueradeAll') ?? false);

  const bitValue = fromConfigs('iptables.masqueradeBit');
  let masqueradeBit = DEFAULT_MASQUERADE_BIT;
  if (bitValue !== undefined) {
    if (typeof bitValue !== 'number' || !Number.isInteger(bitValue) || bitValue < 0 || bitValue > 31) {
      throw new UsageError(`invalid iptables.masqueradeBit ${JSON.stringify(bitValue)}: use 0 to 31`);
    }
    masqueradeBit = bitValue;
  }

  let nodePortAddresses: string[] = [];
  if (flags.nodeportAddresses !== undefined) {
    nodePortAddresses = splitList(flags.nodeportAddresses);
  } else {
    const v = fromConfigs('nodePortAddresses');
    if (Array.isArray(v)) nodePortAddresses = v.map(String);
  }
  for (const a of nodePortAddresses) {
    if (a !== 'primary' && !parseCIDR(a)) throw new UsageError(`invalid --nodeport-addresses entry "${a}": use CIDRs or "primary"`);
  }

  const localhostNodePorts =
    flags.localhostNodeports === false ? false : (boolOf(fromConfigs('iptables.localhostNodePorts'), 'iptables.localhostNodePorts') ?? true);

  const conntrackTCPLiberal =
    boolOf(fromConfigs('conntrack.tcpBeLiberal', 'linux.conntrack.tcpBeLiberal'), 'conntrack.tcpBeLiberal') ?? false;

  const zone = node?.metadata?.labels?.['topology.kubernetes.io/zone'];

  return {
    profile,
    nodeName,
    nodeSource,
    nodeIPs,
    ...(zone ? { nodeZone: zone } : {}),
    detectLocal,
    masqueradeAll,
    masqueradeBit,
    masqueradeMark: masqueradeMarkFor(masqueradeBit),
    nodePortAddresses,
    localhostNodePorts,
    conntrackTCPLiberal,
    randomFully: true,
    nfacct: true,
    origin,
  };
}

/** kube-proxy's node IP for a family: the first node address of that family. */
export function primaryNodeIP(config: ProxyConfig, family: IPFamily): string | undefined {
  return config.nodeIPs.find((ip) => familyOfText(ip) === family);
}
