// Which cluster a live command talks to, found the way kubectl (client-go's clientcmd) finds
// it: --kubeconfig alone, else every file in $KUBECONFIG merged (first file wins per cluster,
// user and context name, missing files ignored, current-context from the first file that sets
// it), else ~/.kube/config, else the pod's service account (in-cluster). client-node 1.4.0
// merges differently (it throws on a missing file or a repeated name and lets a later file's
// current-context win), so the merge is done here and client-node only gets the result.
// Plain data and file reads: nothing here loads client-node, so offline commands may import it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { loadYaml } from './go-yaml-schema.js';
import { ClusterError, InputError, UsageError } from '../errors.js';
import { parseProxyUrl, proxyBasicCredentials, proxyFromEnvironment } from './proxy-env.js';
import { isObject } from './shapes.js';

/** Where a pod's service account credentials are mounted (client-go's inClusterConfig). */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

type Fields = Record<string, unknown>;
export interface NamedCluster { name: string; cluster: Fields }
export interface NamedUser { name: string; user: Fields }
export interface NamedContext { name: string; context: Fields }

/** A kubeconfig in its file form (kebab-case keys), as client-node's loadFromString reads it. */
export interface Kubeconfig {
  apiVersion: 'v1';
  kind: 'Config';
  clusters: NamedCluster[];
  users: NamedUser[];
  contexts: NamedContext[];
  'current-context'?: string;
}

export interface KubeconfigRequest {
  /** --kubeconfig */
  kubeconfig?: string;
  /** --context */
  context?: string;
  /** Environment (KUBECONFIG, HOME, KUBERNETES_SERVICE_HOST/PORT, POD_NAMESPACE). */
  env: Record<string, string | undefined>;
  /** Service account mount; tests point it elsewhere. */
  serviceAccountDir?: string;
}

/** The cluster, credentials and namespace a live command uses. */
export interface ClusterTarget {
  /** A kubeconfig holding only the chosen context, its cluster and user, for client-node. */
  config: Kubeconfig;
  contextName: string;
  server: string;
  /** The context's namespace, else "default": what -n defaults to. */
  namespace: string;
  /** For messages: `context "admin" (kubeconfig /home/me/.kube/config)` or the in-cluster account. */
  origin: string;
  /** Values that must never be printed (tokens, passwords, keys, certificates). */
  secrets: string[];
  /** The HTTP(S) or SOCKS5 proxy requests go through: the cluster's proxy-url, else the environment's. */
  proxy?: URL;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The files kubectl would read, in precedence order, and whether the list came from --kubeconfig. */
export function kubeconfigPaths(req: Pick<KubeconfigRequest, 'kubeconfig' | 'env'>): { explicit: boolean; files: string[] } {
  if (req.kubeconfig) return { explicit: true, files: [req.kubeconfig] };
  const list = req.env.KUBECONFIG;
  if (list) return { explicit: false, files: list.split(delimiter).filter((f) => f !== '') };
  const home = req.env.HOME;
  return { explicit: false, files: home ? [join(home, '.kube', 'config')] : [] };
}

/** Reads one kubeconfig file; relative file references become absolute, as clientcmd does. */
export function readKubeconfigFile(file: string): Kubeconfig {
  let doc: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    doc = text.trim() === '' ? {} : loadYaml(text);
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new InputError(`error loading config file "${file}": ${msg}`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (!isObject(doc)) throw new InputError(`error loading config file "${file}": not a kubeconfig (a mapping with clusters, users and contexts)`);
  const base = dirname(resolve(file));
  const entries = <T extends string>(key: string, inner: T) =>
    (Array.isArray(doc[key]) ? (doc[key] as unknown[]) : [])
      .filter(isObject)
      .filter((e) => typeof e.name === 'string' && e.name !== '')
      .map((e) => ({ name: e.name as string, [inner]: isObject(e[inner]) ? { ...(e[inner] as Fields) } : {} }) as { name: string } & Record<T, Fields>);

  const clusters = entries('clusters', 'cluster');
  for (const c of clusters) absolutize(c.cluster, ['certificate-authority'], base);
  const users = entries('users', 'user');
  for (const u of users) {
    absolutize(u.user, ['client-certificate', 'client-key', 'token-file'], base);
    // An exec command is resolved only when it is a path, not a name looked up on PATH.
    const exec = u.user.exec;
    if (isObject(exec) && typeof exec.command === 'string' && exec.command.includes(sep)) {
      u.user.exec = { ...exec, command: isAbsolute(exec.command) ? exec.command : join(base, exec.command) };
    }
  }
  const contexts = entries('contexts', 'context');
  const current = str(doc['current-context']);
  return { apiVersion: 'v1', kind: 'Config', clusters, users, contexts, ...(current ? { 'current-context': current } : {}) };
}

function absolutize(fields: Fields, keys: string[], base: string): void {
  for (const k of keys) {
    const v = fields[k];
    if (typeof v === 'string' && v !== '' && !isAbsolute(v)) fields[k] = join(base, v);
  }
}

/**
 * Merges kubeconfigs the way clientcmd does: the first file to define a name keeps it whole
 * (a later file's entry of the same name is dropped, even its extra fields), and the first
 * file that sets current-context sets it.
 */
export function mergeKubeconfigs(configs: readonly Kubeconfig[]): Kubeconfig {
  const out: Kubeconfig = { apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [] };
  const add = <T extends { name: string }>(into: T[], from: readonly T[]) => {
    for (const e of from) if (!into.some((x) => x.name === e.name)) into.push(e);
  };
  for (const c of configs) {
    add(out.clusters, c.clusters);
    add(out.users, c.users);
    add(out.contexts, c.contexts);
    if (!out['current-context'] && c['current-context']) out['current-context'] = c['current-context'];
  }
  return out;
}

/** The merged kubeconfig and the files it came from; missing files in $KUBECONFIG are skipped. */
export function loadKubeconfig(req: Pick<KubeconfigRequest, 'kubeconfig' | 'env'>): { config: Kubeconfig; files: string[] } {
  const { explicit, files } = kubeconfigPaths(req);
  if (explicit && !existsSync(files[0]!)) throw new InputError(`kubeconfig file "${files[0]}" does not exist`);
  const loaded = files.filter((f) => existsSync(f) && statSync(f).isFile());
  return { config: mergeKubeconfigs(loaded.map(readKubeconfigFile)), files: loaded };
}

/** True when the pod's service account can be used, as client-go's inClusterConfig decides. */
export function inClusterPossible(req: KubeconfigRequest): boolean {
  const dir = req.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  if (!req.env.KUBERNETES_SERVICE_HOST || !req.env.KUBERNETES_SERVICE_PORT) return false;
  try {
    return statSync(join(dir, 'token')).isFile();
  } catch {
    return false;
  }
}

/** The in-cluster target: https to the service host, the mounted CA and token. */
function inClusterTarget(req: KubeconfigRequest): ClusterTarget {
  const dir = req.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const host = req.env.KUBERNETES_SERVICE_HOST!;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${req.env.KUBERNETES_SERVICE_PORT}`;
  let namespace = req.env.POD_NAMESPACE || '';
  if (!namespace) {
    try {
      namespace = readFileSync(join(dir, 'namespace'), 'utf8').trim();
    } catch {
      // no namespace file: "default", as client-go
    }
  }
  const name = 'in-cluster';
  const { proxy } = proxyOf(server, undefined, req.env);
  const config: Kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority': join(dir, 'ca.crt') } }],
    users: [{ name, user: { 'token-file': join(dir, 'token') } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
  };
  return {
    config,
    contextName: name,
    server,
    namespace: namespace || 'default',
    origin: `the pod's service account (${dir})`,
    secrets: [...readSecretFiles([join(dir, 'token')]), ...proxySecrets(proxy)],
    ...(proxy ? { proxy } : {}),
  };
}

/** client-go's choice: the cluster's proxy-url for every request, else ProxyFromEnvironment. */
function proxyOf(server: string, cluster: NamedCluster | undefined, env: KubeconfigRequest['env']): { proxy?: URL } {
  const configured = str(cluster?.cluster['proxy-url']);
  if (configured) return { proxy: parseProxyUrl(configured, cluster!.name) };
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return {}; // the request itself reports the bad server
  }
  const proxy = proxyFromEnvironment(url, env);
  return proxy ? { proxy } : {};
}

/** A proxy's password (and its base64 credentials) must never be printed either. */
function proxySecrets(proxy: URL | undefined): string[] {
  if (!proxy?.password) return [];
  return [decodeURIComponent(proxy.password), proxy.password, proxyBasicCredentials(proxy)!];
}

/**
 * The cluster a live command talks to. Throws a one-line error when there is none: no
 * kubeconfig and not in a pod, an unknown --context, a context without a cluster.
 */
export function resolveTarget(req: KubeconfigRequest): ClusterTarget {
  const { config, files } = loadKubeconfig(req);
  const contextName = req.context || config['current-context'];
  const where = files.length > 0 ? `kubeconfig ${files.join(delimiter)}` : 'no kubeconfig';

  if (!contextName) {
    // clientcmd falls back to the service account only when the kubeconfig gives nothing usable.
    if (inClusterPossible(req)) return inClusterTarget(req);
    if (config.contexts.length > 0) {
      const names = config.contexts.map((c) => c.name).join(', ');
      throw new ClusterError(`${where} sets no current-context: pass --context (one of: ${names})`);
    }
    const tried = kubeconfigPaths(req).files;
    const looked = tried.length > 0 ? `no kubeconfig found (looked at ${tried.join(delimiter)})` : 'no kubeconfig found ($KUBECONFIG and $HOME are unset)';
    throw new ClusterError(`no cluster configured: ${looked}; pass --kubeconfig FILE, or work offline with -f FILE or --demo`);
  }

  const ctx = config.contexts.find((c) => c.name === contextName);
  if (!ctx) {
    const msg = `context was not found for specified context: ${contextName}`;
    throw req.context ? new UsageError(msg) : new ClusterError(`${msg} (current-context of ${where})`);
  }
  const clusterName = str(ctx.context.cluster);
  const cluster = config.clusters.find((c) => c.name === clusterName);
  const server = str(cluster?.cluster.server);
  if (!cluster || !server) {
    const why = cluster ? `cluster "${clusterName}" has no server` : `cluster "${clusterName ?? ''}" is not in ${where}`;
    throw new ClusterError(`context "${contextName}": ${why}`);
  }
  const { proxy } = proxyOf(server, cluster, req.env);
  const userName = str(ctx.context.user);
  // A context without a user is anonymous; client-node still needs a user entry to apply the
  // cluster's TLS settings, so an empty one stands in.
  const user = config.users.find((u) => u.name === userName) ?? { name: userName ?? 'anonymous', user: {} };

  return {
    config: {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [cluster],
      users: [user],
      contexts: [{ name: contextName, context: { ...ctx.context, cluster: cluster.name, user: user.name } }],
      'current-context': contextName,
    },
    contextName,
    server,
    namespace: str(ctx.context.namespace) ?? 'default',
    origin: `context "${contextName}" (${where})`,
    secrets: [...secretsOf(cluster.cluster, user.user), ...proxySecrets(proxy)],
    ...(proxy ? { proxy } : {}),
  };
}

/**
 * True when a live command would have a cluster to talk to: --kubeconfig given, a kubeconfig
 * that names a usable context, or a pod's service account. Never throws.
 */
export function hasClusterConfig(req: KubeconfigRequest): boolean {
  if (req.kubeconfig) return true;
  try {
    resolveTarget(req);
    return true;
  } catch (err) {
    // A kubeconfig that exists but is broken is still the user's intent to go live.
    return err instanceof InputError || err instanceof UsageError;
  }
}

function secretsOf(cluster: Fields, user: Fields): string[] {
  const out: string[] = [];
  for (const k of ['token', 'password', 'client-key-data', 'client-certificate-data']) {
    const v = str(user[k]);
    if (v) out.push(v);
  }
  const ca = str(cluster['certificate-authority-data']);
  if (ca) out.push(ca);
  const authProvider = user['auth-provider'];
  if (isObject(authProvider) && isObject(authProvider.config)) {
    for (const [k, v] of Object.entries(authProvider.config)) if (/token|secret/i.test(k) && typeof v === 'string' && v) out.push(v);
  }
  out.push(...readSecretFiles([str(user['token-file']), str(user['client-key'])]));
  // Decoded PEM too: a TLS library could quote it.
  for (const k of ['client-key-data', 'client-certificate-data']) {
    const v = str(user[k]);
    if (v) out.push(...pemBodies(Buffer.from(v, 'base64').toString('utf8')));
  }
  return [...new Set(out.filter((s) => s.length >= 4))];
}

function readSecretFiles(files: (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    if (!f) continue;
    try {
      const text = readFileSync(f, 'utf8').trim();
      if (text) out.push(text, ...pemBodies(text));
    } catch {
      // unreadable: nothing of it can be printed either
    }
  }
  return out;
}

/** Each base64 line of a PEM block, so a quoted fragment is caught too. */
function pemBodies(pem: string): string[] {
  return pem.split('\n').map((l) => l.trim()).filter((l) => l.length >= 16 && !l.startsWith('-----'));
}
