// The live source against a fake API server on loopback (test/helpers/fake-apiserver.ts).
// Its objects are the demo cluster's, so what the live source returns can be compared with
// what the file source reads from the same YAML.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadFiles } from '../../src/cluster/files.js';
import { credentialsFor } from '../../src/cluster/kube-client.js';
import { resolveTarget } from '../../src/cluster/kubeconfig.js';
import { createApiClient } from '../../src/cluster/live-http.js';
import { CHUNK_SIZE, clusterConfigured, fetchJSON, loadLive } from '../../src/cluster/live.js';
import { dataplaneNote } from '../../src/cluster/proxy-settings.js';
import type { SourceRequest } from '../../src/cluster/source.js';
import type { Kind, KubeObject, Snapshot } from '../../src/cluster/types.js';
import { NotFoundError } from '../../src/errors.js';
import { bearerTokens, DEMO_YAML, demoObjects, kubeconfigYAML, selfSignedCert, startFakeApiServer, type FakeApiServer, type KubeObj } from '../helpers/fake-apiserver.js';
import { needs } from '../helpers/prereq.js';
import { sourceRequest } from '../helpers/source-request.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/live/', import.meta.url));
const ALL_KINDS: Kind[] = ['Service', 'Endpoints', 'EndpointSlice', 'Pod', 'Node', 'Namespace'];

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svctrace-live-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function kubeconfigFor(server: string, spec: Omit<Parameters<typeof kubeconfigYAML>[0], 'server'> = {}): string {
  const path = join(dir, `kubeconfig-${++n}.yaml`);
  writeFileSync(path, kubeconfigYAML({ server, ...spec }));
  return path;
}

const request = (kubeconfig: string | undefined, over: Partial<SourceRequest> = {}) => sourceRequest({ kubeconfig, env: { HOME: dir }, ...over });

const key = (o: KubeObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const sorted = (xs: readonly KubeObject[]) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
const lists = (s: Snapshot) => ({
  services: s.services,
  endpoints: s.endpoints,
  endpointSlices: s.endpointSlices,
  pods: s.pods,
  nodes: s.nodes,
  namespaces: s.namespaces,
});

function onlyGets(server: FakeApiServer): void {
  assert.deepEqual([...new Set(server.requests.map((r) => r.method))], ['GET']);
}

describe('live source: the demo cluster behind a fake API server', () => {
  let server: FakeApiServer;
  before(async () => {
    server = await startFakeApiServer({ objects: demoObjects() });
  });
  after(() => server.close());

  it('returns the same objects and proxy settings as the file source reads from the same YAML', async () => {
    const live = await loadLive(request(kubeconfigFor(server.url), { allNamespaces: true }), ALL_KINDS);
    const files = await loadFiles(request(undefined, { filenames: [DEMO_YAML] }));
    for (const [name, items] of Object.entries(lists(files))) {
      assert.ok(items.length > 0, `the demo has ${name}`);
      // The API lists in key order (namespace, name); the file in its own order.
      assert.deepEqual(lists(live)[name as keyof ReturnType<typeof lists>], sorted(items), name);
    }
    assert.deepEqual(live.proxy, files.proxy);
    assert.equal(live.proxy?.networkType, 'OpenShiftSDN');
    onlyGets(server);
  });

  it('puts apiVersion and kind back on list items, first, as kubectl does', async () => {
    const live = await loadLive(request(kubeconfigFor(server.url), { allNamespaces: true }), ['EndpointSlice', 'Service']);
    const slice = live.endpointSlices[0]!;
    assert.deepEqual(Object.keys(slice).slice(0, 2), ['apiVersion', 'kind']);
    assert.equal(slice.apiVersion, 'discovery.k8s.io/v1');
    assert.equal(slice.kind, 'EndpointSlice');
    assert.equal(live.services[0]!.kind, 'Service');
    // Raw JSON: timestamps stay strings, exactly as served.
    assert.equal(typeof live.services[0]!.metadata?.creationTimestamp, 'string');
  });

  it("lists namespaced kinds only in the context's namespace, Nodes cluster-wide, and only the kinds asked", async () => {
    server.requests.length = 0;
    const req = request(kubeconfigFor(server.url, { namespace: 'test-services' }));
    const snap = await loadLive(req, ['Service', 'Node']);
    assert.equal(snap.defaultNamespace, 'test-services');
    assert.ok(snap.services.length > 0 && snap.services.every((s) => s.metadata?.namespace === 'test-services'));
    assert.deepEqual(snap.pods, []);
    const lists = server.requests.filter((r) => r.query.has('limit')).map((r) => r.path).sort();
    assert.deepEqual(lists, ['/api/v1/namespaces/test-services/services', '/api/v1/nodes']);
    // Nodes asked for: the two optional proxy sources are read too, with single GETs.
    const gets = server.requests.filter((r) => !r.query.has('limit')).map((r) => r.path).sort();
    assert.deepEqual(gets, ['/api/v1/namespaces/kube-system/configmaps/kube-proxy', '/apis/config.openshift.io/v1/networks/cluster']);
    onlyGets(server);
  });

  it('lets -n override the context namespace and -A list across namespaces', async () => {
    const kc = kubeconfigFor(server.url, { namespace: 'test-services' });
    server.requests.length = 0;
    await loadLive(request(kc, { namespace: 'test-loadbalancer' }), ['Pod']);
    await loadLive(request(kc, { allNamespaces: true, namespace: 'ignored' }), ['Pod']);
    assert.deepEqual(server.requests.map((r) => r.path), ['/api/v1/namespaces/test-loadbalancer/pods', '/api/v1/pods']);
  });

  it("sends kubectl's chunk size and the request timeout, and asks for no other kind", async () => {
    server.requests.length = 0;
    await loadLive(request(kubeconfigFor(server.url), { requestTimeoutMs: 5000 }), ['EndpointSlice']);
    assert.equal(server.requests.length, 1);
    const r = server.requests[0]!;
    assert.equal(r.path, '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices');
    assert.equal(r.query.get('limit'), '500');
    assert.equal(r.query.get('timeout'), '5s');
    assert.equal(r.headers.accept, 'application/json');
  });

  it('lists nothing for no kinds, but still checks the configuration', async () => {
    server.requests.length = 0;
    const snap = await loadLive(request(kubeconfigFor(server.url, { namespace: 'x' })), []);
    assert.equal(server.requests.length, 0);
    assert.equal(snap.defaultNamespace, 'x');
    assert.equal(snap.origin, 'context test');
  });
});

describe('live source: paging', () => {
  // 1,200 pods: three pages of kubectl's 500. Each pod carries enough text that a page passes
  // the API server's gzip threshold.
  const pods: KubeObj[] = Array.from({ length: 1200 }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `web-${String(i).padStart(4, '0')}`, namespace: 'big', annotations: { note: 'x'.repeat(300) } },
    spec: { containers: [{ name: 'web', image: 'nginx' }] },
    status: { phase: 'Running', podIP: `10.0.${i >> 8}.${i & 255}` },
  }));
  let server: FakeApiServer;
  before(async () => {
    server = await startFakeApiServer({ objects: pods });
  });
  after(() => server.close());

  it('follows continue tokens through three pages of 500 and keeps every pod in order', async () => {
    server.requests.length = 0;
    const snap = await loadLive(request(kubeconfigFor(server.url, { namespace: 'big' })), ['Pod']);
    assert.equal(snap.pods.length, 1200);
    assert.deepEqual(snap.pods.map((p) => p.metadata?.name), pods.map((p) => p.metadata?.name));
    assert.equal(server.requests.length, 3);
    assert.ok(server.requests.every((r) => r.query.get('limit') === String(CHUNK_SIZE)));
    assert.equal(server.requests[0]!.query.get('continue'), null);
    // Each page asks for exactly the token the previous answer gave.
    assert.equal(server.requests[1]!.query.get('continue'), server.requests[0]!.continueIssued);
    assert.equal(server.requests[2]!.query.get('continue'), server.requests[1]!.continueIssued);
    assert.equal(server.requests[2]!.continueIssued, undefined);
    assert.ok(server.requests.some((r) => r.gzipped), 'pages large enough to be gzipped were read');
  });
});

describe('live source: proxy settings from the cluster', () => {
  const kubeProxy: KubeObj = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kube-proxy', namespace: 'kube-system' },
    data: { 'config.conf': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: 10.244.0.0/16\nmode: ""\n' },
  };
  const ovn: KubeObj = {
    apiVersion: 'config.openshift.io/v1',
    kind: 'Network',
    metadata: { name: 'cluster' },
    spec: { clusterNetwork: [{ cidr: '10.128.0.0/14', hostPrefix: 23 }], serviceNetwork: ['172.30.0.0/16'], networkType: 'OVNKubernetes' },
    status: { clusterNetwork: [{ cidr: '10.128.0.0/14', hostPrefix: 23 }], serviceNetwork: ['172.30.0.0/16'], networkType: 'OVNKubernetes' },
  };
  const node: KubeObj = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-0' } };

  it('reads the kube-proxy ConfigMap and the OpenShift Network config, and notes OVN-Kubernetes', async () => {
    const server = await startFakeApiServer({ objects: [kubeProxy, ovn, node] });
    try {
      const snap = await loadLive(request(kubeconfigFor(server.url)), ['Node']);
      assert.equal(snap.proxy?.kubeProxyConfiguration?.clusterCIDR, '10.244.0.0/16');
      assert.deepEqual(snap.proxy?.clusterNetworkCIDRs, ['10.128.0.0/14']);
      assert.deepEqual(snap.proxy?.serviceNetworkCIDRs, ['172.30.0.0/16']);
      assert.equal(snap.proxy?.origin, 'ConfigMap kube-system/kube-proxy, Network.config.openshift.io cluster');
      assert.match(dataplaneNote(snap.proxy) ?? '', /OVNKubernetes/);
    } finally {
      await server.close();
    }
  });

  it('goes on without them when forbidden or absent, with a note only under -v', async () => {
    const server = await startFakeApiServer({
      objects: [kubeProxy, node],
      authorize: (_who, _verb, resource) => resource !== 'configmaps',
    });
    try {
      const quiet = request(kubeconfigFor(server.url));
      const snap = await loadLive(quiet, ['Node']);
      assert.equal(snap.proxy, undefined);
      assert.equal(snap.nodes.length, 1);
      assert.deepEqual(quiet.notes, []);

      const loud = request(kubeconfigFor(server.url), { verbose: 1 });
      await loadLive(loud, ['Node']);
      assert.ok(loud.notes.some((l) => /kube-proxy ConfigMap .* not used: configmaps "kube-proxy" is forbidden: User "system:admin" cannot get resource "configmaps" in API group "" in the namespace "kube-system"/.test(l)), loud.notes.join('\n'));
      assert.ok(loud.notes.some((l) => /cluster network configuration .* not used: not found/.test(l)), loud.notes.join('\n'));
    } finally {
      await server.close();
    }
  });
});

describe('live source: requests and credentials', () => {
  it("passes the server's Warning headers on once, as kubectl prints them", async () => {
    const server = await startFakeApiServer({
      objects: demoObjects(),
      warnings: (path) => (path.endsWith('/endpoints') ? ['299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"'] : []),
    });
    try {
      const req = request(kubeconfigFor(server.url), { allNamespaces: true });
      await loadLive(req, ['Endpoints', 'Service']);
      assert.deepEqual(req.notes, ['Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice']);
    } finally {
      await server.close();
    }
  });

  it('sends the bearer token of the kubeconfig user', async () => {
    const server = await startFakeApiServer({ objects: demoObjects(), authenticate: bearerTokens({ 'tok-123': 'alice' }) });
    try {
      const snap = await loadLive(request(kubeconfigFor(server.url, { user: { token: 'tok-123' } }), { allNamespaces: true }), ['Service']);
      assert.ok(snap.services.length > 0);
      assert.equal(server.requests[0]!.headers.authorization, 'Bearer tok-123');
    } finally {
      await server.close();
    }
  });

  it('runs an exec credential plugin, as client-node supports it', async () => {
    const server = await startFakeApiServer({ objects: demoObjects(), authenticate: bearerTokens({ 'from-exec-plugin': 'bob' }) });
    const plugin = join(dir, 'exec-plugin.sh');
    writeFileSync(plugin, readFileSync(join(FIXTURES, 'exec-credential.sh')));
    chmodSync(plugin, 0o755);
    try {
      const kc = kubeconfigFor(server.url, {
        user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, args: ['from-exec-plugin'], interactiveMode: 'Never' } },
      });
      const snap = await loadLive(request(kc, { allNamespaces: true }), ['Service']);
      assert.ok(snap.services.length > 0);
      assert.equal(server.requests[0]!.headers.authorization, 'Bearer from-exec-plugin');
    } finally {
      await server.close();
    }
  });

  it('uses basic auth when the user has a username and password', async () => {
    const server = await startFakeApiServer({
      objects: demoObjects(),
      authenticate: (req) => (req.headers.authorization === `Basic ${Buffer.from('admin:pw-1').toString('base64')}` ? { name: 'admin' } : undefined),
    });
    try {
      const snap = await loadLive(request(kubeconfigFor(server.url, { user: { username: 'admin', password: 'pw-1' } }), { allNamespaces: true }), ['Node']);
      assert.ok(snap.nodes.length > 0);
    } finally {
      await server.close();
    }
  });

  it("trusts the kubeconfig's certificate-authority-data over TLS", async (t) => {
    if (!needs(t, 'openssl')) return;
    const cert = selfSignedCert()!;
    const server = await startFakeApiServer({ objects: demoObjects(), tls: cert });
    try {
      const kc = kubeconfigFor(server.url, { cluster: { 'certificate-authority-data': Buffer.from(cert.cert).toString('base64') } });
      const snap = await loadLive(request(kc, { allNamespaces: true }), ['Node']);
      assert.ok(snap.nodes.length > 0);
    } finally {
      await server.close();
    }
  });

  it("works in a pod with the service account's CA and token file (trimmed, as client-go reads it)", async (t) => {
    if (!needs(t, 'openssl')) return;
    const cert = selfSignedCert()!;
    const server = await startFakeApiServer({ objects: demoObjects(), tls: cert, authenticate: bearerTokens({ 'sa-token': 'system:serviceaccount:team:default' }) });
    const sa = mkdtempSync(join(dir, 'sa-'));
    writeFileSync(join(sa, 'token'), 'sa-token\n');
    writeFileSync(join(sa, 'ca.crt'), cert.cert);
    writeFileSync(join(sa, 'namespace'), 'test-services');
    try {
      const [host, port] = server.address.split(':');
      const target = resolveTarget({ env: { KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: port }, serviceAccountDir: sa });
      const creds = await credentialsFor(target);
      const client = createApiClient({ server: target.server, options: creds.options, timeoutMs: 5000, secrets: [], warn: () => {}, verbose: 0 });
      const list = (await client.get({ verb: 'list', resource: 'services', namespace: target.namespace, path: `/api/v1/namespaces/${target.namespace}/services` })) as { items: unknown[] };
      assert.ok(list.items.length > 0);
      assert.equal(server.requests[0]!.headers.authorization, 'Bearer sa-token');
    } finally {
      await server.close();
    }
  });
});

describe('fetchJSON and clusterConfigured (for explain)', () => {
  const openapi = {
    'api/v1': { openapi: '3.0.0', components: { schemas: { 'io.k8s.api.core.v1.Service': { description: 'Service is a named abstraction' } } } },
  };

  it('GETs /openapi/v3 and the document it points at, with the credentials', async () => {
    const server = await startFakeApiServer({ openapi, authenticate: bearerTokens({ t1: 'carol' }) });
    try {
      const req = request(kubeconfigFor(server.url, { user: { token: 't1' } }));
      const index = (await fetchJSON(req, '/openapi/v3')) as { paths: Record<string, { serverRelativeURL: string }> };
      const url = index.paths['api/v1']!.serverRelativeURL;
      assert.equal(url, '/openapi/v3/api/v1?hash=FAKEHASH');
      assert.deepEqual(await fetchJSON(req, url), openapi['api/v1']);
      assert.equal(server.requests[1]!.query.get('hash'), 'FAKEHASH');
      assert.ok(server.requests.every((r) => r.headers.authorization === 'Bearer t1'));
      onlyGets(server);
    } finally {
      await server.close();
    }
  });

  it('turns a 404 into NotFoundError with the server message', async () => {
    const server = await startFakeApiServer({});
    try {
      await assert.rejects(fetchJSON(request(kubeconfigFor(server.url)), '/openapi/v3'), (e: Error) =>
        e instanceof NotFoundError && e.message === 'Error from server (NotFound): the server could not find the requested resource',
      );
    } finally {
      await server.close();
    }
  });

  it('says whether a cluster is configured without loading anything', () => {
    assert.equal(clusterConfigured(request(kubeconfigFor('http://127.0.0.1:1'))), true);
    assert.equal(clusterConfigured(request(undefined, { env: { HOME: join(dir, 'nohome') } })), false);
  });
});
