// Live explain: with a kubeconfig and neither -f nor --demo, explain reads the cluster's
// discovery and /openapi/v3 (index, then the one group-version document), as kubectl does,
// through the live source's fetchJSON. The fake cluster serves the generated offline schema,
// so live and offline output must be identical; what differs must come from the cluster.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { startFakeCluster, type FakeCluster } from './cluster.js';
import { generatedDoc, schemaEnv } from './schema.js';

const run = (env: Record<string, string>, ...args: string[]) => runCli(['node', 'svctrace', 'explain', ...args], { env });

describe('live explain', () => {
  let cluster: FakeCluster;
  const live = (...args: string[]) => run({ ...cluster.env, ...schemaEnv() }, ...args);
  const offline = (...args: string[]) => run(schemaEnv(), ...args);
  // Paths asked since `from`, with their query but without the client's timeout parameter.
  const since = (from: number) =>
    cluster.server.requests.slice(from).map((r) => {
      const q = new URLSearchParams(r.query);
      q.delete('timeout');
      return r.path + (q.size ? `?${q}` : '');
    });

  before(async () => {
    cluster = await startFakeCluster();
  });
  after(() => cluster.close());

  // Arguments explained from the cluster and offline, which must print the same bytes.
  const SAME: string[][] = [
    ['service'],
    ['svc.spec.type'],
    ['svc.spec', '--recursive'],
    ['ep.subsets'],
    ['po.spec.containers.ports'],
    ['no.status.addresses'],
    ['endpointslices'],
    ['endpointslices.discovery.k8s.io.endpoints.conditions'],
    ['svc', '--api-version', 'v1'],
  ];
  for (const args of SAME) {
    it(`prints the same as offline for explain ${args.join(' ')}`, async () => {
      const [l, o] = [await live(...args), await offline(...args)];
      assert.equal(l.stderr, '');
      assert.equal(l.exitCode, 0);
      assert.equal(l.stdout, o.stdout);
    });
  }

  it('asks for core discovery, the index and the one document, as kubectl does', async () => {
    const from = cluster.server.requests.length;
    const r = await live('svc.spec.type');
    assert.equal(r.exitCode, 0);
    assert.deepEqual(since(from), ['/api/v1', '/openapi/v3', '/openapi/v3/api/v1?hash=FAKEHASH']);
    assert.ok(cluster.server.requests.slice(from).every((q) => q.method === 'GET'));
  });

  it('reads every group\'s discovery only for a name the core group does not have', async () => {
    const from = cluster.server.requests.length;
    await live('endpointslices');
    assert.deepEqual(since(from), ['/api/v1', '/apis', '/apis/discovery.k8s.io/v1', '/apis/config.openshift.io/v1', '/openapi/v3', '/openapi/v3/apis/discovery.k8s.io/v1?hash=FAKEHASH']);
  });

  it('reports a path it cannot parse without reading every group', async () => {
    const from = cluster.server.requests.length;
    const r = await live('service..spec');
    assert.equal(r.stderr, 'error: invalid jsonpath syntax, first node must be field node\n');
    assert.deepEqual(since(from), ['/api/v1']);
  });

  it('explains the cluster\'s own kinds (OpenShift\'s networks.config.openshift.io)', async () => {
    const r = await live('networks.config.openshift.io.spec');
    assert.equal(r.exitCode, 0, r.stderr);
    assert.ok(r.stdout.startsWith('GROUP:      config.openshift.io\nKIND:       Network\nVERSION:    v1\n\nFIELD: spec <NetworkSpec>\n\n\nDESCRIPTION:\n    spec holds user settable values for configuration.'), r.stdout);
    assert.match(r.stdout, /\nFIELDS:\n  networkType\t<string>\n/);
    assert.match(r.stdout, /\n  serviceNetwork\t<\[\]string>\n/);
    const o = await offline('networks.spec');
    assert.equal(o.exitCode, 2);
    assert.equal(o.stderr, 'error: the server doesn\'t have a resource type "networks"\n');
  });

  it('uses --demo\'s offline schema even with a kubeconfig, without asking the cluster', async () => {
    const from = cluster.server.requests.length;
    const r = await live('svc', '--demo');
    assert.equal(r.stdout, (await offline('svc')).stdout);
    assert.deepEqual(since(from), []);
  });

  it('reports unknown types and fields as offline does', async () => {
    assert.deepEqual(await live('svc.spec.nope'), await offline('svc.spec.nope'));
    const unknown = await live('widgets');
    assert.equal(unknown.exitCode, 2);
    assert.equal(unknown.stderr, 'error: the server doesn\'t have a resource type "widgets"\n');
  });
});

describe('live explain follows the cluster, not svctrace\'s copy', () => {
  it('prints the descriptions the cluster serves', async () => {
    const doc = structuredClone(generatedDoc('api/v1')) as { components: { schemas: Record<string, { description?: string }> } };
    doc.components.schemas['io.k8s.api.core.v1.Service']!.description = 'Service as this cluster (version 1.99) describes it.';
    const cluster = await startFakeCluster({ 'api/v1': doc });
    try {
      const r = await run(cluster.env, 'service');
      assert.ok(r.stdout.startsWith('KIND:       Service\nVERSION:    v1\n\nDESCRIPTION:\n    Service as this cluster (version 1.99) describes it.\n    \nFIELDS:\n'), r.stdout);
    } finally {
      await cluster.close();
    }
  });

  it('falls back to /openapi/v2 without /openapi/v3, and fails with exit 3 when neither is served', async () => {
    const cluster = await startFakeCluster({}, { openapi: undefined });
    try {
      const r = await run(cluster.env, 'service');
      assert.equal(r.exitCode, 3);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, 'error: the cluster serves neither /openapi/v3 nor /openapi/v2: use --demo for the schema built into svctrace\n');
      assert.deepEqual(
        cluster.server.requests.filter((q) => q.path.startsWith('/openapi')).map((q) => `${q.path} ${q.status}`),
        ['/openapi/v3 404', '/openapi/v2 404'],
      );
    } finally {
      await cluster.close();
    }
  });
});
