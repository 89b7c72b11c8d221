// Everything one IP family's render pass shares: the profile's switches, the node, the two
// table buffers and the small helpers every rule family uses.
import type { ProxyConfig } from './config.js';
import { primaryNodeIP } from './config.js';
import type { LocalTrafficDetector } from './detect-local.js';
import { localTrafficDetector } from './detect-local.js';
import { cidrContains, familyOfText, parseCIDR, parseIP, type IP, type IPFamily } from '../cluster/ip.js';
import { TableBuffer, type RuleOwner } from './line-writer.js';
import type { ServicePortInfo } from './model.js';
import { createProbabilityFormatter } from './probability.js';
import type { ProfileSwitches } from './profiles.js';

/** The node addresses NodePorts answer on (--nodeport-addresses), for one family. */
export interface NodePortAddresses {
  /** No CIDR of this family given, or a zero CIDR: every local address. */
  matchAll: boolean;
  /** The node's addresses inside the CIDRs (loopback first, as interfaces are listed). */
  ips: string[];
  containsIPv4Loopback: boolean;
}

export function nodePortAddressesFor(config: ProxyConfig, family: IPFamily): NodePortAddresses {
  const familyIPs = config.nodeIPs.filter((ip) => familyOfText(ip) === family);
  const cidrs = config.nodePortAddresses.flatMap((entry) => {
    // "primary" (1.29+) means the node's primary addresses.
    const texts = entry === 'primary' ? familyIPs.slice(0, 1).map((ip) => `${ip}/${family === 4 ? 32 : 128}`) : [entry];
    return texts.map((t) => parseCIDR(t)).filter((c) => c !== null && c.ip.family === family);
  });
  const matchAll = cidrs.length === 0 || cidrs.some((c) => c!.prefix === 0);
  const loopback = family === 4 ? '127.0.0.1' : '::1';
  const candidates = [loopback, ...familyIPs];
  const ips = matchAll ? [] : candidates.filter((ip) => cidrs.some((c) => cidrContains(c!, parseIP(ip)!)));
  const loop4 = parseIP('127.0.0.1')!;
  return {
    matchAll,
    ips: [...new Set(ips)],
    containsIPv4Loopback: family === 4 && (matchAll || cidrs.some((c) => cidrContains(c!, loop4))),
  };
}

export interface RenderContext {
  sw: ProfileSwitches;
  config: ProxyConfig;
  family: IPFamily;
  filter: TableBuffer;
  nat: TableBuffer;
  detector: LocalTrafficDetector;
  probability: (n: number) => string;
  /** Over 1000 endpoints on the node: comments are left off SVC->SEP and SEP rules. */
  largeCluster: boolean;
  nodeIP?: IP;
  nodePorts: NodePortAddresses;
  /** Services' NodePort rules are written (1.22-1.24: only when a node address matches --nodeport-addresses). */
  writesNodePorts: boolean;
  /** NodePorts answer on 127.0.0.1 (IPv4, option on, loopback within --nodeport-addresses). */
  localhostNodePorts: boolean;
}

export function createRenderContext(config: ProxyConfig, family: IPFamily, largeCluster: boolean): RenderContext {
  const sw = config.profile.switches;
  const nodePorts = nodePortAddressesFor(config, family);
  const primary = primaryNodeIP(config, family);
  return {
    sw,
    config,
    family,
    filter: new TableBuffer('filter'),
    nat: new TableBuffer('nat'),
    detector: localTrafficDetector(config.detectLocal, family),
    probability: createProbabilityFormatter(sw.probabilityDecimals),
    largeCluster,
    ...(primary ? { nodeIP: parseIP(primary)! } : {}),
    nodePorts,
    writesNodePorts: !sw.nodePortsNeedNodeAddress || nodePorts.matchAll || nodePorts.ips.length > 0,
    localhostNodePorts: family === 4 && config.localhostNodePorts && nodePorts.containsIPv4Loopback,
  };
}

/** An address as the profile writes it: with /32 or /128 up to 1.22 (utilproxy.ToCIDR). */
export function addr(ctx: RenderContext, ip: string): string {
  if (!ctx.sw.addressSuffix) return ip;
  return `${ip}/${ctx.family === 4 ? 32 : 128}`;
}

export function ownerOf(sp: ServicePortInfo, endpoint?: string): RuleOwner {
  return {
    servicePort: sp.nameString,
    namespace: sp.namespace,
    service: sp.name,
    port: sp.portName,
    protocol: sp.protocol,
    ...(endpoint ? { endpoint } : {}),
  };
}

/** appendServiceCommentLocked: the comment words, unless in large-cluster mode. */
export function serviceComment(ctx: RenderContext, text: string): string[] {
  return ctx.largeCluster ? [] : ['-m', 'comment', '--comment', text];
}
