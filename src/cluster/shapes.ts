// The fields svctrace reads from each kind, with their JSON types: a file whose object has
// `port: "80"` or `labels: {enabled: true}` is refused here with one line naming the field,
// as kubectl refuses to decode it, instead of failing later deep inside a printer.
// Only the fields svctrace reads are described; everything else passes through untouched.
import type { Path } from './documents.js';

/** A JSON type; a trailing "!" marks a field the API requires. null is always accepted (Go's zero value). */
type Scalar = 'string' | 'integer' | 'boolean' | 'int-or-string' | 'any';
export type Shape = Scalar | `${Scalar}!` | { map: Scalar } | { list: Shape } | { fields: Record<string, Shape> };

const list = (item: Shape): Shape => ({ list: item });
const fields = (f: Record<string, Shape>): Shape => ({ fields: f });
const STRING_MAP: Shape = { map: 'string' };
const STRINGS = list('string');

const OBJECT_REFERENCE = fields({ kind: 'string', name: 'string', namespace: 'string', uid: 'string', resourceVersion: 'string' });

const OBJECT_META = fields({
  name: 'string',
  generateName: 'string',
  namespace: 'string',
  uid: 'string',
  resourceVersion: 'string',
  creationTimestamp: 'string',
  deletionTimestamp: 'string',
  labels: STRING_MAP,
  annotations: STRING_MAP,
  ownerReferences: list(fields({ apiVersion: 'string', kind: 'string', name: 'string', uid: 'string', controller: 'boolean' })),
  finalizers: STRINGS,
});

const SERVICE = fields({
  metadata: OBJECT_META,
  spec: fields({
    type: 'string',
    clusterIP: 'string',
    clusterIPs: STRINGS,
    externalIPs: STRINGS,
    externalName: 'string',
    ports: list(
      fields({
        name: 'string',
        protocol: 'string',
        appProtocol: 'string',
        port: 'integer!',
        targetPort: 'int-or-string',
        nodePort: 'integer',
      }),
    ),
    selector: STRING_MAP,
    sessionAffinity: 'string',
    sessionAffinityConfig: fields({ clientIP: fields({ timeoutSeconds: 'integer' }) }),
    externalTrafficPolicy: 'string',
    internalTrafficPolicy: 'string',
    healthCheckNodePort: 'integer',
    ipFamilies: STRINGS,
    ipFamilyPolicy: 'string',
    loadBalancerIP: 'string',
    loadBalancerSourceRanges: STRINGS,
    publishNotReadyAddresses: 'boolean',
    trafficDistribution: 'string',
  }),
  status: fields({ loadBalancer: fields({ ingress: list(fields({ ip: 'string', hostname: 'string', ipMode: 'string' })) }) }),
});

const ENDPOINT_ADDRESS = fields({ ip: 'string!', hostname: 'string', nodeName: 'string', targetRef: OBJECT_REFERENCE });
const ENDPOINT_PORT = fields({ name: 'string', port: 'integer', protocol: 'string', appProtocol: 'string' });

const ENDPOINTS = fields({
  metadata: OBJECT_META,
  subsets: list(fields({ addresses: list(ENDPOINT_ADDRESS), notReadyAddresses: list(ENDPOINT_ADDRESS), ports: list(ENDPOINT_PORT) })),
});

const ENDPOINT_SLICE = fields({
  metadata: OBJECT_META,
  addressType: 'string',
  endpoints: list(
    fields({
      addresses: { list: 'string' },
      conditions: fields({ ready: 'boolean', serving: 'boolean', terminating: 'boolean' }),
      hostname: 'string',
      nodeName: 'string',
      zone: 'string',
      hints: fields({ forZones: list(fields({ name: 'string' })), forNodes: list(fields({ name: 'string' })) }),
      targetRef: OBJECT_REFERENCE,
      topology: STRING_MAP, // v1beta1, converted by the reader
    }),
  ),
  ports: list(ENDPOINT_PORT),
});

const CONTAINER = fields({
  name: 'string',
  restartPolicy: 'string',
  ports: list(fields({ name: 'string', containerPort: 'integer!', protocol: 'string', hostPort: 'integer', hostIP: 'string' })),
});

const POD = fields({
  metadata: OBJECT_META,
  spec: fields({
    nodeName: 'string',
    hostname: 'string',
    subdomain: 'string',
    hostNetwork: 'boolean',
    containers: list(CONTAINER),
    initContainers: list(CONTAINER),
    readinessGates: list(fields({ conditionType: 'string' })),
  }),
  status: fields({
    phase: 'string',
    reason: 'string',
    podIP: 'string',
    podIPs: list(fields({ ip: 'string' })),
    hostIP: 'string',
    conditions: list(fields({ type: 'string', status: 'string', reason: 'string', message: 'string' })),
    containerStatuses: list(fields({ name: 'string', ready: 'boolean', restartCount: 'integer' })),
    initContainerStatuses: list(fields({ name: 'string', ready: 'boolean', restartCount: 'integer' })),
  }),
});

const NODE = fields({
  metadata: OBJECT_META,
  spec: fields({ unschedulable: 'boolean', podCIDR: 'string', podCIDRs: STRINGS }),
  status: fields({
    addresses: list(fields({ type: 'string', address: 'string' })),
    conditions: list(fields({ type: 'string', status: 'string' })),
  }),
});

const NAMESPACE = fields({ metadata: OBJECT_META, status: fields({ phase: 'string' }) });

export const SHAPES = {
  Service: SERVICE,
  Endpoints: ENDPOINTS,
  EndpointSlice: ENDPOINT_SLICE,
  Pod: POD,
  Node: NODE,
  Namespace: NAMESPACE,
} as const;

export interface ShapeError {
  path: Path;
  message: string;
}

/** The first place `value` departs from `shape`, or null. */
export function checkShape(value: unknown, shape: Shape, path: Path = []): ShapeError | null {
  if (value === null || value === undefined) return null;
  if (typeof shape === 'string') return checkScalar(value, shape.replace(/!$/, '') as Scalar, path);
  if ('map' in shape) {
    if (!isObject(value)) return mismatch(path, 'an object', value);
    for (const [k, v] of Object.entries(value)) {
      const e = checkScalar(v, shape.map, [...path, k]);
      if (e) return e;
    }
    return null;
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) return mismatch(path, 'a list', value);
    for (let i = 0; i < value.length; i++) {
      const e = checkShape(value[i], shape.list, [...path, i]);
      if (e) return e;
    }
    return null;
  }
  if (!isObject(value)) return mismatch(path, 'an object', value);
  for (const [k, sub] of Object.entries(shape.fields)) {
    const v = value[k];
    if ((v === null || v === undefined) && typeof sub === 'string' && sub.endsWith('!')) {
      return { path: [...path, k], message: `${formatPath([...path, k])} is required` };
    }
    const e = checkShape(v, sub, [...path, k]);
    if (e) return e;
  }
  return null;
}

function checkScalar(value: unknown, type: Scalar, path: Path): ShapeError | null {
  if (value === null || value === undefined || type === 'any') return null;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? null : mismatch(path, 'a string', value);
    case 'boolean':
      return typeof value === 'boolean' ? null : mismatch(path, 'true or false', value);
    case 'integer':
      return Number.isInteger(value) ? null : mismatch(path, 'an integer', value);
    case 'int-or-string':
      return Number.isInteger(value) || typeof value === 'string' ? null : mismatch(path, 'an integer or a string', value);
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** "a string (\"80\")", "a list", ...: what a value is, for messages. */
export function describeValue(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null || v === undefined) return 'nothing';
  switch (typeof v) {
    case 'string':
      return `a string (${JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v)})`;
    case 'number':
      return `a number (${v})`;
    case 'boolean':
      return `a boolean (${v})`;
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}

function mismatch(path: Path, expected: string, value: unknown): ShapeError {
  return { path, message: `${formatPath(path)} must be ${expected}, found ${describeValue(value)}` };
}

/** ["spec", "ports", 0, "port"] → "spec.ports[0].port" */
export function formatPath(path: Path): string {
  let out = '';
  for (const step of path) out += typeof step === 'number' ? `[${step}]` : out ? `.${step}` : step;
  return out;
}
