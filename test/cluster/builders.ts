// Small builders for the resolver tests: objects shaped as the API server returns them.
// Address plan: pods 10.0.0.0/8 (IPv6 fd00::/64), ClusterIPs 172.30.0.0/16, nodes node-a/node-b.
import type { Node, Pod, Service, Snapshot } from '../../src/cluster/types.js';
import { snapshotOf } from '../helpers/objects.js';

export function service(name: string, spec: NonNullable<Service['spec']> = {}, meta: Partial<NonNullable<Service['metadata']>> = {}): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'shop', uid: `uid-svc-${name}`, creationTimestamp: '2025-03-02T09:14:05Z', labels: { app: name }, ...meta },
    spec: {
      clusterIP: '172.30.0.10',
      ipFamilies: ['IPv4'],
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
      selector: { app: name },
      type: 'ClusterIP',
      ...spec,
    },
  };
}

export interface PodOptions {
  ip?: string | string[] | null;
  ready?: boolean | null;
  phase?: string;
  node?: string;
  labels?: Record<string, string>;
  deleting?: boolean;
  namespace?: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  sidecarPorts?: { name?: string; containerPort: number; protocol?: string }[];
  hostname?: string;
  subdomain?: string;
}

/** A running pod of app "web" on node-a, ready, at `ip`, serving a container port 8080 named http. */
export function pod(name: string, o: PodOptions = {}): Pod {
  const ips = o.ip === null ? [] : Array.isArray(o.ip) ? o.ip : [o.ip ?? '10.0.0.1'];
  const ready = o.ready === undefined ? true : o.ready;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'shop',
      uid: `uid-pod-${name}`,
      labels: o.labels ?? { app: 'web' },
      ...(o.deleting ? { deletionTimestamp: '2025-03-02T10:00:00Z' } : {}),
    },
    spec: {
      nodeName: o.node ?? 'node-a',
      ...(o.hostname ? { hostname: o.hostname } : {}),
      ...(o.subdomain ? { subdomain: o.subdomain } : {}),
      containers: [{ name: 'web', image: 'nginx', ports: o.ports ?? [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }],
      ...(o.sidecarPorts ? { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always', ports: o.sidecarPorts }] } : {}),
    },
    status: {
      phase: o.phase ?? 'Running',
      ...(ips.length > 0 ? { podIP: ips[0], podIPs: ips.map((ip) => ({ ip })) } : {}),
      conditions:
        ready === null
          ? [{ type: 'PodScheduled', status: 'True' }]
          : [{ type: 'Ready', status: ready ? 'True' : 'False', ...(ready ? {} : { reason: 'ContainersNotReady' }) }],
    },
  };
}

export function node(name: string, zone?: string): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(zone ? { 'topology.kubernetes.io/zone': zone } : {}) } } };
}

/** A snapshot of these objects whose default namespace is the builders' "shop". */
export const snapshot = (parts: Partial<Snapshot>): Snapshot => snapshotOf(parts, 'shop');
