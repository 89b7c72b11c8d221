// Services as kube-proxy's ServiceChangeTracker sees them: one ServicePortInfo per port and IP
// family, with the addresses of that family parsed (invalid ones skipped with a warning, where
// kube-proxy drops them with a log line) and the chain names hashed once per port.
// Sources: pkg/proxy/service.go newBaseServiceInfo, pkg/proxy/util ShouldSkipService.
import type { Service } from '../cluster/types.js';
import { cidrContains, familyOfText, formatCIDR, formatIP, parseCIDR, parseIP, type IPFamily } from '../cluster/ip.js';
import type { Protocol, ServicePortChains, ServicePortInfo } from './model.js';
import { CHAIN_PREFIX, hash16, servicePortName } from './names.js';
import type { ProfileSwitches } from './profiles.js';
import type { Warn } from './warnings.js';
import { goCompare } from '../cluster/go-order.js';

/** Why kube-proxy writes no rules for a service, or null when it does. */
export function skipReason(service: Service): string | null {
  const spec = service.spec ?? {};
  if (spec.type === 'ExternalName') return 'it is an ExternalName service';
  if (!spec.clusterIP || spec.clusterIP === 'None') return 'it is headless (clusterIP None)';
  if (service.metadata?.labels?.['service.kubernetes.io/service-proxy-name']) {
    return 'it carries the service.kubernetes.io/service-proxy-name label (another proxy handles it)';
  }
  return null;
}

export const serviceKey = (s: Service) => `${s.metadata?.namespace ?? ''}/${s.metadata?.name ?? ''}`;

function chainsFor(nameString: string, protocol: Protocol): ServicePortChains {
  const h = hash16(nameString + protocol);
  return {
    svc: CHAIN_PREFIX.SVC + h,
    svl: CHAIN_PREFIX.SVL + h,
    ext: CHAIN_PREFIX.EXT + h,
    fw: CHAIN_PREFIX.FW + h,
    xlb: CHAIN_PREFIX.XLB + h,
  };
}

/** The service's cluster IPs as written: spec.clusterIPs, else spec.clusterIP (objects written by hand). */
export function clusterIPTexts(service: Service): string[] {
  const spec = service.spec ?? {};
  return spec.clusterIPs && spec.clusterIPs.length > 0 ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
}

/** The cluster IP of this family, canonical; null when it does not parse, undefined when there is none. */
function clusterIPOf(service: Service, family: IPFamily): string | null | undefined {
  const text = clusterIPTexts(service).find((ip) => familyOfText(ip) === family);
  if (text === undefined) return undefined;
  const ip = parseIP(text);
  return ip && ip.family === family ? formatIP(ip) : null;
}

const PROTOCOLS: Record<string, Protocol> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

/**
 * The service ports of `services` for one family, sorted by "ns/name", port name and protocol:
 * the order in which, after kube-proxy's own test normalisation, its expectations match.
 */
export function servicePortsFor(services: readonly Service[], family: IPFamily, sw: ProfileSwitches, warn: Warn): ServicePortInfo[] {
  const out: ServicePortInfo[] = [];
  for (const service of services) {
    if (skipReason(service)) continue;
    const key = serviceKey(service);
    const clusterIP = clusterIPOf(service, family);
    if (clusterIP === undefined) continue; // no cluster IP of this family
    if (clusterIP === null) {
      warn({ service: key, message: `clusterIP is not a valid IP address; skipped (kube-proxy could not program it)` });
      continue;
    }
    const spec = service.spec ?? {};
    const status = service.status ?? {};

    const externalIPs: string[] = [];
    for (const text of spec.externalIPs ?? []) {
      const ip = parseIP(text.trim());
      if (!ip) warn({ service: key, message: `externalIP "${text}" is not an IP address; ignored as kube-proxy does` });
      else if (ip.family === family) externalIPs.push(formatIP(ip));
    }

    const loadBalancerVIPs: string[] = [];
    for (const ingress of status.loadBalancer?.ingress ?? []) {
      if (!ingress.ip) continue; // hostname-only ingress (e.g. an AWS ELB): no rules
      // ipMode Proxy: the load balancer proxies to the nodes, so kube-proxy adds no VIP rules (1.30+).
      if (sw.loadBalancerIPMode && (ingress as { ipMode?: string }).ipMode === 'Proxy') continue;
      const ip = parseIP(ingress.ip);
      if (!ip) warn({ service: key, message: `load-balancer ingress IP "${ingress.ip}" is not an IP address; ignored as kube-proxy does` });
      else if (ip.family === family) loadBalancerVIPs.push(formatIP(ip));
    }

    const sourceRanges: ServicePortInfo['sourceRanges'] = [];
    for (const raw of spec.loadBalancerSourceRanges ?? []) {
      const text = raw.trim();
      if (familyOfText(text) !== family) continue;
      const cidr = parseCIDR(text);
      if (!cidr) {
        warn({ service: key, message: `loadBalancerSourceRanges entry "${raw}" is not a CIDR; ignored` });
        continue;
      }
      // Up to 1.29 the trimmed text was written as given; 1.30 writes the parsed network.
      const written = sw.sourceRangesParsed ? formatCIDR(cidr) : text;
      sourceRanges.push({ text: written, contains: (ip) => cidrContains(cidr, ip) });
    }

    const type = spec.type ?? 'ClusterIP';
    const externalPolicyLocal = (type === 'NodePort' || type === 'LoadBalancer') && spec.externalTrafficPolicy === 'Local';
    const internalPolicyLocal = sw.internalTrafficPolicy !== 'ignored' && spec.internalTrafficPolicy === 'Local';
    let healthCheckNodePort = type === 'LoadBalancer' && externalPolicyLocal ? (spec.healthCheckNodePort ?? 0) : 0;
    if (healthCheckNodePort !== 0 && !isPortNumber(healthCheckNodePort)) {
      warn({ service: key, message: `healthCheckNodePort ${healthCheckNodePort} is out of range (0-65535); no health check rule is written` });
      healthCheckNodePort = 0;
    }
    const affinitySeconds =
      spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) : undefined;
    const annotations = service.metadata?.annotations ?? {};
    // service.go: the deprecated annotation wins whenever it is present; topology-mode exists from 1.27.
    const topologyAnnotation =
      annotations['service.kubernetes.io/topology-aware-hints'] ??
      (sw.topologyHints === 'annotation-auto' ? undefined : annotations['service.kubernetes.io/topology-mode']);

    for (const port of spec.ports ?? []) {
      const protocol = PROTOCOLS[(port.protocol ?? 'TCP').toUpperCase()];
      if (!protocol) {
        warn({ service: key, message: `port ${port.port}: protocol ${port.protocol} is not proxied by kube-proxy; skipped` });
        continue;
      }
      // The API server never stores these; kube-proxy would write them and iptables-restore
      // would then reject its whole payload, so svctrace leaves the port out instead.
      const badPort = !isPortNumber(port.port) ? `port ${port.port}` : port.nodePort && !isPortNumber(port.nodePort) ? `nodePort ${port.nodePort}` : undefined;
      if (badPort) {
        warn({ service: key, message: `${badPort} is out of range (0-65535); skipped (iptables-restore would reject kube-proxy's whole payload)` });
        continue;
      }
      const portName = port.name ?? '';
      const nameString = servicePortName(service.metadata?.namespace ?? '', service.metadata?.name ?? '', portName, sw.unnamedPortColon);
      out.push({
        namespace: service.metadata?.namespace ?? '',
        name: service.metadata?.name ?? '',
        portName,
        protocol,
        nameString,
        chains: chainsFor(nameString, protocol),
        clusterIP,
        port: port.port,
        nodePort: port.nodePort ?? 0,
        externalIPs,
        loadBalancerVIPs,
        sourceRanges,
        ...(affinitySeconds !== undefined ? { affinitySeconds } : {}),
        externalPolicyLocal,
        internalPolicyLocal,
        healthCheckNodePort,
        ...(topologyAnnotation !== undefined ? { topologyAnnotation } : {}),
      });
    }
  }
  return out.sort(compareServicePorts);
}


/**
 * A port number iptables accepts in --dport / --to-destination: 0-65535. (kube-proxy writes
 * whatever the object holds: its own tests use a service port of 0, "--dport 0".)
 */
export const isPortNumber = (n: number) => Number.isInteger(n) && n >= 0 && n <= 65535;

export function compareServicePorts(a: ServicePortInfo, b: ServicePortInfo): number {
  return goCompare(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`) || goCompare(a.portName, b.portName) || goCompare(a.protocol, b.protocol);
}

/** kube-proxy's ExternallyAccessible(): reachable other than by cluster IP. */
export const externallyAccessible = (sp: ServicePortInfo) =>
  sp.nodePort !== 0 || sp.loadBalancerVIPs.length > 0 || sp.externalIPs.length > 0;

/**
 * The policy chains a service port uses (1.24+: UsesClusterPolicyChain / UsesLocalPolicyChain):
 * cluster unless only a Local internal policy applies, local for either policy being Local.
 */
export function policyChainsUsed(sp: ServicePortInfo): { usesCluster: boolean; usesLocal: boolean } {
  const external = externallyAccessible(sp);
  return {
    usesCluster: !sp.internalPolicyLocal || external,
    usesLocal: sp.internalPolicyLocal || (sp.externalPolicyLocal && external),
  };
}
