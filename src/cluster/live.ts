// The live-cluster source: lists the kinds a command needs from the API server the kubeconfig
// (or the pod's service account) points at, and reads the cluster's proxy configuration.
// Read-only by construction: get and list only, namespaced lists only in the one namespace
// asked for (unless -A), pages of 500 followed through `continue` as kubectl's chunking does.
// Objects stay the API server's JSON; list items get apiVersion/kind back, as kubectl adds them.
// This module does not load @kubernetes/client-node itself (kube-client.ts does, lazily), so
// `explain` may import clusterConfigured and fetchJSON without paying for it offline.
import { ClusterError, NotFoundError, SvctraceError } from '../errors.js';
import { hasClusterConfig, resolveTarget, type ClusterTarget, type KubeconfigRequest } from './kubeconfig.js';
import { redact, type RequestPurpose } from './live-errors.js';
import type { ApiClient } from './live-http.js';
import { proxyLabel } from './proxy-env.js';
import { mergeProxySettings, proxySettingsFromObject } from './proxy-settings.js';
import type { SourceRequest } from './source.js';
import { emptySnapshot, type Kind, type KubeObject, type Snapshot, type SourceProxySettings } from './types.js';

/** kubectl get's default --chunk-size. */
export const CHUNK_SIZE = 500;

interface Resource {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  field: 'services' | 'endpoints' | 'endpointSlices' | 'pods' | 'nodes' | 'namespaces';
}

/** Where each kind lives in the API, and where it goes in the snapshot. */
export const RESOURCES: Readonly<Record<Kind, Resource>> = {
  Service: { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true, field: 'services' },
  Endpoints: { group: '', version: 'v1', plural: 'endpoints', kind: 'Endpoints', namespaced: true, field: 'endpoints' },
  EndpointSlice: { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', kind: 'EndpointSlice', namespaced: true, field: 'endpointSlices' },
  Pod: { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true, field: 'pods' },
  Node: { group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false, field: 'nodes' },
  Namespace: { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false, field: 'namespaces' },
};

const apiVersionOf = (r: Pick<Resource, 'group' | 'version'>) => (r.group ? `${r.group}/${r.version}` : r.version);
const apiRoot = (r: Pick<Resource, 'group' | 'version'>) => (r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`);
const resourceName = (r: Pick<Resource, 'group' | 'plural'>) => (r.group ? `${r.plural}.${r.group}` : r.plural);

/** The path of a list (namespace undefined: across all namespaces) or of one object. */
export function resourcePath(r: Pick<Resource, 'group' | 'version' | 'plural' | 'namespaced'>, namespace?: string, name?: string): string {
  const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${apiRoot(r)}${ns}/${r.plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

function kubeconfigRequest(req: SourceRequest): KubeconfigRequest {
  return { kubeconfig: req.kubeconfig, context: req.context, env: req.env };
}

/** True when a kubeconfig (or the pod's service account) gives a cluster to talk to. */
export function clusterConfigured(req: SourceRequest): boolean {
  return hasClusterConfig(kubeconfigRequest(req));
}

// One client per request object: explain's two fetchJSON calls run an exec plugin once.
const clients = new WeakMap<SourceRequest, Promise<ApiClient>>();

function clientFor(req: SourceRequest): Promise<ApiClient> {
  let client = clients.get(req);
  if (!client) {
    client = Promise.resolve().then(() => connect(req, resolveTarget(kubeconfigRequest(req))));
    clients.set(req, client);
  }
  return client;
}

/** Connects (credentials through client-node, loaded now) and returns a GET-only client. */
async function connect(req: SourceRequest, target: ClusterTarget): Promise<ApiClient> {
  const [{ credentialsFor }, { createApiClient }] = await Promise.all([import('./kube-client.js'), import('./live-http.js')]);
  let creds;
  try {
    creds = await credentialsFor(target);
  } catch (err) {
    if (err instanceof SvctraceError) err.message = redact(err.message, target.secrets);
    throw err;
  }
  if (req.verbose >= 1) req.warn(`note: using ${target.origin}, server ${target.server}${target.proxy ? ` through the proxy ${proxyLabel(target.proxy)}` : ''}`);
  return createApiClient({
    server: target.server,
    options: creds.options,
    timeoutMs: req.requestTimeoutMs,
    secrets: [...target.secrets, ...creds.secrets],
    ...(target.proxy ? { proxy: target.proxy } : {}),
    warn: req.warn,
    verbose: req.verbose,
  });
}

/**
 * Every item of a list, page by page (limit 500, then `continue`), with apiVersion/kind added;
 * only those matching `labelSelector` when one is given (the server filters).
 */
export async function listAll(client: ApiClient, r: Resource, namespace?: string, notes?: string[], labelSelector?: string): Promise<KubeObject[]> {
  const purpose: RequestPurpose = {
    verb: 'list',
    resource: resourceName(r),
    path: resourcePath(r, namespace),
    ...(r.namespaced && namespace ? { namespace } : {}),
  };
  const items: KubeObject[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const query: Record<string, string> = { limit: String(CHUNK_SIZE), ...(labelSelector ? { labelSelector } : {}) };
    if (token) query.continue = token;
    const page = (await client.get(purpose, query, notes)) as { items?: unknown; metadata?: { continue?: unknown } };
    if (!page || !Array.isArray(page.items)) {
      throw new ClusterError(`the server's answer to ${purpose.verb} ${purpose.resource} is not a list`);
    }
    // kubectl puts the type back on each item: the API server leaves it to the list.
    for (const item of page.items as KubeObject[]) items.push({ apiVersion: apiVersionOf(r), kind: r.kind, ...item });
    const next = page.metadata?.continue;
    token = typeof next === 'string' && next !== '' ? next : undefined;
    if (token && seen.has(token)) throw new ClusterError(`the server repeated a continue token while listing ${purpose.resource}`);
    if (token) seen.add(token);
  } while (token);
  return items;
}

/**
 * The named objects of one kind, one GET each in the order given, as `kubectl get TYPE NAME...`
 * sends them; a name the server does not have is left out (the command reports it).
 */
async function getEach(client: ApiClient, r: Resource, namespace: string | undefined, names: readonly string[], notes: string[], absent: Set<string>): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  for (const name of names) {
    const purpose: RequestPurpose = {
      verb: 'get',
      resource: resourceName(r),
      name,
      path: resourcePath(r, namespace, name),
      ...(r.namespaced && namespace ? { namespace } : {}),
    };
    try {
      items.push({ apiVersion: apiVersionOf(r), kind: r.kind, ...((await client.get(purpose, {}, notes)) as KubeObject) });
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      if (r.namespaced && namespace && namespace !== 'default' && (await namespaceMissing(client, namespace, notes))) absent.add(namespace);
    }
  }
  return items;
}

/** Whether GET /api/v1/namespaces/NS answers 404 (any other failure: not known to be missing). */
async function namespaceMissing(client: ApiClient, namespace: string, notes: string[]): Promise<boolean> {
  const r = RESOURCES.Namespace;
  try {
    await client.get({ verb: 'get', resource: resourceName(r), name: namespace, path: resourcePath(r, undefined, namespace) }, {}, notes);
    return false;
  } catch (err) {
    return err instanceof NotFoundError;
  }
}

/**
 * A snapshot holding `kinds` from the live cluster. Namespaced kinds come from -n (else the
 * context's namespace, else "default"), or every namespace with -A; Nodes and Namespaces are
 * cluster-wide. Proxy settings are read when Nodes are asked for: the commands that model
 * kube-proxy (rules, trace, describe, check) are the ones that need Nodes; `get nodes`
 * opts out (noProxySettings).
 */
export async function loadLive(req: SourceRequest, kinds: readonly Kind[]): Promise<Snapshot> {
  const target = resolveTarget(kubeconfigRequest(req));
  const client = await connect(req, target);
  const namespace = req.allNamespaces ? undefined : (req.namespace ?? target.namespace);
  const wanted = [...new Set(kinds)];

  // In parallel, each with its own notes, printed afterwards in a fixed order.
  const notes = wanted.map((): string[] => []);
  const proxyNotes: string[] = [];
  const absent = new Set<string>();
  const lists = wanted.map((k, i) => {
    const names = req.names?.[k];
    return names && names.length > 0
      ? getEach(client, RESOURCES[k], namespace, names, notes[i]!, absent)
      : listAll(client, RESOURCES[k], namespace, notes[i], req.labelSelector);
  });
  const proxy = wanted.includes('Node') && !req.noProxySettings ? proxyFromCluster(client, req, proxyNotes) : Promise.resolve(undefined);
  const settled = await Promise.allSettled([...lists, proxy]);
  const printed = new Set<string>();
  for (const line of [...notes.flat(), ...proxyNotes]) {
    if (line.startsWith('Warning: ') && printed.has(line)) continue;
    printed.add(line);
    req.warn(line);
  }
  // Report the first failure in the order the kinds were asked for, whatever finished first.
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;

  const snapshot = emptySnapshot(`context ${target.contextName}`, target.namespace);
  wanted.forEach((k, i) => {
    const items = (settled[i] as PromiseFulfilledResult<KubeObject[]>).value;
    (snapshot[RESOURCES[k].field] as KubeObject[]) = items;
  });
  const settings = (settled[wanted.length] as PromiseFulfilledResult<SourceProxySettings | undefined>).value;
  if (settings) snapshot.proxy = settings;
  if (absent.size > 0) snapshot.absentNamespaces = [...absent];
  return snapshot;
}

/** Objects that may carry proxy settings; each is optional and may be forbidden. */
const PROXY_SOURCES = [
  { what: 'the kube-proxy ConfigMap', r: { group: '', version: 'v1', plural: 'configmaps', namespaced: true }, namespace: 'kube-system', name: 'kube-proxy', apiVersion: 'v1', kind: 'ConfigMap' },
  { what: "OpenShift's cluster network configuration", r: { group: 'config.openshift.io', version: 'v1', plural: 'networks', namespaced: false }, name: 'cluster', apiVersion: 'config.openshift.io/v1', kind: 'Network' },
] as const;

/**
 * The kube-proxy ConfigMap and, on OpenShift, the cluster Network config. Neither is required:
 * absent or forbidden, they leave a note at -v and the flags decide.
 */
async function proxyFromCluster(client: ApiClient, req: SourceRequest, out: string[]): Promise<SourceProxySettings | undefined> {
  const notes = PROXY_SOURCES.map((): string[] => []);
  const note = (i: number, line: string) => {
    if (req.verbose >= 1) notes[i]!.push(line);
  };
  const found = await Promise.all(
    PROXY_SOURCES.map(async (s, i) => {
      const namespace = 'namespace' in s ? s.namespace : undefined;
      const purpose: RequestPurpose = {
        verb: 'get',
        resource: resourceName(s.r),
        name: s.name,
        path: resourcePath(s.r, namespace, s.name),
        ...(namespace ? { namespace } : {}),
      };
      try {
        const obj = (await client.get(purpose, {}, notes[i])) as KubeObject;
        const settings = proxySettingsFromObject({ apiVersion: s.apiVersion, kind: s.kind, ...obj });
        if (!settings) note(i, `note: ${s.what} (${purpose.path}) holds no proxy settings`);
        return settings;
      } catch (err) {
        // Absent (not OpenShift, no kube-proxy), forbidden, or not YAML: the flags decide.
        const why = err instanceof NotFoundError ? 'not found' : err instanceof Error ? err.message.split('\n')[0] : String(err);
        note(i, `note: ${s.what} (${purpose.path}) not used: ${why}`);
        return undefined;
      }
    }),
  );
  out.push(...notes.flat());
  const merged = mergeProxySettings(...found);
  if (merged && req.verbose >= 1) out.push(`note: proxy settings from ${merged.origin}`);
  return merged;
}

/**
 * GETs any API path (e.g. "/openapi/v3", then a group-version document) with the kubeconfig's
 * credentials and the same error mapping as lists; returns the parsed JSON. A 404 is a
 * NotFoundError, so callers can fall back (to /openapi/v2, to offline data).
 */
export async function fetchJSON(req: SourceRequest, path: string): Promise<unknown> {
  const client = await clientFor(req);
  const url = new URL(path, 'http://placeholder');
  const query = Object.fromEntries(url.searchParams);
  return client.get({ verb: 'get', path: url.pathname }, query);
}
