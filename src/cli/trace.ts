// `svctrace trace --to TARGET [--from SOURCE] [--proto P]`: where a new connection's first
// packet goes on one node, every probabilistic branch with its odds. The rules are either the
// ones kube-proxy writes for the snapshot (render -> the node's iptables-save form -> trace) or
// a node's own dump (--iptables-save FILE -> parse -> trace), which needs no cluster at all:
// a snapshot is loaded only to resolve names (svc/NAME, pod/NAME) or when -f/--demo is given
// for annotations. The tracer itself (src/netfilter/trace.ts) knows nothing about Services.
import { UsageError } from '../errors.js';
import { readFlagFile } from '../cluster/flag-file.js';
import { emptySnapshot, type Snapshot } from '../cluster/types.js';
import { parseRuleset, type Family, type Ruleset } from '../netfilter/index.js';
import { recentListsFor } from '../netfilter/trace-affinity.js';
import { tracePacket, type Packet, type TraceOptions } from '../netfilter/trace.js';
import { hostPort } from '../netfilter/addr.js';
import { palette } from '../output/color.js';
import { printDocument } from '../output/formats.js';
import { traceDocument, type DestinationInfo } from '../output/trace-doc.js';
import { traceTree } from '../output/trace-tree.js';
import { endpointHost, endpointPods, notesFromDump, notesFromRender, type ChainNote, type EndpointPods } from '../proxy/annotate.js';
import type { ProxyConfig } from '../proxy/config.js';
import { nodeRuleset } from '../proxy/node-rules.js';
import { renderNode } from '../proxy/render.js';
import { servicePortSummaries } from '../proxy/summary.js';
import { warningLine } from '../proxy/warnings.js';
import type { CommandContext, CommandResult } from './context.js';
import { proxyConfigFile, proxyConfigFor, proxyFlagValues, PROXY_MODEL_KINDS } from './proxy-model.js';
import { notesText, snapshotFor } from './shared.js';
import { familyWord, parseAffinity, parseFrom, parseIP, parseProtocol, parseTo, resolvePod, resolveService, sourceFor, type ToSpec } from './trace-target.js';

interface Rules {
  ruleset: Ruleset;
  notes: ReadonlyMap<string, ChainNote>;
  description: string;
  doc: { source: 'generated'; proxyVersion: string } | { source: 'iptables-save'; file: string };
}

/** The rules to trace: a node's dump (--iptables-save), or what kube-proxy writes for the snapshot on the node. */
async function rulesFor(dumpPath: string | undefined, family: Family, snapshot: Snapshot | undefined, config: ProxyConfig, pods: EndpointPods, notes: string[]): Promise<Rules> {
  if (dumpPath !== undefined) {
    const ruleset = parseRuleset(await readFlagFile(dumpPath, '--iptables-save'), { source: dumpPath });
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
  const snapshot = needSnapshot ? await snapshotFor(ctx, PROXY_MODEL_KINDS, notes) : undefined;
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
  const file = await proxyConfigFile(ctx);
  // Notes about the model only when rules are generated from a snapshot, not for a dump.
  const modelNotes: string[] = [];
  const config = proxyConfigFor(ctx, snapshot ?? emptySnapshot('none'), file, modelNotes, flags);
  if (snapshot && dumpPath === undefined) notes.push(...modelNotes);

  const pods = endpointPods(snapshot);
  const rules = await rulesFor(dumpPath, dest.family, snapshot, config, pods, notes);
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

  // Who each DNAT destination is: the endpoint chain's note (service port, pod, node), else the snapshot's pods.
  const endpointNotes = new Map([...rules.notes.values()].filter((n) => n.role === 'endpoint' && n.endpoint).map((n) => [n.endpoint!, n]));
  const destinationInfo = (d: string): DestinationInfo | undefined => {
    const note = endpointNotes.get(d);
    const where = pods.get(endpointHost(d));
    const pod = note?.pod ?? where?.pod;
    const node = note?.node ?? where?.node;
    const out: DestinationInfo = { ...(note?.servicePort ? { servicePort: note.servicePort } : {}), ...(pod ? { pod } : {}), ...(node ? { node } : {}) };
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const nodeName = config.nodeSource === 'placeholder' ? null : config.nodeName;

  if (format !== 'tree') {
    const doc = traceDocument({
      packet: { from: source.address, to: dest.address, port: dest.port, protocol, node: nodeName, hook: result.hook },
      result,
      rules: rules.doc,
      destinationInfo,
      notes: [`source ${source.description}`, ...notes.map((n) => n.replace(/^note: /, '').replace(/\n$/, ''))],
    });
    return { stdout: await printDocument(doc, format), stderr: notesText(notes) };
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
