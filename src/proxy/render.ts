// The renderer: a snapshot and a node's proxy configuration in, the exact iptables-restore
// payload kube-proxy writes on that node out (one per IP family), with every chain and rule
// tied to the service port and endpoint it stands for. Pure: no I/O, same input, same bytes.
import { resolverFor } from '../cluster/resolver.js';
import type { EndpointSlice, Service, Snapshot } from '../cluster/types.js';
import type { ProxyConfig } from './config.js';
import { categorizeEndpoints, endpointsForPort, nameEndpointChains } from './endpoints.js';
import { familyOfText, type IPFamily } from '../cluster/ip.js';
import type { ChainLine, RuleLine, RuleOwner } from './line-writer.js';
import type { CategorizedEndpoints, EndpointInfo, ServicePortInfo } from './model.js';
import { createRenderContext, ownerOf } from './render-context.js';
import { writeServicePort1_24, writeServicePortModern } from './rules-ext-era.js';
import { writeForwardRules, writeHeader, writeNodePortsTail } from './rules-fixed.js';
import { writeServicePortXlbEra } from './rules-xlb-era.js';
import { clusterIPTexts, servicePortsFor, serviceKey, skipReason } from './service-ports.js';
import { warningCollector, type ProxyWarning, type Warn } from './warnings.js';

/** kube-proxy's largeClusterEndpointsThreshold (the same in every version). */
export const LARGE_CLUSTER_ENDPOINTS = 1000;

export interface RenderedServicePort {
  info: ServicePortInfo;
  /** Every endpoint of the port, in kube-proxy's order. */
  endpoints: EndpointInfo[];
  /** The endpoints this node uses, per policy. */
  categorized: CategorizedEndpoints;
  owner: RuleOwner;
}

export interface RenderedTable {
  name: 'filter' | 'nat';
  chains: ChainLine[];
  rules: RuleLine[];
}

export interface FamilyRender {
  family: IPFamily;
  /** filter, then nat, in kube-proxy's write order. */
  tables: [RenderedTable, RenderedTable];
  /** The exact iptables-restore (or ip6tables-restore) input. */
  payload: string;
  servicePorts: RenderedServicePort[];
  largeCluster: boolean;
}

export interface RenderOptions {
  /**
   * Render only these services (e.g. one namespace); the rest still count for large-cluster
   * mode. Warnings and skips are reported for these services only.
   */
  include?: (service: Service) => boolean;
}

export interface RenderResult {
  config: ProxyConfig;
  families: FamilyRender[];
  /** Problems kube-proxy would log, for the included services (and none tied to a service). */
  warnings: ProxyWarning[];
  /** Services kube-proxy writes no rules for, and why. */
  skipped: Array<{ service: string; reason: string }>;
}

/** The families this node runs a proxier for. */
function familiesOf(services: readonly Service[], config: ProxyConfig): IPFamily[] {
  const serviceFamilies = new Set<IPFamily>();
  for (const s of services) {
    if (skipReason(s)) continue;
    for (const ip of clusterIPTexts(s)) serviceFamilies.add(familyOfText(ip));
  }
  const nodeFamilies = new Set(config.nodeIPs.map(familyOfText));
  const out: IPFamily[] = [];
  if (serviceFamilies.has(4) || nodeFamilies.has(4) || (!serviceFamilies.has(6) && !nodeFamilies.has(6))) out.push(4);
  if (serviceFamilies.has(6) || nodeFamilies.has(6)) out.push(6);
  return out;
}

/**
 * A service's slices as the resolver finds them (so the rules use the endpoints `describe`
 * lists), through its snapshot-wide index, resolved once for every port and IP family.
 */
function sliceIndex(snapshot: Snapshot): (service: Service) => EndpointSlice[] {
  const resolver = resolverFor(snapshot);
  const cache = new Map<string, EndpointSlice[]>();
  return (service) => {
    const key = serviceKey(service);
    let result = cache.get(key);
    if (!result) cache.set(key, (result = resolver.slicesFor(service).slices));
    return result;
  };
}

export function renderNode(snapshot: Snapshot, config: ProxyConfig, options: RenderOptions = {}): RenderResult {
  const sw = config.profile.switches;
  const slicesOf = sliceIndex(snapshot);
  const servicesByKey = new Map(snapshot.services.map((s) => [serviceKey(s), s] as const));
  const include = options.include ?? (() => true);
  // Every service is read (large-cluster mode counts them all), but only the included ones'
  // problems are reported: `rules good` says nothing about other/bad.
  const collector = warningCollector();
  const warnings = collector.list;
  const warn: Warn = (w) => {
    const service = w.service === undefined ? undefined : servicesByKey.get(w.service);
    if (service === undefined || include(service)) collector.warn(w);
  };

  const skipped: RenderResult['skipped'] = [];
  for (const s of snapshot.services) {
    const reason = skipReason(s);
    if (reason && include(s)) skipped.push({ service: serviceKey(s), reason });
  }

  const families: FamilyRender[] = [];
  for (const family of familiesOf(snapshot.services, config)) {
    const all = servicePortsFor(snapshot.services, family, sw, warn).map((info) => {
      const service = servicesByKey.get(`${info.namespace}/${info.name}`)!;
      const endpoints = endpointsForPort(slicesOf(service), info, family, config.nodeName, sw, warn);
      return { info, service, endpoints };
    });
    // Large-cluster mode counts every endpoint of every service port on the node.
    const totalEndpoints = all.reduce((n, p) => n + p.endpoints.length, 0);
    const ctx = createRenderContext(config, family, totalEndpoints > LARGE_CLUSTER_ENDPOINTS);

    writeHeader(ctx);
    const servicePorts: RenderedServicePort[] = [];
    for (const { info, service, endpoints: unnamed } of all) {
      if (!include(service)) continue;
      const endpoints = nameEndpointChains(info, unnamed);
      const categorized = categorizeEndpoints(info, endpoints, sw, { name: config.nodeName, zone: config.nodeZone });
      if (sw.externalModel === 'xlb') writeServicePortXlbEra(ctx, info, categorized);
      else if (sw.externalModel === 'ext-mark-drop') writeServicePort1_24(ctx, info, categorized);
      else writeServicePortModern(ctx, info, categorized);
      servicePorts.push({ info, endpoints, categorized, owner: ownerOf(info) });
    }
    writeNodePortsTail(ctx);
    writeForwardRules(ctx);

    families.push({
      family,
      tables: [
        { name: 'filter', chains: ctx.filter.chains, rules: ctx.filter.rules },
        { name: 'nat', chains: ctx.nat.chains, rules: ctx.nat.rules },
      ],
      payload: ctx.filter.text() + ctx.nat.text(),
      servicePorts,
      largeCluster: ctx.largeCluster,
    });
  }
  return { config, families, warnings, skipped };
}
