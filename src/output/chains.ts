// The "Chains" section of `describe svc`: for each service port, the KUBE-SVC- chain
// kube-proxy (iptables mode) writes for it and one KUBE-SEP- chain per endpoint it balances
// over, with each endpoint's share of new connections. Everything shown comes from the
// kube-proxy model (src/proxy/summary.ts chainView, which the command computes); this module
// only lays it out.
import type { Service } from '../cluster/types.js';
import { formatShare, type ChainView, type EndpointShare, type ServicePortSummary } from '../proxy/summary.js';
import type { Palette } from './color.js';
import { indent, section, table } from './service-join.js';

/** Why there are no chains, in a user's words. */
export function noChainsText(service: Service, skipped: string): string {
  const spec = service.spec ?? {};
  if (spec.type === 'ExternalName') {
    return `none: kube-proxy writes no rules for an ExternalName service; cluster DNS answers with a CNAME to ${spec.externalName ?? '(no externalName)'}`;
  }
  if (spec.clusterIP === 'None') return 'none: kube-proxy writes no rules for a headless service (clusterIP: None); DNS returns the endpoint addresses';
  return `none: kube-proxy writes no rules for this service: ${skipped}`;
}

/** A CHAIN / ENDPOINT / SHARE table for the endpoints one chain balances over, indented under its port. */
function endpointTable(endpoints: readonly EndpointShare[], colors: Palette): string {
  const rows = endpoints.map((e) => [e.chain, e.endpoint, formatShare(e.share)]);
  return indent(table(['CHAIN', 'ENDPOINT', 'SHARE'], rows, colors));
}

function portBlock(service: Service, p: ServicePortSummary, view: ChainView, dualStack: boolean, colors: Palette): string {
  const label = `${p.portName || '<unset>'} ${p.port}/${p.protocol.toUpperCase()}${dualStack ? ` (IPv${p.family})` : ''}`;
  let out = `${label} "${p.servicePort}": ${p.chains.service ?? 'no KUBE-SVC- chain is written'}\n`;
  if (p.topology === 'PreferSameNode') out += `  topology hints (PreferSameNode): only the endpoints hinted for node ${view.nodeName ?? '(unnamed)'}\n`;
  if (p.topology === 'PreferSameZone') out += `  topology hints (PreferSameZone): only the endpoints hinted for zone ${view.nodeZone ?? '(unknown)'}\n`;
  if (p.cluster.length > 0) {
    out += endpointTable(p.cluster, colors);
  } else if (p.noEndpoints) {
    out += colors.bad('  no ready endpoints: kube-proxy rejects new connections to this port ("has no endpoints")') + '\n';
  } else {
    out += "  no endpoint for cluster traffic (internalTrafficPolicy Local: only the node's own endpoints)\n";
  }
  if (p.local) {
    const policy = service.spec?.internalTrafficPolicy === 'Local' ? 'internalTrafficPolicy Local' : 'externalTrafficPolicy Local';
    const chain = p.chains.local ?? p.chains.xlb ?? '(no node-local chain)';
    out += `  ${policy}: ${chain} balances over the endpoints on ${view.nodeName ?? 'the node (none named: --node)'}\n`;
    out += p.local.length > 0 ? indent(endpointTable(p.local, colors)) : colors.warn('    none on this node') + '\n';
  }
  return out;
}

/** The Chains section. */
export function chainsSection(service: Service, view: ChainView, colors: Palette): string {
  const title = `Chains (kube-proxy ${view.proxyVersion}, iptables mode${view.nodeName ? `, node ${view.nodeName}` : ''}):`;
  if (view.skipped) return section(title, noChainsText(service, view.skipped) + '\n', colors);
  if (view.ports.length === 0) return section(title, 'none: the service has no ports\n', colors);
  const dualStack = new Set(view.ports.map((p) => p.family)).size > 1;
  return section(title, view.ports.map((p) => portBlock(service, p, view, dualStack, colors)).join(''), colors);
}
