// Small builders for the objects printer tests need, in their wire (JSON) form. Each takes
// the few fields a test cares about; everything else is a plausible default.
import type { EndpointSlice, Endpoints, Node, Pod, Service, Snapshot } from '../../src/cluster/types.js';
import { emptySnapshot } from '../../src/cluster/types.js';

/** The reference "now" of printer tests, and timestamps relative to it. */
export const NOW = new Date('2020-09-06T12:00:00Z');
export const ago = (seconds: number, now: Date = NOW) => new Date(now.getTime() - seconds * 1000).toISOString().replace('.000Z', 'Z');
/**
 * The time `seconds` after NOW (before it when negative) as the API writes it: metav1.Time
 * marshals RFC 3339 at whole seconds, and Go's Format drops the fraction. Ports of kubectl
 * tests use it for `time.Now().Add(...)`: `metav1.Time{Time: time.Now().Add(1.9e9)}` is
 * `fromNow(1.9)`.
 */
export const fromNow = (seconds: number, now: Date = NOW) =>
  new Date(Math.floor((now.getTime() + seconds * 1000) / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** An object literal in wire (JSON) form, typed as the API type it stands for. */
export const wire = <T>(o: object): T => o as T;

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> | T[K] : T[K] };

export interface ServiceOptions {
  name?: string;
  namespace?: string;
  created?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  spec?: Service['spec'];
  status?: Service['status'];
}

export function service(o: ServiceOptions = {}): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: o.name ?? 'web',
      namespace: o.namespace ?? 'default',
      creationTimestamp: o.created ?? ago(60),
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.annotations ? { annotations: o.annotations } : {}),
    },
    spec: o.spec ?? { type: 'ClusterIP', clusterIP: '172.30.0.10', clusterIPs: ['172.30.0.10'], ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] },
    ...(o.status ? { status: o.status } : {}),
  };
}

export interface PodOptions {
  name?: string;
  namespace?: string;
  created?: string;
  labels?: Record<string, string>;
  deleted?: string;
  spec?: DeepPartial<NonNullable<Pod['spec']>>;
  status?: DeepPartial<NonNullable<Pod['status']>>;
}

/** A pod with one running, ready container unless spec/status say otherwise. */
export function pod(o: PodOptions = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name ?? 'web-1',
      namespace: o.namespace ?? 'default',
      creationTimestamp: o.created ?? ago(60),
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.deleted ? { deletionTimestamp: o.deleted } : {}),
    },
    spec: { containers: [{ name: 'app', image: 'app' }], ...(o.spec ?? {}) } as Pod['spec'],
    status: (o.status ?? {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [container('app')],
    }) as Pod['status'],
  };
}

type ContainerStatus = NonNullable<NonNullable<Pod['status']>['containerStatuses']>[number];

/** A container status: running and ready unless overridden. */
export function container(name: string, o: Partial<ContainerStatus> = {}): ContainerStatus {
  return { name, image: 'app', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: ago(50) } }, ...o };
}

export interface NodeOptions {
  name?: string;
  created?: string;
  labels?: Record<string, string>;
  ready?: 'True' | 'False' | 'Unknown' | null;
  unschedulable?: boolean;
  addresses?: { type: string; address: string }[];
  nodeInfo?: Partial<NonNullable<NonNullable<Node['status']>['nodeInfo']>>;
}

export function node(o: NodeOptions = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: o.name ?? 'node-1', creationTimestamp: o.created ?? ago(3600), ...(o.labels ? { labels: o.labels } : {}) },
    spec: o.unschedulable ? { unschedulable: true } : {},
    status: {
      conditions: o.ready === null ? [] : [{ type: 'Ready', status: o.ready ?? 'True' }],
      addresses: o.addresses ?? [{ type: 'InternalIP', address: '10.0.0.1' }],
      nodeInfo: {
        architecture: 'amd64',
        bootID: '',
        containerRuntimeVersion: 'cri-o://1.30.0',
        kernelVersion: '5.14.0',
        kubeProxyVersion: '',
        kubeletVersion: 'v1.30.2',
        machineID: '',
        operatingSystem: 'linux',
        osImage: 'Linux',
        systemUUID: '',
        ...(o.nodeInfo ?? {}),
      },
    },
  } as Node;
}

export interface EndpointsOptions {
  name?: string;
  namespace?: string;
  created?: string;
  subsets?: Endpoints['subsets'];
}

export function endpoints(o: EndpointsOptions = {}): Endpoints {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: o.name ?? 'web', namespace: o.namespace ?? 'default', creationTimestamp: o.created ?? ago(60) },
    ...(o.subsets ? { subsets: o.subsets } : {}),
  };
}

export interface SliceOptions {
  name?: string;
  namespace?: string;
  service?: string;
  created?: string;
  addressType?: string;
  ports?: EndpointSlice['ports'];
  endpoints?: EndpointSlice['endpoints'];
}

export function endpointSlice(o: SliceOptions = {}): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: o.name ?? 'web-abcde',
      namespace: o.namespace ?? 'default',
      creationTimestamp: o.created ?? ago(60),
      labels: { 'kubernetes.io/service-name': o.service ?? 'web' },
    },
    addressType: o.addressType ?? 'IPv4',
    endpoints: o.endpoints ?? [],
    ...(o.ports ? { ports: o.ports } : {}),
  };
}

/** A slice endpoint: ready and serving unless overridden. */
export function sliceEndpoint(
  address: string,
  o: { ready?: boolean | null; serving?: boolean; terminating?: boolean; nodeName?: string; pod?: string } = {},
): EndpointSlice['endpoints'][number] {
  const conditions: Record<string, boolean> = {};
  if (o.ready !== null) conditions.ready = o.ready ?? true;
  if (o.serving !== undefined || o.ready !== null) conditions.serving = o.serving ?? o.ready ?? true;
  if (o.terminating !== undefined) conditions.terminating = o.terminating;
  return {
    addresses: [address],
    conditions,
    ...(o.nodeName ? { nodeName: o.nodeName } : {}),
    ...(o.pod ? { targetRef: { kind: 'Pod', name: o.pod, namespace: 'default' } } : {}),
  };
}

/** A snapshot holding these objects. */
export function snapshotOf(objects: Partial<Omit<Snapshot, 'defaultNamespace' | 'origin'>>, defaultNamespace = 'default'): Snapshot {
  return { ...emptySnapshot('test', defaultNamespace), ...objects };
}
