// From documents to a Snapshot: unwraps Lists (`v1 List` with typed items, `ServiceList` &c.
// whose items carry no apiVersion/kind, as the API returns them), routes each object by group
// and kind, checks the fields svctrace reads, fills in the namespace as `kubectl apply -f`
// would, and picks up proxy settings. Shared by the file source and the demo. Pure.
import type { Path, SourceDocument } from './documents.js';
import { documentError } from './documents.js';
import { YamlSyntaxError } from './go-yaml-schema.js';
import { mergeProxySettings, proxySettingsFromObject } from './proxy-settings.js';
import { SHAPES, checkShape, describeValue, formatPath, isObject } from './shapes.js';
import { emptySnapshot, qualifiedName, type KubeObject, type Snapshot, type SourceProxySettings } from './types.js';

export interface ReadOptions {
  /** Namespace for namespaced objects that name none: -n, else "default". Also the snapshot's default. */
  namespace: string;
  /** Notes (ignored kinds) are only written when verbose > 0. */
  verbose: number;
  warn(line: string): void;
}

type UsedKind = keyof typeof SHAPES;

/** group/kind → the snapshot list it goes to. Core kinds have the empty group. */
const ROUTES: Record<string, UsedKind> = {
  '/Service': 'Service',
  '/Endpoints': 'Endpoints',
  '/Pod': 'Pod',
  '/Node': 'Node',
  '/Namespace': 'Namespace',
  'discovery.k8s.io/EndpointSlice': 'EndpointSlice',
};

/** The versions read for each kind; an EndpointSlice v1beta1 is converted to v1. */
const VERSIONS: Record<UsedKind, readonly string[]> = {
  Service: ['v1'],
  Endpoints: ['v1'],
  Pod: ['v1'],
  Node: ['v1'],
  Namespace: ['v1'],
  EndpointSlice: ['discovery.k8s.io/v1', 'discovery.k8s.io/v1beta1'],
};

const CLUSTER_SCOPED: ReadonlySet<UsedKind> = new Set(['Node', 'Namespace']);

const LIST_KEYS: Record<UsedKind, keyof Snapshot> = {
  Service: 'services',
  Endpoints: 'endpoints',
  EndpointSlice: 'endpointSlices',
  Pod: 'pods',
  Node: 'nodes',
  Namespace: 'namespaces',
};

const READS = 'svctrace reads Services, Endpoints, EndpointSlices, Pods, Nodes, Namespaces and proxy settings';

/**
 * Builds one snapshot from documents, in input order. Throws InputError (naming file,
 * document and line) at the first object it cannot use: nothing is returned half-read.
 */
export function snapshotFromDocuments(docs: Iterable<SourceDocument>, origin: string, opts: ReadOptions): Snapshot {
  const snapshot = emptySnapshot(origin, opts.namespace);
  const proxy: SourceProxySettings[] = [];
  const ignored = new Map<string, number>(); // "source\0kind (apiVersion)" → count

  for (const doc of docs) {
    if (doc.value === null || doc.value === undefined) continue; // empty document, as kubectl skips
    const visit = (value: unknown, path: Path, inherited?: { apiVersion: string; kind: string }) => {
      // Inside a List, say which item: "items[1]: kind not set".
      const fail = (at: Path, message: string) => documentError(doc, at, path.length > 0 ? `${formatPath(path)}: ${message}` : message);
      if (!isObject(value)) {
        throw fail(path, `expected a Kubernetes object (a mapping with apiVersion, kind and metadata), found ${describeValue(value)}`);
      }
      if (inherited) {
        // Items of a typed list, as the API returns them: put apiVersion/kind first, as kubectl does.
        const { apiVersion: _a, kind: _k, ...rest } = value;
        value = { apiVersion: value.apiVersion ?? inherited.apiVersion, kind: value.kind ?? inherited.kind, ...rest };
      }
      const obj = value as KubeObject;
      if (typeof obj.kind !== 'string' || obj.kind === '') throw fail(path, 'kind not set');
      if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') throw fail(path, `${obj.kind}: apiVersion not set`);

      if (isList(obj)) {
        const items = (obj as Record<string, unknown>).items;
        if (items === null || items === undefined) return;
        if (!Array.isArray(items)) throw fail([...path, 'items'], `${obj.kind}: items must be a list, found ${describeValue(items)}`);
        const itemKind = obj.kind === 'List' ? undefined : obj.kind.slice(0, -'List'.length);
        items.forEach((item, i) =>
          visit(item, [...path, 'items', i], itemKind ? { apiVersion: obj.apiVersion!, kind: itemKind } : undefined),
        );
        return;
      }

      const kind = ROUTES[`${groupOf(obj.apiVersion)}/${obj.kind}`];
      if (kind && VERSIONS[kind].includes(obj.apiVersion)) {
        const problem = addObject(snapshot, kind, obj, opts.namespace);
        if (problem) throw fail([...path, ...problem.path], problem.message);
        return;
      }
      const settings = proxySettingsAt(obj, `${obj.kind} in ${doc.source}`, (at, message) => fail([...path, ...at], message));
      if (settings) {
        proxy.push(settings);
        return;
      }
      const key = `${doc.source}\0${obj.kind} (${obj.apiVersion})`;
      ignored.set(key, (ignored.get(key) ?? 0) + 1);
    };
    visit(doc.value, []);
  }

  if (opts.verbose > 0) {
    for (const [key, n] of ignored) {
      const [source, what] = key.split('\0');
      opts.warn(`note: ${source}: ignored ${n === 1 ? 'a' : n} ${what}${n === 1 ? '' : ' objects'} (${READS})`);
    }
  }
  const merged = mergeProxySettings(...proxy);
  if (merged) snapshot.proxy = merged;
  return snapshot;
}

/** `List`, or a typed list such as `ServiceList` (kubectl's meta.IsListType: it has items). */
function isList(obj: KubeObject): boolean {
  return obj.kind === 'List' || (obj.kind!.endsWith('List') && 'items' in obj);
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/** Checks and stores one object; returns what is wrong with it (path relative to the object) instead. */
function addObject(snapshot: Snapshot, kind: UsedKind, obj: KubeObject, namespace: string): { path: Path; message: string } | undefined {
  const shapeError = checkShape(obj, SHAPES[kind]);
  const name = obj.metadata?.name;
  if (shapeError) {
    return { path: shapeError.path, message: `${kind}${typeof name === 'string' && name ? ` ${qualifiedName(obj)}` : ''}: ${shapeError.message}` };
  }
  if (typeof name !== 'string' || name === '') return { path: ['metadata'], message: `${kind}: metadata.name not set` };
  if (!CLUSTER_SCOPED.has(kind) && !obj.metadata!.namespace) {
    // As `kubectl apply -f` does: the -n namespace, else "default".
    obj.metadata = { ...obj.metadata, namespace };
  }
  const stored = kind === 'EndpointSlice' && obj.apiVersion === 'discovery.k8s.io/v1beta1' ? endpointSliceV1FromV1beta1(obj) : obj;
  (snapshot[LIST_KEYS[kind]] as KubeObject[]).push(stored);
  return undefined;
}

/** A KubeProxyConfiguration, a ConfigMap holding one, or OpenShift's Network config; else undefined. */
function proxySettingsAt(obj: KubeObject, where: string, fail: (at: Path, message: string) => Error): SourceProxySettings | undefined {
  try {
    return proxySettingsFromObject(obj, where);
  } catch (e) {
    // Only a ConfigMap's embedded config.conf can fail to parse.
    if (!(e instanceof YamlSyntaxError)) throw e;
    const what = `${obj.kind} ${qualifiedName(obj)}: config.conf${e.line ? `, line ${e.line}` : ''}`;
    throw fail(['data', 'config.conf'], `${what}: YAML syntax error: ${e.reason}`);
  }
}

/**
 * discovery.k8s.io/v1beta1 → v1, as the API server converts (pkg/apis/discovery/v1beta1/
 * conversion.go): topology becomes deprecatedTopology, its zone moves to `zone`, and its
 * hostname is dropped only when it repeats `nodeName`.
 */
export function endpointSliceV1FromV1beta1(obj: KubeObject): KubeObject {
  const endpoints = obj.endpoints;
  return {
    ...obj,
    apiVersion: 'discovery.k8s.io/v1',
    ...(Array.isArray(endpoints)
      ? {
          endpoints: endpoints.map((ep: Record<string, unknown>) => {
            const { topology, ...rest } = ep;
            if (!isObject(topology)) return rest;
            const deprecated: Record<string, unknown> = { ...topology };
            const out: Record<string, unknown> = { ...rest };
            const zone = deprecated['topology.kubernetes.io/zone'];
            if (zone !== undefined) {
              out.zone = zone;
              delete deprecated['topology.kubernetes.io/zone'];
            }
            if (deprecated['kubernetes.io/hostname'] !== undefined && deprecated['kubernetes.io/hostname'] === rest.nodeName) {
              delete deprecated['kubernetes.io/hostname'];
            }
            if (Object.keys(deprecated).length > 0) out.deprecatedTopology = deprecated;
            return out;
          }),
        }
      : {}),
  };
}
