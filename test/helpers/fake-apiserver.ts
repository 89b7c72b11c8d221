// A fake Kubernetes API server on loopback for the live-source tests. It answers the way a
// real kube-apiserver does, so the real kubectl can be pointed at it too: discovery documents
// (/api, /api/v1, /apis, /apis/<group>/<version>, /version), lists in etcd key order with
// limit/continue paging and labelSelector, single objects, Status objects for 401/403/404/405/500, Warning
// headers, gzip above the server's threshold, /openapi/v3 and /openapi/v2. It records every request (method,
// path, query, headers) so tests can assert what a client asked for.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parseAllDocuments } from 'yaml';
import { DEMO_FILE } from '../../src/cluster/demo.js';
import { matchesSelector, parseSelector, type LabelSelector } from '../../src/cluster/selector.js';
import { swaggerProtobuf } from './openapi-v2-protobuf.js';

export interface KubeObj {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

/** The demo cluster's file (what --demo reads), for `-f`. */
export const DEMO_YAML = fileURLToPath(DEMO_FILE);

/** The demo cluster's objects, for the fake server to serve. */
export const demoObjects = (): KubeObj[] =>
  parseAllDocuments(readFileSync(DEMO_YAML, 'utf8')).map((d) => d.toJS() as KubeObj).filter((o) => o && o.kind);

/** One resource the server serves: where it lives and what its objects are. */
interface Resource {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
}

// The resources the tests need, as a 1.3x kube-apiserver (plus OpenShift's config group) lists them.
const RESOURCES: Resource[] = [
  { group: '', version: 'v1', plural: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] },
  { group: '', version: 'v1', plural: 'endpoints', singular: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'] },
  { group: '', version: 'v1', plural: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'] },
  { group: '', version: 'v1', plural: 'nodes', singular: 'node', kind: 'Node', namespaced: false, shortNames: ['no'] },
  { group: '', version: 'v1', plural: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'] },
  { group: '', version: 'v1', plural: 'services', singular: 'service', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ['all'] },
  { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', singular: 'endpointslice', kind: 'EndpointSlice', namespaced: true },
  { group: 'config.openshift.io', version: 'v1', plural: 'networks', singular: 'network', kind: 'Network', namespaced: false },
];

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
/** kube-apiserver gzips responses from this size on, when the client accepts gzip. */
const GZIP_THRESHOLD = 128 * 1024;

export interface RecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** Status code answered (0 while unanswered). */
  status: number;
  /** The body was sent gzipped. */
  gzipped: boolean;
  /** metadata.continue of the list answered, if any. */
  continueIssued?: string;
}

export interface Identity {
  name: string;
}

export interface FakeApiServerOptions {
  /** Objects the server holds (apiVersion/kind say where they live). */
  objects?: KubeObj[];
  /** Serve https with this key and certificate (PEM) instead of http. */
  tls?: { key: string; cert: string };
  /**
   * Who a request is: undefined answers 401. Default: everyone is "system:admin".
   * Bearer tokens and basic auth reach this as the Authorization header.
   */
  authenticate?: (req: http.IncomingMessage) => Identity | undefined;
  /** RBAC: false answers 403 for (verb, resource, namespace). Default: allow all. */
  authorize?: (who: Identity, verb: string, resource: string, namespace: string | undefined, group: string, name: string | undefined) => boolean;
  /** Milliseconds to wait before answering a path (or forever when Infinity). */
  delay?: (path: string) => number;
  /** Answer a path with this status and Status reason instead of serving it. */
  fail?: (path: string) => { code: number; reason: string; message: string } | undefined;
  /** Warning headers (RFC 7234 form "299 - \"text\"") to add for a path. */
  warnings?: (path: string) => string[];
  /** Answer /openapi/v3 and its group-version documents. */
  openapi?: Record<string, unknown>;
  /** Answer /openapi/v2 with these swagger 2.0 definitions (protobuf to kubectl, else JSON). */
  openapiV2?: { definitions: Record<string, unknown> };
}

export interface FakeApiServer {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  /** host:port */
  address: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const groupVersion = (r: Pick<Resource, 'group' | 'version'>) => (r.group ? `${r.group}/${r.version}` : r.version);

function status(code: number, reason: string, message: string, details?: Record<string, unknown>) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

/** The continue token: where the next page starts, tied to the list's resourceVersion. */
const encodeContinue = (rv: string, start: number) => Buffer.from(JSON.stringify({ rv, start })).toString('base64url');
function decodeContinue(token: string): { rv: string; start: number } | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return typeof v.start === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}

export async function startFakeApiServer(opts: FakeApiServerOptions = {}): Promise<FakeApiServer> {
  const requests: RecordedRequest[] = [];
  const objects = opts.objects ?? [];
  const resourceVersion = '48213';
  const authenticate = opts.authenticate ?? (() => ({ name: 'system:admin' }));
  const authorize = opts.authorize ?? (() => true);
  let base = '';

  const resourceFor = (obj: KubeObj) => RESOURCES.find((r) => groupVersion(r) === obj.apiVersion && r.kind === obj.kind);
  // etcd key order: namespace, then name.
  const keyOf = (o: KubeObj) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
  const stored = (r: Resource) =>
    objects.filter((o) => resourceFor(o) === r).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const served = RESOURCES.filter((r) => r.group === '' || r.group === 'discovery.k8s.io' || objects.some((o) => resourceFor(o) === r));

  function discovery(path: string): unknown {
    if (path === '/version') {
      return { major: '1', minor: '32', gitVersion: 'v1.32.4', gitCommit: 'fake', gitTreeState: 'clean', buildDate: '2025-04-22T00:00:00Z', goVersion: 'go1.23.8', compiler: 'gc', platform: 'linux/amd64' };
    }
    if (path === '/api') {
      return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: base.replace(/^https?:\/\//, '') }] };
    }
    if (path === '/apis') {
      const groups = [...new Set(served.filter((r) => r.group).map((r) => r.group))].map((g) => {
        const gv = { groupVersion: `${g}/v1`, version: 'v1' };
        return { name: g, versions: [gv], preferredVersion: gv };
      });
      return { kind: 'APIGroupList', apiVersion: 'v1', groups };
    }
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (!m) return undefined;
    const gv = m[1] ?? `${m[2]}/${m[3]}`;
    const rs = served.filter((r) => groupVersion(r) === gv);
    if (rs.length === 0) return undefined;
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: gv,
      resources: rs.map((r) => ({
        name: r.plural,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: VERBS,
        ...(r.shortNames ? { shortNames: r.shortNames } : {}),
        ...(r.categories ? { categories: r.categories } : {}),
        storageVersionHash: 'fake',
      })),
    };
  }

  /** Parses a resource path: /api/v1[/namespaces/NS]/PLURAL[/NAME] or /apis/G/V[/namespaces/NS]/PLURAL[/NAME]. */
  function route(path: string) {
    const m = /^\/(?:api\/v1|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    if (!m) return undefined;
    const group = m[1] ?? '';
    const version = m[2] ?? 'v1';
    const namespace = m[3];
    const plural = m[4]!;
    const name = m[5];
    const r = served.find((x) => x.group === group && x.version === version && x.plural === plural);
    if (!r) return { r: undefined, namespace, name, plural, group };
    return { r, namespace, name };
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const record: RecordedRequest = { method: req.method ?? '', path, query: url.searchParams, headers: req.headers, status: 0, gzipped: false };
    requests.push(record);

    const send = (code: number, body: unknown, extra: Record<string, string> = {}) => {
      let data: Buffer = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
      const headers: Record<string, string | string[]> = { 'Content-Type': 'application/json', 'Audit-Id': 'fake', ...extra };
      const warnings = opts.warnings?.(path) ?? [];
      if (warnings.length > 0) headers['Warning'] = warnings;
      if (data.length >= GZIP_THRESHOLD && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        data = gzipSync(data);
        headers['Content-Encoding'] = 'gzip';
        record.gzipped = true;
      }
      record.status = code;
      const cont = Buffer.isBuffer(body) ? undefined : (body as { metadata?: { continue?: string } }).metadata?.continue;
      if (cont) record.continueIssued = cont;
      headers['Content-Length'] = String(data.length);
      res.writeHead(code, headers);
      res.end(data);
    };

    const answer = () => {
      const who = authenticate(req);
      if (!who) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
      const failure = opts.fail?.(path);
      if (failure) return send(failure.code, status(failure.code, failure.reason, failure.message));
      if (req.method !== 'GET') {
        return send(405, status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`));
      }
      const doc = discovery(path);
      if (doc) return send(200, doc);
      if (opts.openapi && (path === '/openapi/v3' || path.startsWith('/openapi/v3/'))) {
        const key = path === '/openapi/v3' ? '' : path.slice('/openapi/v3/'.length);
        if (key === '') {
          const paths = Object.fromEntries(Object.keys(opts.openapi).map((k) => [k, { serverRelativeURL: `/openapi/v3/${k}?hash=FAKEHASH` }]));
          return send(200, { paths });
        }
        if (key in opts.openapi) return send(200, opts.openapi[key]);
        return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
      }
      if (opts.openapiV2 && path === '/openapi/v2') {
        // kubectl asks for protobuf only; other clients get JSON, as from kube-apiserver.
        if (/protobuf/.test(String(req.headers.accept ?? ''))) {
          return send(200, swaggerProtobuf(opts.openapiV2), { 'Content-Type': 'application/octet-stream' });
        }
        return send(200, { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.16.2' }, paths: {}, ...opts.openapiV2 });
      }
      const rt = route(path);
      if (!rt) return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
      if (!rt.r) return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
      const r = rt.r;
      const verb = rt.name ? 'get' : 'list';
      if (!authorize(who, verb, r.plural, rt.namespace, r.group, rt.name)) {
        const scope = rt.namespace ? `in the namespace "${rt.namespace}"` : 'at the cluster scope';
        const subject = rt.name ? `${r.plural}${r.group ? '.' + r.group : ''} "${rt.name}"` : `${r.plural}${r.group ? '.' + r.group : ''}`;
        const message = `${subject} is forbidden: User "${who.name}" cannot ${verb} resource "${r.plural}" in API group "${r.group}" ${scope}`;
        return send(403, status(403, 'Forbidden', message, { ...(rt.name ? { name: rt.name } : {}), ...(r.group ? { group: r.group } : {}), kind: r.plural }));
      }
      let inScope = stored(r).filter((o) => !r.namespaced || !rt.namespace || o.metadata?.namespace === rt.namespace);
      if (rt.name) {
        const obj = inScope.find((o) => o.metadata?.name === rt.name);
        if (!obj) {
          return send(404, status(404, 'NotFound', `${r.plural}${r.group ? '.' + r.group : ''} "${rt.name}" not found`, { name: rt.name, ...(r.group ? { group: r.group } : {}), kind: r.plural }));
        }
        return send(200, { kind: r.kind, apiVersion: groupVersion(r), ...withoutTypeMeta(obj) });
      }
      // A list: items without apiVersion/kind, as the API server sends them, filtered by
      // labelSelector (a bad one is the API server's 400).
      const labelSelector = url.searchParams.get('labelSelector');
      if (labelSelector) {
        let selector: LabelSelector;
        try {
          selector = parseSelector(labelSelector);
        } catch (err) {
          return send(400, status(400, 'BadRequest', `unable to parse requirement: ${(err as Error).message}`));
        }
        inScope = inScope.filter((o) => matchesSelector(selector, (o.metadata?.labels ?? {}) as Record<string, string>));
      }
      const limit = Number(url.searchParams.get('limit') ?? '0');
      const token = url.searchParams.get('continue');
      let start = 0;
      if (token) {
        const c = decodeContinue(token);
        if (!c) return send(400, status(400, 'BadRequest', 'continue key is not valid: illegal base64 data'));
        start = c.start;
      }
      const end = limit > 0 ? Math.min(start + limit, inScope.length) : inScope.length;
      const metadata: Record<string, unknown> = { resourceVersion };
      if (end < inScope.length) {
        metadata.continue = encodeContinue(resourceVersion, end);
        metadata.remainingItemCount = inScope.length - end;
      }
      return send(200, {
        kind: `${r.kind}List`,
        apiVersion: groupVersion(r),
        metadata,
        items: inScope.slice(start, end).map(withoutTypeMeta),
      });
    };

    const wait = opts.delay?.(path) ?? 0;
    if (wait === Infinity) return; // never answers; the client must give up
    if (wait > 0) setTimeout(answer, wait);
    else answer();
  }

  const server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handle) : http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const address = `127.0.0.1:${port}`;
  base = `${opts.tls ? 'https' : 'http'}://${address}`;
  return {
    url: base,
    address,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function withoutTypeMeta(o: KubeObj): KubeObj {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}

/** A self-signed certificate for 127.0.0.1 made with openssl, or undefined without openssl. */
export function selfSignedCert(): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'svctrace-cert-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Authenticates `Authorization: Bearer <token>` against a token → user name table. */
export function bearerTokens(tokens: Record<string, string>): (req: http.IncomingMessage) => Identity | undefined {
  return (req) => {
    const m = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''));
    const name = m ? tokens[m[1]!] : undefined;
    return name ? { name } : undefined;
  };
}

export interface KubeconfigSpec {
  server: string;
  /** Context name (default "test"). */
  context?: string;
  namespace?: string;
  user?: Record<string, unknown>;
  cluster?: Record<string, unknown>;
  currentContext?: boolean;
}

/** A kubeconfig (YAML text) with one cluster, user and context pointing at `server`. */
export function kubeconfigYAML(spec: KubeconfigSpec): string {
  const name = spec.context ?? 'test';
  const cluster = { server: spec.server, ...(spec.cluster ?? {}) };
  const context = { cluster: `${name}-cluster`, user: `${name}-user`, ...(spec.namespace ? { namespace: spec.namespace } : {}) };
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: `${name}-cluster`, cluster }],
    users: [{ name: `${name}-user`, user: spec.user ?? {} }],
    contexts: [{ name, context }],
    ...(spec.currentContext === false ? {} : { 'current-context': name }),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
