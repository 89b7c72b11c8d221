// `svctrace trace --to TARGET [--from SOURCE] [--proto P]`: where a new connection's first
// packet goes on one node, every probabilistic branch with its odds. The rules are either the
// ones kube-proxy writes for the snapshot (render -> the node's iptables-save form -> trace) or
// a node's own dump (--iptables-save FILE -> parse -> trace), which needs no cluster at all:
// a snapshot is loaded only to resolve names (svc/NAME, pod/NAME) or when -f/--demo is given
// for annotations. The tracer itself (src/netfilter/trace.ts) knows nothing about Services.
import { UsageError } from '../errors.js';
import { readDumpFile } from '../cluster/iptables-save-file.js';
import { readProxyConfigFile } from '../cluster/proxy-config-file.js';
import { dataplaneNote } from '../cluster/proxy-settings.js';
import { emptySnapshot, type Snapshot } from '../cluster/types.js';
import { parseRuleset, type Family, type Ruleset } from '../netfilter/index.js';
import { recentListsFor } from '../netfilter/trace-affinity.js';
import { compareEndpoints, tracePacket, type Packet, type TraceOptions } from '../netfilter/trace.js';
import { addressIn, formatAddress, parseAddress, prefixMask } from '../netfilter/addr.js';
import { isLocalAddress } from '../netfilter/trace-state.js';
import { podIPs } from '../cluster/derive.js';
import { palette } from '../output/color.js';
import { traceDocument, traceJSON, traceYAML, type DestinationInfo } from '../output/trace-doc.js';
import { traceTree } from '../output/trace-tree.js';
import { endpointPods, notesFromDump, notesFromRender, type ChainNote, type EndpointPods } from '../proxy/annotate.js';
import { buildProxyConfig, proxyFlagValues, type ProxyConfig } from '../proxy/config.js';
import { nodeRuleset } from '../proxy/node-rules.js';
import { renderNode } from '../proxy/render.js';
import { servicePortSummaries } from '../proxy/summary.js';
import { warningLine } from '../proxy/warnings.js';
import type { CommandContext, CommandResult } from './context.js';
import { notesText, snapshotFor } from './shared.js';
import {
  dumpClusterCIDRs, parseAffinity, parseFrom, parseIP, parseProtocol, parseTo, resolvePod, resolveService, unusedPodAddress, usedAddresses,
  type FromSpec, type ToSpec,
} from './trace-target.js';

const familyWord = (f: Family) => (f === 'ipv4' ? 'IPv4' : 'IPv6');
const hostPort = (a: string, p: number, f: Family) => (f === 'ipv6' ? `[${a}]:${p}` : `${a}:${p}`);

interface Rules {
  ruleset: Ruleset;
  notes: ReadonlyMap<string, ChainNote>;
  description: string;
  doc: { source: 'generated'; proxyVersion: string } | { source: 'iptables-save'; file: string };
}

/** The rules to trace: a node's dump, or what kube-proxy writes for the snapshot on the node. */
async function rulesFor(ctx: CommandContext, family: Family, snapshot: Snapshot | undefined, config: ProxyConfig, pods: EndpointPods, notes: string[]): Promise<Rules> {
  const dumpPath = ctx.opts.iptablesSave as string | undefined;
  if (dumpPath !== undefined) {
    const ruleset = parseRuleset(await readDumpFile(dumpPath, '--iptables-save'), { source: dumpPath });
    if (ruleset.family !== family) {
      throw new UsageError(`--iptables-save ${dumpPath} holds ${familyWord(ruleset.family)} rules but the packet is ${familyWord(family)}`);
    }
    return { ruleset, notes: notesFromDump(ruleset, pods), description: `${dumpPath} (iptables-save)`, doc: { source: 'iptables-save', file: dumpPath } };
  }
  const render = renderNode(snapshot!, config);
  for (const w of render.warnings) notes.push(warningLine(w));
  const want = family === 'ipv4' ? 4 : 6;
  const fam = render.families.find((f) => f.family === want);
  if (!fam) throw new UsageError(`kube-proxy writes no ${familyWord(family)} rules on node ${config.nodeName}: no service or node address of that family`);
  const summaries = servicePortSummaries(render);
  return {
    ruleset: nodeRuleset(fam, config.profile.switches),
    notes: notesFromRender(summaries, want, render),
    description: `kube-proxy ${config.profile.version} (generated)${config.nodeSource === 'placeholder' ? '' : ` on node ${config.nodeName}`}`,
    doc: { source: 'generated', proxyVersion: config.profile.version },
  };
}

interface Source {
  address: string;
  description: string;
}

/** The packet's source address, and how it was chosen. */
function sourceFor(from: FromSpec, family: Family, snapshot: Snapshot | undefined, config: ProxyConfig, namespace: string, ruleset: () => Ruleset | undefined): Source {
  const nodeAddrs = config.nodeIPs.filter((a) => (a.includes(':') ? 'ipv6' : 'ipv4') === family);
  switch (from.kind) {
    case 'address':
      if (from.family !== family) throw new UsageError(`--from ${from.address} is ${familyWord(from.family)} but the destination is ${familyWord(family)}`);
      return { address: from.address, description: `${from.address}${addressRole(from.address, family, snapshot, config, ruleset)}` };
    case 'node': {
      const a = nodeAddrs[0];
      if (!a) throw new UsageError(`--from node: the node's ${familyWord(family)} address is not known; give --node-ip`);
      return { address: a, description: `${a}: the node ${config.nodeSource === 'placeholder' ? '' : `${config.nodeName} `}itself` };
    }
    case 'pod': {
      const p = resolvePod(snapshot!, from.name, namespace, family);
      if (p.family !== family) throw new UsageError(`pod ${namespace}/${from.name} has no ${familyWord(family)} address`);
      const node = p.pod.spec?.nodeName;
      return { address: p.address, description: `${p.address}: pod ${namespace}/${from.name}${node ? ` on ${node}` : ''}` };
    }
    case 'default': {
      // A pod on the node: an address nobody uses, in the node's pod CIDR, else next to the
      // node's pods (their /24 or /64), else in the pod network.
      const sameFamily = (cs: readonly string[]) => cs.filter((c) => (c.includes(':') ? 'ipv6' : 'ipv4') === family);
      const node = snapshot?.nodes.find((n) => n.metadata?.name === config.nodeName);
      const candidates: Array<{ cidrs: string[]; where: (c: string) => string }> = [
        { cidrs: sameFamily(node?.spec?.podCIDRs ?? (node?.spec?.podCIDR ? [node.spec.podCIDR] : [])), where: (c) => `the node's pod CIDR ${c}` },
        { cidrs: nodePodSubnets(snapshot, config.nodeName, family), where: (c) => `${c}, where the node's pods are` },
        { cidrs: sameFamily(config.detectLocal.cidrs.length > 0 ? config.detectLocal.cidrs : (snapshot?.proxy?.clusterNetworkCIDRs ?? [])), where: (c) => `the cluster CIDR ${c}` },
      ];
      const rs = ruleset();
      if (rs) candidates.push({ cidrs: sameFamily(dumpClusterCIDRs(rs)), where: (c) => `the pod network ${c} (from the dump's "! -s ${c} ... -j KUBE-MARK-MASQ" rules)` });
      const used = usedAddresses(snapshot);
      for (const [i, c] of candidates.entries()) {
        const pick = unusedPodAddress(c.cidrs, family, used);
        if (!pick) continue;
        const on = config.nodeSource === 'placeholder' ? 'the node' : config.nodeName;
        const caveat = i >= 2 ? "; the node's own pod subnet is unknown, and CNI rules that tell this node's pods apart may treat the address differently" : '';
        return { address: pick.address, description: `${pick.address}: a pod on ${on} (an unused address in ${c.where(pick.cidr)}${caveat}; --from to choose)` };
      }
      throw new UsageError('no pod network is known to pick a pod address from: give --from IP (or --cluster-cidr)');
    }
  }
}

/** What an address given with --from is to this node: a pod, the node, inside or outside the pod network. */
function addressRole(address: string, family: Family, snapshot: Snapshot | undefined, config: ProxyConfig, ruleset: () => Ruleset | undefined): string {
  const pod = snapshot?.pods.find((p) => !p.spec?.hostNetwork && podIPs(p).some((ip) => parseIP(ip)?.address === address));
  if (pod) return `: pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}${pod.spec?.nodeName ? ` on ${pod.spec.nodeName}` : ''}`;
  if (isLocalAddress(address, family, config.nodeIPs)) return ': the node itself';
  const own = config.detectLocal.cidrs.filter((c) => (c.includes(':') ? 'ipv6' : 'ipv4') === family);
  const rs = own.length === 0 ? ruleset() : undefined;
  const cidrs = own.length > 0 ? own : rs ? dumpClusterCIDRs(rs).filter((c) => (c.includes(':') ? 'ipv6' : 'ipv4') === family) : [];
  const cidr = cidrs[0];
  if (!cidr) return '';
  const [net, len] = cidr.split('/');
  const inside = addressIn(address, { family, address: net!, prefix: Number(len), mask: formatAddress(prefixMask(Number(len), family), family) });
  return inside ? `: inside the pod network ${cidr}` : `: outside the pod network ${cidr}`;
}

/** The /24 (IPv4) or /64 (IPv6) around the first address of the pods that run on the node. */
function nodePodSubnets(snapshot: Snapshot | undefined, nodeName: string, family: Family): string[] {
  const ips = (snapshot?.pods ?? [])
    .filter((p) => p.spec?.nodeName === nodeName && !p.spec?.hostNetwork)
    .flatMap((p) => podIPs(p))
    .map(parseIP)
    .filter((x): x is { address: string; family: Family } => x !== null && x.family === family)
    .map((x) => x.address)
    .sort(compareAddresses);
  const first = ips[0];
  if (!first) return [];
  const bits = family === 'ipv4' ? 24 : 64;
  const width = family === 'ipv4' ? 32 : 128;
  const v = parseAddress(first, family)!;
  const net = (v >> BigInt(width - bits)) << BigInt(width - bits);
  return [`${formatAddress(net, family)}/${bits}`];
}

const compareAddresses = (a: string, b: string) => compareEndpoints(`${a.includes(':') ? `[${a}]` : a}:0`, `${b.includes(':') ? `[${b}]` : b}:0`);

function outputFormat(ctx: CommandContext): 'tree' | 'json' | 'yaml' {
  const o = ctx.global.output;
  if (o === undefined || o === '') return 'tree';
  if (o === 'json' || o === 'yaml') return o;
  throw new UsageError(`invalid -o "${o}" for trace: use -o json or -o yaml (the default is a tree)`);
}

export async function run(ctx: CommandContext): Promise<CommandResult> {
  const format = outputFormat(ctx);
  const to: ToSpec = parseTo(String(ctx.opts.to ?? ''));
  const from = parseFrom(ctx.opts.from as string | undefined);
  const protoGiven = ctx.given('proto');
  let protocol = parseProtocol(ctx.opts.proto as string | undefined);
  const affinity = parseAffinity(ctx.opts.affinity as string | undefined);
  const dumpPath = ctx.opts.iptablesSave as string | undefined;
  const notes: string[] = [];

  // A dump traced to an address needs no cluster: load one only for names or annotations.
  const sourceGiven = ctx.global.demo || (ctx.global.filename ?? []).length > 0;
  const needSnapshot = dumpPath === undefined || to.kind === 'service' || from.kind === 'pod' || sourceGiven;
  const snapshot = needSnapshot ? await snapshotFor(ctx, ['Service', 'Endpoints', 'EndpointSlice', 'Pod', 'Node'], notes) : undefined;
  const namespace = ctx.global.namespace ?? snapshot?.defaultNamespace ?? 'default';

  // The destination.
  let dest: { address: string; family: Family; port: number };
  let target = '';
  if (to.kind === 'service') {
    const s = resolveService(snapshot!, to, namespace, protoGiven ? protocol : undefined);
    if (!protoGiven) protocol = s.protocol;
    if (s.note) notes.push(`note: ${s.note}`);
    dest = s;
    target = ` (service ${s.service}, port ${s.portLabel})`;
  } else {
    dest = to;
  }

  // The node: --node, else the pod's node for --from pod/NAME, else the first Node.
  const flags = proxyFlagValues(ctx.opts);
  if (from.kind === 'pod' && flags.node === undefined) {
    const p = resolvePod(snapshot!, from.name, namespace, dest.family);
    if (p.pod.spec?.nodeName) flags.node = p.pod.spec.nodeName;
  }
  const proxyConfigPath = ctx.opts.proxyConfig as string | undefined;
  const file = proxyConfigPath !== undefined ? await readProxyConfigFile(proxyConfigPath) : undefined;
  const config = buildProxyConfig({ flags, ...(file ? { file } : {}), snapshot: snapshot ?? emptySnapshot('none') });
  if (snapshot && dumpPath === undefined) {
    const dataplane = dataplaneNote({ ...snapshot.proxy, ...(file ? { kubeProxyConfiguration: file.config } : {}) });
    if (dataplane) notes.push(dataplane);
    if (config.nodeSource === 'placeholder') notes.push('note: no Node objects and no --node: modelling a node with no local endpoints and no addresses (use --node and --node-ip)');
  }

  const pods = endpointPods(snapshot);
  const rules = await rulesFor(ctx, dest.family, snapshot, config, pods, notes);
  const source = sourceFor(from, dest.family, snapshot, config, namespace, () => rules.ruleset);
  const localAddresses = config.nodeIPs.filter((a) => parseIP(a)?.family === dest.family);
  if (localAddresses.length === 0) {
    notes.push(`note: the node's ${familyWord(dest.family)} addresses are unknown (--node-ip): addrtype LOCAL is judged only by loopback`);
  }

  const packet: Packet = { family: dest.family, source: source.address, destination: dest.address, protocol, destinationPort: dest.port };
  const options: TraceOptions = { affinity: affinity.mode };
  if (affinity.endpoint !== undefined) {
    const lists = recentListsFor(rules.ruleset, affinity.endpoint);
    if (lists.length === 0) throw new UsageError(`--affinity pinned=${affinity.endpoint}: no rule DNATs to ${affinity.endpoint} with session affinity (-m recent --set)`);
    options.recentLists = lists;
  }
  const result = tracePacket(rules.ruleset, packet, { localAddresses }, options);

  const destinationInfo = (d: string): DestinationInfo | undefined => {
    const ip = d.replace(/^\[?(.*?)\]?:\d+$/, '$1');
    const chainNote = [...rules.notes.values()].find((n) => n.role === 'endpoint' && n.endpoint === d);
    const where = pods.get(ip);
    const out: DestinationInfo = {
      ...(chainNote?.servicePort ? { servicePort: chainNote.servicePort } : {}),
      ...((chainNote?.pod ?? where?.pod) ? { pod: (chainNote?.pod ?? where?.pod)! } : {}),
      ...((chainNote?.node ?? where?.node) ? { node: (chainNote?.node ?? where?.node)! } : {}),
    };
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const nodeName = config.nodeSource === 'placeholder' ? null : config.nodeName;
  const allNotes = [...notes.map((n) => n.replace(/^note: /, '').replace(/\n$/, ''))];

  if (format !== 'tree') {
    const doc = traceDocument({
      packet: { from: source.address, to: dest.address, port: dest.port, protocol, node: nodeName, hook: result.hook },
      result,
      rules: rules.doc,
      destinationInfo,
      notes: [`source ${source.description}`, ...allNotes],
    });
    return { stdout: format === 'json' ? traceJSON(doc) : await traceYAML(doc), stderr: notesText(notes) };
  }
  const stdout = traceTree({
    result,
    header: [
      ['Packet', `${protocol} ${source.address} → ${hostPort(dest.address, dest.port, dest.family)}${target}, enters at ${result.hook}`],
      ['From', source.description],
      ['Rules', `${rules.description}${localAddresses.length > 0 ? `, node addresses ${localAddresses.join(', ')}` : ''}`],
    ],
    chainNote: (c) => rules.notes.get(c)?.text,
    destinationInfo,
    notes: [],
    colors: palette(ctx.color),
  });
  return { stdout, stderr: notesText(notes) };
}
