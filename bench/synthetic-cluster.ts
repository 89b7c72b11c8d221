// A synthetic cluster of any size for the benchmarks: `services` Services, each with
// `endpointsPerService` ready endpoints (Pods and one EndpointSlice per service; the last
// service `lastServiceEndpoints` of them when given), a mix of ClusterIP, NodePort and
// LoadBalancer types, on `nodes` nodes. Seeded, so every run measures the same input.
import type { EndpointSlice, Node, Pod, Service, Snapshot } from '../src/cluster/types.js';
import { emptySnapshot } from '../src/cluster/types.js';
import { prng } from '../test/helpers/random.js';

export interface ClusterSize {
  services: number;
  endpointsPerService: number;
  /** the last service's endpoints, instead of endpointsPerService: one large service among the others */
  lastServiceEndpoints?: number;
  nodes?: number;
  seed?: number;
}

const ip4 = (n: number, base: [number, number]) => `${base[0]}.${base[1]}.${(n >>> 8) & 255}.${n & 255}`;
const CREATED = '2026-01-01T00:00:00Z';

export function syntheticCluster(size: ClusterSize): Snapshot {
  const random = prng(size.seed ?? 1);
  const nodeCount = size.nodes ?? 10;
  const snapshot = emptySnapshot(`synthetic ${size.services}x${size.endpointsPerService}`, 'bench');
  const nodes: Node[] = Array.from({ length: nodeCount }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: `node-${String(i).padStart(3, '0')}`, creationTimestamp: CREATED, labels: { 'node-role.kubernetes.io/worker': '' } },
    status: { addresses: [{ type: 'InternalIP', address: `192.168.${i >> 8}.${(i & 255) + 1}` }], conditions: [{ type: 'Ready', status: 'True' }] },
  }));
  snapshot.nodes = nodes;
  snapshot.proxy = { clusterNetworkCIDRs: ['10.128.0.0/14'], origin: 'bench' };
  let podNumber = 0;
  for (let s = 0; s < size.services; s++) {
    const ns = `ns-${s % 50}`;
    const name = `svc-${s}`;
    const roll = random();
    const type = roll < 0.7 ? 'ClusterIP' : roll < 0.9 ? 'NodePort' : 'LoadBalancer';
    const port = { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, ...(type !== 'ClusterIP' ? { nodePort: 30000 + (s % 2768) } : {}) };
    const service: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns, creationTimestamp: CREATED },
      spec: { type, clusterIP: ip4(s + 1, [172, 30]), clusterIPs: [ip4(s + 1, [172, 30])], selector: { app: name }, ports: [port] },
      ...(type === 'LoadBalancer' ? { status: { loadBalancer: { ingress: [{ ip: ip4(s + 1, [203, 0]) }] } } } : { status: { loadBalancer: {} } }),
    };
    snapshot.services.push(service);
    const endpoints: EndpointSlice['endpoints'] = [];
    const endpointCount = s === size.services - 1 ? (size.lastServiceEndpoints ?? size.endpointsPerService) : size.endpointsPerService;
    for (let e = 0; e < endpointCount; e++) {
      const ip = `10.${128 + ((podNumber >>> 16) & 3)}.${(podNumber >>> 8) & 255}.${podNumber & 255}`;
      const node = nodes[podNumber % nodeCount]!.metadata!.name!;
      const podName = `${name}-${e}`;
      const pod: Pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: podName, namespace: ns, labels: { app: name }, creationTimestamp: CREATED },
        spec: { nodeName: node, containers: [{ name: 'app', image: 'app', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
        status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: 'True' }] },
      };
      snapshot.pods.push(pod);
      endpoints.push({ addresses: [ip], conditions: { ready: true, serving: true, terminating: false }, nodeName: node, targetRef: { kind: 'Pod', name: podName, namespace: ns } });
      podNumber++;
    }
    snapshot.endpointSlices.push({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-abcde`, namespace: ns, labels: { 'kubernetes.io/service-name': name }, creationTimestamp: CREATED },
      addressType: 'IPv4',
      endpoints,
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    });
  }
  return snapshot;
}
