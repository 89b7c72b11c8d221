// The "Chains" section of `describe svc`: for each service port, the KUBE-SVC- chain
// kube-proxy (iptables mode) names for it and one KUBE-SEP- chain per endpoint it balances
// over, with each endpoint's share of new connections. The names come from
// src/proxy/names.ts; which endpoints are used is kept to kube-proxy's basic rule (ready
// endpoints, "ip:port" order) in `balancedEndpoints`, the one place to switch to the full
// kube-proxy model.
import { UsageError } from '../errors.js';
import type { EndpointSlice, Service } from '../cluster/types.js';
import { endpointChain, joinHostPort, servicePortChain, servicePortName } from '../proxy/names.js';
import type { Palette } from './color.js';
import { endpointIsReady } from './describe-service.js';
import { section } from './service-join.js';
import { alignTable } from './table.js';

export interface ChainOptions {
  /** "1.16": shown in the title. */
  proxyVersion: string;
  /** kube-proxy up to 1.18 names an unnamed port "ns/name:" (with the colon). */
  unnamedPortColon: boolean;
}

/** The newest kube-proxy minor whose chain names svctrace knows (the default). */
const NEWEST_MINOR = 34;

/**
 * --proxy-version ("1.16", "v1.20", "1.20.5") as chain options; newest when not given.
 * Only the unnamed-port colon matters for names (":" up to 1.18, none from 1.19).
 */
export function chainOptionsFor(proxyVersion: string | undefined): ChainOptions {
  if (proxyVersion === undefined || proxyVersion === '') return { proxyVersion: `1.${NEWEST_MINOR}`, unnamedPortColon: false };
  const m = /^v?1\.(\d{1,2})(?:\.\d+)?$/.exec(proxyVersion.trim());
  if (!m) throw new UsageError(`invalid --proxy-version "${proxyVersion}": use a kube-proxy minor such as 1.16 or 1.${NEWEST_MINOR}`);
  const minor = Number(m[1]);
  return { proxyVersion: `1.${minor}`, unnamedPortColon: minor <= 18 };
}

type ServicePort = NonNullable<NonNullable<Service['spec']>['ports']>[number];

/** The "ip:port" endpoints kube-proxy balances a service port over: ready ones, sorted as it sorts them. */
export function balancedEndpoints(port: ServicePort, slices: readonly EndpointSlice[]): string[] {
  const out = new Set<string>();
  for (const slice of slices) {
    const sp = (slice.ports ?? []).find((p) => (p.name ?? '') === (port.name ?? ''));
    if (!sp || sp.port == null) continue;
    for (const e of slice.endpoints ?? []) {
      if (endpointIsReady(e) && e.addresses[0]) out.add(joinHostPort(e.addresses[0], sp.port));
    }
  }
  return [...out].sort();
}

/** Why kube-proxy writes nothing for this service, or undefined when it writes chains. */
export function noChainsReason(service: Service): string | undefined {
  const spec = service.spec ?? {};
  if (spec.type === 'ExternalName') {
    return `none: kube-proxy writes no rules for an ExternalName service; cluster DNS answers with a CNAME to ${spec.externalName ?? '(no externalName)'}`;
  }
  if (spec.clusterIP === 'None') return 'none: kube-proxy writes no rules for a headless service (clusterIP: None); DNS returns the endpoint addresses';
  if (!spec.clusterIP) return 'none: the service has no cluster IP, so kube-proxy writes no rules for it';
  if ((spec.ports ?? []).length === 0) return 'none: the service has no ports';
  return undefined;
}

/** "33.3%": an endpoint's share of new connections when n endpoints split them evenly. */
export const shareOf = (n: number) => `${(100 / n).toFixed(1)}%`;

/** The Chains section. */
export function chainsSection(service: Service, slices: readonly EndpointSlice[], options: ChainOptions, colors: Palette): string {
  const title = `Chains (kube-proxy ${options.proxyVersion}, iptables mode):`;
  const reason = noChainsReason(service);
  if (reason) return section(title, reason + '\n', colors);
  const ns = service.metadata?.namespace ?? '';
  const name = service.metadata?.name ?? '';
  const blocks = (service.spec?.ports ?? []).map((port) => {
    const protocol = port.protocol || 'TCP';
    const portName = servicePortName(ns, name, port.name ?? '', options.unnamedPortColon);
    const svcChain = servicePortChain('SVC', portName, protocol);
    const head = `${port.name || '<unset>'} ${port.port}/${protocol} "${portName}": ${svcChain}\n`;
    const endpoints = balancedEndpoints(port, slices);
    if (endpoints.length === 0) {
      return head + colors.bad('  no ready endpoints: kube-proxy rejects new connections to this port ("has no endpoints")') + '\n';
    }
    const rows = endpoints.map((ep) => [endpointChain(portName, protocol, ep), ep, shareOf(endpoints.length)]);
    const text = alignTable([['CHAIN', 'ENDPOINT', 'SHARE'], ...rows]);
    const nl = text.indexOf('\n');
    const body = colors.header(text.slice(0, nl)) + text.slice(nl);
    return head + body.split('\n').map((l) => (l ? '  ' + l : l)).join('\n');
  });
  return section(title, blocks.join(''), colors);
}
