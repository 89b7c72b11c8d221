// kubectl explain's OpenAPI v2 printer, with the real kubectl as the oracle. A cluster without
// /openapi/v3 (before Kubernetes 1.24: the walkthrough's OpenShift 4.3) makes kubectl fall back
// to /openapi/v2; the fake API server then serves the same schema as swagger 2.0 (protobuf to
// kubectl, JSON to svctrace). svctrace must print what kubectl prints, live (the same
// fallback), and offline with --output plaintext-openapiv2; and `--output plaintext-openapiv2`
// against a cluster that has both must agree too.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { swaggerFromV3 } from '../../src/explain/swagger-from-v3.js';
import type { Schema } from '../../src/explain/render.js';
import { needs } from '../helpers/prereq.js';
import { CASES, ERRORS } from './cases.js';
import { networkDoc, startFakeCluster, type FakeCluster } from './cluster.js';
import { generatedDoc, schemaEnv } from './schema.js';

/** The served groups' schemas as one swagger 2.0 document, as /openapi/v2 holds every group. */
const definitions = (): Record<string, Schema> =>
  Object.assign({}, ...[generatedDoc('api/v1'), generatedDoc('apis/discovery.k8s.io/v1'), networkDoc as Schema].map((d) => swaggerFromV3(d).definitions));

function kubectl(cluster: FakeCluster, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const argv = ['--kubeconfig', cluster.kubeconfig, '--cache-dir', `${cluster.env.HOME}/kube-cache`, '--request-timeout', '20s', 'explain', ...args];
  return new Promise((resolve) =>
    execFile('kubectl', argv, { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20, env: { PATH: process.env.PATH, HOME: cluster.env.HOME } }, (err, stdout, stderr) =>
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    ),
  );
}
const svctrace = (env: Record<string, string>, args: string[]) => runCli(['node', 'svctrace', 'explain', ...args], { env });

describe('explain on a cluster without /openapi/v3: kubectl falls back to v2, and so does svctrace', () => {
  let cluster: FakeCluster;
  before(async () => {
    // Only /openapi/v2: no `openapi` makes /openapi/v3 a 404.
    cluster = await startFakeCluster(undefined, { openapi: undefined, openapiV2: { definitions: definitions() } });
  });
  after(() => cluster?.close());

  for (const args of CASES) {
    it(`explain ${args.join(' ')}`, async (t) => {
      if (!needs(t, 'kubectl')) return;
      const want = await kubectl(cluster, args);
      assert.equal(want.status, 0, want.stderr);
      assert.match(want.stdout, /^KIND: {5}\S+\nVERSION: {2}\S+\n\n/, 'the v2 layout');
      const live = await svctrace(cluster.env, args);
      assert.equal(live.stderr, '');
      assert.equal(live.stdout, want.stdout, 'live');
      if (!args[0]!.startsWith('networks')) {
        const offline = await svctrace(schemaEnv(), [...args, '--output', 'plaintext-openapiv2']);
        assert.equal(offline.stdout, want.stdout, 'offline --output plaintext-openapiv2');
      }
    });
  }

  // The v3 error cases; under v2 a path below a primitive is no error (field_lookup.go
  // returns the primitive), so svctrace must then print kubectl's text instead.
  for (const args of ERRORS) {
    it(`answers like kubectl: explain ${args.join(' ')}`, async (t) => {
      if (!needs(t, 'kubectl')) return;
      const want = await kubectl(cluster, args);
      const got = await svctrace(cluster.env, args);
      if (want.status === 0) {
        assert.equal(got.stdout, want.stdout);
        return;
      }
      assert.equal(want.status, 1);
      const line = want.stderr.trim().split('\n').pop()!;
      assert.equal(got.exitCode, 2);
      assert.equal(got.stdout, '');
      assert.equal(got.stderr, line + '\n');
    });
  }

  it('svc.spec.type.x is the type field itself under v2, an error under v3', async (t) => {
    if (!needs(t, 'kubectl')) return;
    const want = await kubectl(cluster, ['svc.spec.type.x']);
    assert.equal(want.status, 0);
    assert.match(want.stdout, /^KIND: {5}Service\nVERSION: {2}v1\n\nFIELD: {4}x <string>\n/);
  });
});

describe('explain --output plaintext-openapiv2 on a cluster that serves both', () => {
  let cluster: FakeCluster;
  before(async () => {
    cluster = await startFakeCluster(undefined, { openapiV2: { definitions: definitions() } }); // and the default v3 documents
  });
  after(() => cluster?.close());

  for (const args of [['service'], ['svc.spec.ports', '--recursive'], ['endpointslice.endpoints'], ['networks.spec']]) {
    it(`explain ${args.join(' ')} --output plaintext-openapiv2`, async (t) => {
      if (!needs(t, 'kubectl')) return;
      const full = [...args, '--output', 'plaintext-openapiv2'];
      const want = await kubectl(cluster, full);
      assert.equal(want.status, 0, want.stderr);
      const got = await svctrace(cluster.env, full);
      assert.equal(got.stdout, want.stdout);
      // ... and the default output is the v3 one, which differs.
      assert.notEqual((await svctrace(cluster.env, args)).stdout, got.stdout);
    });
  }
});
