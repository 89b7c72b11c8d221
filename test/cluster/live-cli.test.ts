// End to end: every command prints the same thing from a live cluster as from the same
// objects offline. The fake API server serves the demo cluster; a kubeconfig whose context
// namespace is the demo's (test-services) points at it; --demo (and -f demo-cluster.yaml)
// read the same YAML. Whatever a command does, live and offline must agree byte for byte.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/main.js';
import { DEMO_YAML, demoObjects, kubeconfigYAML, startFakeApiServer, type FakeApiServer } from '../helpers/fake-apiserver.js';

const SCHEMA_DIR = fileURLToPath(new URL('../../dist/explain/', import.meta.url));
// The walkthrough's clock, so AGE columns are the same on both sides.
const NOW = '2020-09-15T12:00:00Z';

let dir: string;
let server: FakeApiServer;
let kubeconfig: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'svctrace-live-cli-'));
  server = await startFakeApiServer({ objects: demoObjects(), openapi: offlineOpenApi() });
  kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigYAML({ server: server.url, namespace: 'test-services', user: { token: 't' } }));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The offline explain schema (dist/explain, built by `npm run build`) as a cluster would serve it. */
function offlineOpenApi(): Record<string, unknown> | undefined {
  const indexFile = join(SCHEMA_DIR, 'openapi-v3.json');
  if (!existsSync(indexFile)) return undefined;
  const index = JSON.parse(readFileSync(indexFile, 'utf8')) as { paths: Record<string, { file?: string }> };
  return Object.fromEntries(
    Object.entries(index.paths)
      .filter(([, e]) => e.file)
      .map(([k, e]) => [k, JSON.parse(readFileSync(join(SCHEMA_DIR, e.file!), 'utf8'))]),
  );
}

const live = (...args: string[]) => runCli(['node', 'svctrace', ...args], { env: { KUBECONFIG: kubeconfig, HOME: dir, SVCTRACE_NOW: NOW } });
const offline = (...args: string[]) => runCli(['node', 'svctrace', ...args], { env: { HOME: dir, SVCTRACE_NOW: NOW } });

// Commands as the walkthrough and the command contract use them.
const COMMANDS: string[][] = [
  ['get', 'svc'],
  ['get', 'svc', '-A'],
  ['get', 'svc', '-o', 'wide'],
  ['get', 'svc', '-A', '-o', 'json'],
  ['get', 'svc', '-o', 'yaml'],
  ['get', 'svc', 'django-psql-example', '-o', 'yaml'],
  ['get', 'svc', '-l', 'app=django-psql-example', '--show-labels'],
  ['get', 'ep'],
  ['get', 'endpoints', '-A', '-o', 'wide'],
  ['get', 'endpointslices', '-A'],
  ['get', 'endpointslices', '-o', 'json'],
  ['get', 'pods', '-o', 'wide'],
  ['get', 'pods', '-A', '--no-headers'],
  ['get', 'pods', '-n', 'test-loadbalancer'],
  ['get', 'nodes'],
  ['get', 'nodes', '-o', 'wide'],
  ['get', 'svc,ep'],
  ['get', 'svc', 'no-such-service'],
  ['describe', 'svc', 'django-psql-example'],
  ['describe', 'svc', 'django-psql-example', '--proxy-version', '1.16'],
  ['rules'],
  ['rules', 'django-psql-example'],
  ['rules', '-A'],
  ['trace', '--to', 'svc/django-psql-example'],
  ['trace', '--to', 'svc/django-psql-example', '-o', 'json'],
  ['check'],
  ['check', '-A'],
];

describe('live and --demo print the same', () => {
  for (const args of COMMANDS) {
    it(`svctrace ${args.join(' ')}`, async () => {
      const [fromLive, fromDemo] = [await live(...args), await offline('--demo', ...args)];
      assert.equal(fromLive.stdout, fromDemo.stdout);
      assert.equal(fromLive.stderr, fromDemo.stderr);
      assert.equal(fromLive.exitCode, fromDemo.exitCode);
    });
  }
});

describe('live and -f print the same', () => {
  for (const args of [['get', 'svc', '-A', '-o', 'wide'], ['get', 'pods', '-n', 'test-services'], ['describe', 'svc', 'django-psql-example', '-n', 'test-services']]) {
    it(`svctrace ${args.join(' ')}`, async () => {
      const [fromLive, fromFile] = [await live(...args), await offline('-f', DEMO_YAML, ...args)];
      assert.equal(fromLive.exitCode, fromFile.exitCode, fromLive.stderr + fromFile.stderr);
      assert.equal(fromLive.stdout, fromFile.stdout);
    });
  }

  it('the tables are not empty (the comparison means something)', async () => {
    const r = await live('get', 'svc', '-A');
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /django-psql-example/);
  });
});

describe('explain: live /openapi/v3 and the offline schema agree', () => {
  for (const args of [['explain', 'service.spec.type'], ['explain', 'endpointslice'], ['explain', 'svc.spec.ports', '--recursive']]) {
    it(`svctrace ${args.join(' ')}`, async (t) => {
      if (!offlineOpenApi()) return t.skip('needs the offline schema: npm run build');
      server.requests.length = 0;
      const [fromLive, fromOffline] = [await live(...args), await offline(...args)];
      assert.ok(server.requests.some((r) => r.path.startsWith('/openapi/v3')), 'the live run asked the cluster');
      assert.equal(fromLive.exitCode, 0, fromLive.stderr);
      assert.equal(fromLive.stdout, fromOffline.stdout);
    });
  }
});
