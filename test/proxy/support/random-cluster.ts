// A seeded generator of clusters covering every Service option the renderer handles, for
// property tests and the kernel test. Same seed, same cluster: failures are reproducible
// ("seed 17" in a test name is all it takes).
import type { KubeObject, Snapshot } from '../../../src/cluster/types.js';
import { buildProxyConfig, type ProxyConfig } from '../../../src/proxy/config.js';
import { NEWEST_MINOR, OLDEST_MINOR } from '../../../src/proxy/profiles.js';
import { prng } from '../../helpers/random.js';
import { snapshotOf } from './fake-proxier.js';

export interface RandomCluster {
  seed: number;
  objects: KubeObject[];
  snapshot: Snapshot;
  config: ProxyConfig;
}

export const RANDOM_NODE = 'node-a';
export const RANDOM_NODE_IPS = ['192.168.0.2', '2001:db8::1'];

export interface RandomOptions {
  /** Services to generate (default 6). */
  services?: number;
  /** Most endpoints per slice (default 5). */
  maxEndpoints?: number;
  /** Allow invalid addresses (warnings); default true. */
  invalid?: boolean;
  /** kube-proxy minor; default random. */
  minor?: number;
  /** kube-proxy found its nfacct counters (default true, as on a node: the kernel test creates them). */
  nfacct?: boolean;
}

export function randomCluster(seed: number, opts: RandomOptions = {}): RandomCluster {
  const rnd = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const chance = (p: number) => rnd() < p;
  const invalid = opts.invalid ?? true;
  const objects: KubeObject[] = [];
  let nodePort = 30000;
  let v4 = 0;
  let v6 = 0;
  const v4ip = (prefix: string) => `${prefix}.${Math.floor(++v4 / 250)}.${(v4 % 250) + 1}`;
  const v6ip = (prefix: string) => `${prefix}::${(++v6).toString(16)}`;

  const count = opts.services ?? 6;
  for (let i = 0; i < count; i++) {
    const namespace = pick(['ns1', 'ns2', 'ns3']);
    const name = `svc${i}`;
    const type = pick(['ClusterIP', 'ClusterIP', 'NodePort', 'LoadBalancer', 'LoadBalancer', 'ExternalName', 'headless'] as const);
    const stack = pick(['v4', 'v4', 'v6', 'dual'] as const);
    const families = stack === 'dual' ? [4, 6] : stack === 'v6' ? [6] : [4];
    const spec: Record<string, unknown> = {};
    if (type === 'ExternalName') {
      objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { namespace, name }, spec: { type, externalName: 'example.com' } });
      continue;
    }
    spec.type = type === 'headless' ? 'ClusterIP' : type;
    const clusterIPs = type === 'headless' ? ['None'] : families.map((f) => (f === 4 ? v4ip('172.30') : v6ip('fd00:30')));
    if (invalid && type !== 'headless' && chance(0.05)) clusterIPs[0] = '172.30.bad';
    spec.clusterIP = clusterIPs[0];
    spec.clusterIPs = clusterIPs;
    spec.ipFamilies = families.map((f) => `IPv${f}`);
    const nPorts = int(1, 3);
    const protocols = ['TCP', 'TCP', 'UDP', 'SCTP'];
    const ports = Array.from({ length: nPorts }, (_, k) => {
      const port = 80 + k * 1000 + int(0, 9);
      const p: Record<string, unknown> = { name: nPorts === 1 && chance(0.4) ? '' : `p${port}`, port, protocol: pick(protocols), targetPort: port + 1 };
      if (type === 'NodePort' || type === 'LoadBalancer') p.nodePort = ++nodePort;
      return p;
    });
    spec.ports = ports;
    if (chance(0.3)) spec.externalIPs = families.map((f) => (f === 4 ? v4ip('192.168.99') : v6ip('2001:db8:99')));
    if (invalid && chance(0.05)) spec.externalIPs = [...((spec.externalIPs as string[]) ?? []), 'not-an-ip'];
    if ((type === 'NodePort' || type === 'LoadBalancer') && chance(0.4)) {
      spec.externalTrafficPolicy = 'Local';
      spec.healthCheckNodePort = ++nodePort;
    }
    if (chance(0.2)) spec.internalTrafficPolicy = 'Local';
    if (chance(0.25)) spec.sessionAffinity = 'ClientIP';
    if (spec.sessionAffinity && chance(0.5)) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: int(1, 86400) } };
    const status: Record<string, unknown> = {};
    if (type === 'LoadBalancer') {
      const ingress: Record<string, unknown>[] = families.map((f) => ({ ip: f === 4 ? v4ip('203.0.113') : v6ip('2001:db8:113') }));
      if (chance(0.3)) ingress.push({ hostname: `lb${i}.example.com` });
      if (chance(0.2)) ingress[0]!.ipMode = 'Proxy';
      status.loadBalancer = { ingress };
      if (chance(0.4)) {
        const ranges = families.map((f) => (f === 4 ? pick(['10.0.0.0/8', '192.168.0.0/16', '198.51.100.0/24']) : pick(['2001:db8::/32', 'fd00::/8'])));
        if (chance(0.3)) ranges.push(' 203.0.113.0/25');
        if (invalid && chance(0.1)) ranges.push('garbage');
        spec.loadBalancerSourceRanges = ranges;
      }
    }
    objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { namespace, name }, spec, ...(Object.keys(status).length ? { status } : {}) });
    if (type === 'headless' || chance(0.1)) continue; // no endpoints

    for (const f of families) {
      const n = int(0, opts.maxEndpoints ?? 5);
      const endpoints = Array.from({ length: n }, () => {
        const state = pick(['ready', 'ready', 'ready', 'terminating-serving', 'terminating', 'not-ready'] as const);
        const ep: Record<string, unknown> = {
          addresses: [f === 4 ? v4ip('10.180') : v6ip('fd00:10')],
          conditions:
            state === 'ready' ? { ready: true, serving: true, terminating: false }
            : state === 'terminating-serving' ? { ready: false, serving: true, terminating: true }
            : state === 'terminating' ? { ready: false, serving: false, terminating: true }
            : { ready: false, serving: false, terminating: false },
        };
        if (chance(0.5)) ep.nodeName = pick([RANDOM_NODE, 'node-b', 'node-c']);
        return ep;
      });
      if (invalid && chance(0.05) && endpoints[0]) (endpoints[0].addresses as string[])[0] = '10.180.999.1';
      objects.push({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { namespace, name: `${name}-v${f}`, labels: { 'kubernetes.io/service-name': name } },
        addressType: `IPv${f}`,
        endpoints,
        ports: ports.map((p) => ({ name: p.name, port: (p.targetPort as number) ?? p.port, protocol: p.protocol })),
      });
    }
  }

  const minor = opts.minor ?? int(OLDEST_MINOR, NEWEST_MINOR);
  const snapshot = snapshotOf(objects);
  const base = buildProxyConfig({
    flags: {
      node: RANDOM_NODE,
      nodeIp: RANDOM_NODE_IPS,
      ...(chance(0.85) ? { clusterCidr: '10.0.0.0/8,fd00::/8' } : {}),
      ...(chance(0.15) ? { masqueradeAll: true } : {}),
      ...(chance(0.2) ? { nodeportAddresses: pick(['192.168.0.0/24,2001:db8::/64', '127.0.0.0/8', '10.99.0.0/16']) } : {}),
      ...(chance(0.3) ? { localhostNodeports: false } : {}),
      proxyVersion: `1.${minor}`,
    },
    snapshot,
  });
  const config: ProxyConfig = { ...base, conntrackTCPLiberal: chance(0.2), nfacct: opts.nfacct ?? true, randomFully: chance(0.7) };
  return { seed, objects, snapshot, config };
}
