// The "Chains" section of `describe svc`: for each service port, the KUBE-SVC- chain
// kube-proxy (iptables mode) writes for it and one KUBE-SEP- chain per endpoint it balances
// over, with each endpoint's share of new connections. Everything shown comes from the
// kube-proxy model (src/proxy: renderNode); this module only lays it out.
import type { Service, Snapshot } from '../cluster/types.js';
import type { IPFamily } from '../proxy/ip.js';
import type { EndpointInfo } from '../proxy/model.js';
import type { ProxyConfig } from '../proxy/config.js';
import { renderNode, type RenderedServicePort } from '../proxy/render.js';
import type { Palette } from './color.js';
import { section } from './service-join.js';
import { alignTable } from './table.js';

export interface ChainView {
  /** "1.16" */
  proxyVersion: string;
  /** The node whose rules are modelled (it matters for Local traffic policies); unset when none is known. */
  nodeName?: string;
  /** kube-proxy's reason for writing nothing for the service (src/proxy/service-ports.ts skipReason). */
  skipped?: string;
  /** Up to 1.23 a Local traffic policy uses a KUBE-XLB- chain, from 1.24 a KUBE-SVL- chain. */
  localChain: 'xlb' | 'svl';
  /** The service's ports as the model rendered them, per IP family. */
  families: { family: IPFamily; ports: RenderedServicePort[] }[];
}

/** What kube-proxy writes for this one service on the modelled node (the model's renderNode). */
export function chainView(snapshot: Snapshot, service: Service, config: ProxyConfig): ChainView {
  const render = renderNode(snapshot, config, { include: (s) => s === service });
  const key = `${service.metadata?.namespace ?? ''}/${service.metadata?.name ?? ''}`;
  const skipped = render.skipped.find((s) => s.service === key)?.reason;
  return {
    proxyVersion: config.profile.version,
    ...(config.nodeSource !== 'placeholder' ? { nodeName: config.nodeName } : {}),
    ...(skipped ? { skipped } : {}),
    localChain: config.profile.switches.externalModel === 'xlb' ? 'xlb' : 'svl',
    families: render.families.map((f) => ({ family: f.family, ports: f.servicePorts })),
  };
}

/** "33.3%": an endpoint's share of new connections when n endpoints split them evenly. */
export const shareOf = (n: number) => `${(100 / n).toFixed(1)}%`;

/** Why there are no chains, in a user's words. */
export function noChainsText(service: Service, skipped: string): string {
  const spec = service.spec ?? {};
  if (spec.type === 'ExternalName') {
    return `none: kube-proxy writes no rules for an ExternalName service; cluster DNS answers with a CNAME to ${spec.externalName ?? '(no externalName)'}`;
  }
  if (spec.clusterIP === 'None') return 'none: kube-proxy writes no rules for a headless service (clusterIP: None); DNS returns the endpoint addresses';
  return `none: kube-proxy writes no rules for this service: ${skipped}`;
}

/** Two more spaces before every non-empty line. */
const indentLines = (text: string) =>
  text
    .split('\n')
    .map((l) => (l ? '  ' + l : l))
    .join('\n');

/** A CHAIN / ENDPOINT / SHARE table for the endpoints one chain balances over, indented under its port. */
function endpointTable(endpoints: readonly EndpointInfo[], colors: Palette): string {
  const rows = endpoints.map((e) => [e.chain, e.endpoint, shareOf(endpoints.length)]);
  const text = alignTable([['CHAIN', 'ENDPOINT', 'SHARE'], ...rows]);
  const nl = text.indexOf('\n');
  return indentLines(colors.header(text.slice(0, nl)) + text.slice(nl));
}

function portBlock(p: RenderedServicePort, view: ChainView, family: IPFamily, dualStack: boolean, colors: Palette): string {
  const { info, categorized } = p;
  const label = `${info.portName || '<unset>'} ${info.port}/${info.protocol.toUpperCase()}${dualStack ? ` (IPv${family})` : ''}`;
  let out = `${label} "${info.nameString}": ${info.chains.svc}\n`;
  if (categorized.cluster.length > 0) {
    out += endpointTable(categorized.cluster, colors);
  } else if (!categorized.hasAnyEndpoints) {
    out += colors.bad('  no ready endpoints: kube-proxy rejects new connections to this port ("has no endpoints")') + '\n';
  } else {
    out += '  no endpoint for cluster traffic (internalTrafficPolicy Local: only this node\'s endpoints)\n';
  }
  if (info.externalPolicyLocal || info.internalPolicyLocal) {
    const chain = view.localChain === 'xlb' ? info.chains.xlb : info.chains.svl;
    const why = info.internalPolicyLocal ? 'internalTrafficPolicy Local' : 'externalTrafficPolicy Local';
    out += `  ${why}: ${chain} balances over the endpoints on ${view.nodeName ?? 'the node (none named: --node)'}\n`;
    out += categorized.local.length > 0 ? indentLines(endpointTable(categorized.local, colors)) : colors.warn('    none on this node') + '\n';
  }
  return out;
}

/** The Chains section. */
export function chainsSection(service: Service, view: ChainView, colors: Palette): string {
  const title = `Chains (kube-proxy ${view.proxyVersion}, iptables mode${view.nodeName ? `, node ${view.nodeName}` : ''}):`;
  if (view.skipped) return section(title, noChainsText(service, view.skipped) + '\n', colors);
  const dualStack = view.families.filter((f) => f.ports.length > 0).length > 1;
  const blocks = view.families.flatMap((f) => f.ports.map((p) => portBlock(p, view, f.family, dualStack, colors)));
  if (blocks.length === 0) return section(title, 'none: the service has no ports\n', colors);
  return section(title, blocks.join(''), colors);
}
