// The real kubectl against the same fake API server: it must accept the fake as an API server
// (so the fake is faithful), list the same objects svctrace's live source lists, send the same
// list requests, and fail with the same words where svctrace copies them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { loadLive } from '../../src/cluster/live.js';
import type { SourceRequest } from '../../src/cluster/source.js';
import type { KubeObject } from '../../src/cluster/types.js';
import { demoObjects, kubeconfigYAML, startFakeApiServer, type FakeApiServer, type KubeObj } from '../helpers/fake-apiserver.js';
import { needs } from '../helpers/prereq.js';
import { sourceRequest } from '../helpers/source-request.js';

const bigPods: KubeObj[] = Array.from({ length: 1200 }, (_, i) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `load-${String(i).padStart(4, '0')}`, namespace: 'load', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
}));

let dir: string;
let server: FakeApiServer;
let kubeconfig: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'svctrace-kubectl-'));
  server = await startFakeApiServer({ objects: [...demoObjects(), ...bigPods] });
  kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigYAML({ server: server.url, namespace: 'test-services', user: { token: 'kubectl-test-token' } }));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real kubectl without blocking the event loop (the fake server lives in this process). */
function kubectl(kc: string, ...args: string[]): Promise<Run> {
  // HOME in the temp dir: kubectl's discovery cache must not come from or go to the real one.
  const env = { PATH: process.env.PATH ?? '/usr/bin', HOME: dir };
  return new Promise((resolve) =>
    execFile('kubectl', ['--kubeconfig', kc, ...args], { env, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

const svctrace = (...args: string[]) => runCli(['node', 'svctrace', ...args], { env: { KUBECONFIG: kubeconfig, HOME: dir } });

const request = (over: Partial<SourceRequest> = {}) => sourceRequest({ kubeconfig, env: { HOME: dir }, ...over });

/** The list requests (path and query) a run made, from the fake server's record. */
async function listRequests(run: () => Promise<unknown>): Promise<string[]> {
  server.requests.length = 0;
  await run();
  return server.requests.filter((r) => r.query.has('limit')).map((r) => `${r.method} ${r.path}?${r.query}`);
}

async function kubectlItems(t: TestContext, ...args: string[]): Promise<KubeObject[] | undefined> {
  if (!needs(t, 'kubectl')) return undefined;
  const r = await kubectl(kubeconfig, ...args, '-o', 'json');
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { items: KubeObject[] }).items;
}

describe('kubectl and svctrace read the same cluster', () => {
  it('services across namespaces: the same objects, apiVersion/kind included', async (t) => {
    const items = await kubectlItems(t, 'get', 'svc', '-A');
    if (!items) return;
    const live = await loadLive(request({ allNamespaces: true }), ['Service']);
    assert.ok(items.length > 0);
    assert.deepEqual(live.services, items);
  });

  it("pods, endpoints, endpointslices in the context's namespace; nodes and namespaces", async (t) => {
    const pods = await kubectlItems(t, 'get', 'pods');
    if (!pods) return;
    const live = await loadLive(request(), ['Pod', 'Endpoints', 'EndpointSlice', 'Node', 'Namespace']);
    assert.deepEqual(live.pods, pods);
    assert.deepEqual(live.endpoints, await kubectlItems(t, 'get', 'endpoints'));
    assert.deepEqual(live.endpointSlices, await kubectlItems(t, 'get', 'endpointslices'));
    assert.deepEqual(live.nodes, await kubectlItems(t, 'get', 'nodes'));
    assert.deepEqual(live.namespaces, await kubectlItems(t, 'get', 'namespaces'));
  });

  it('pages through 1,200 pods with the same requests kubectl sends', async (t) => {
    if (!needs(t, 'kubectl')) return;
    let names = '';
    const theirs = await listRequests(async () => {
      const r = await kubectl(kubeconfig, 'get', 'pods', '-n', 'load', '-o', 'name', '--request-timeout', '30s');
      assert.equal(r.code, 0, r.stderr);
      names = r.stdout;
    });
    let live: KubeObject[] = [];
    const ours = await listRequests(async () => {
      live = (await loadLive(request({ namespace: 'load' }), ['Pod'])).pods;
    });
    assert.equal(theirs.length, 3);
    assert.deepEqual(ours, theirs);
    assert.equal(names, live.map((p) => `pod/${p.metadata?.name}\n`).join(''));
  });

  it('svctrace get -o name lists what kubectl get -o name lists', async (t) => {
    if (!needs(t, 'kubectl')) return;
    for (const args of [['svc', '-A'], ['pods'], ['endpointslices', '-A'], ['endpoints', '-n', 'test-loadbalancer'], ['nodes']]) {
      const theirs = await kubectl(kubeconfig, 'get', ...args, '-o', 'name');
      const ours = await svctrace('get', ...args, '-o', 'name');
      assert.equal(theirs.code, 0, theirs.stderr);
      assert.equal(ours.exitCode, 0, ours.stderr);
      assert.ok(theirs.stdout.length > 0);
      assert.equal(ours.stdout, theirs.stdout, args.join(' '));
    }
  });

  it('svctrace get -o json|yaml prints byte for byte what kubectl get -o json|yaml prints', async (t) => {
    if (!needs(t, 'kubectl')) return;
    const cases = [
      ['svc', '-A'], ['endpointslices'], ['pods', '-A'], ['nodes'], ['endpoints', '-n', 'test-nodeport'],
      ['svc', 'postgresql'], ['svc', 'postgresql', 'django-psql-example'], ['svc', '-l', 'app=django-psql-example'],
      ['pods', '-A', '-l', 'name in (postgresql,django-psql-example),deploymentconfig'], ['pods', 'no-such-pod'],
    ];
    for (const args of cases) {
      for (const format of ['json', 'yaml']) {
        const theirs = await kubectl(kubeconfig, 'get', ...args, '-o', format);
        const ours = await svctrace('get', ...args, '-o', format);
        const what = `${args.join(' ')} -o ${format}`;
        assert.equal(ours.exitCode !== 0, theirs.code !== 0, `${what}: ${ours.stderr}${theirs.stderr}`);
        assert.equal(ours.stdout, theirs.stdout, what);
        if (theirs.code !== 0) assert.equal(ours.stderr, theirs.stderr, what);
      }
    }
  });

  it('GETs named objects one by one, in order, as kubectl does', async (t) => {
    if (!needs(t, 'kubectl')) return;
    // Resource requests only: kubectl also reads discovery, which svctrace has built in.
    const resourceRequests = async (run: () => Promise<unknown>) => {
      server.requests.length = 0;
      await run();
      return server.requests.filter((r) => /\/namespaces\/|\/nodes\//.test(r.path)).map((r) => `${r.method} ${r.path}?${r.query}`);
    };
    // A name not found makes kubectl ask whether its namespace exists (not for "default").
    const cases = [
      ['svc', 'postgresql', 'django-psql-example'], ['pod/django-psql-example-1-grddz', 'svc/nope'], ['nodes', 'worker0.ocp4.labs.semperti.local'],
      ['svc', 'nope', 'postgresql', '-n', 'no-such-ns'], ['svc', 'nope', '-n', 'default'], ['nodes', 'nope'],
    ];
    for (const args of cases) {
      let theirs: Awaited<ReturnType<typeof kubectl>> | undefined;
      let ours: Awaited<ReturnType<typeof svctrace>> | undefined;
      const theirRequests = await resourceRequests(async () => (theirs = await kubectl(kubeconfig, 'get', ...args, '-o', 'name', '--request-timeout', '30s')));
      const ourRequests = await resourceRequests(async () => (ours = await svctrace('get', ...args, '-o', 'name')));
      assert.ok(theirRequests.length >= 1 && theirRequests.every((r) => r.startsWith('GET ') && !r.includes('limit=')), theirRequests.join(' '));
      assert.deepEqual(ourRequests, theirRequests, args.join(' '));
      assert.equal(ours!.stdout, theirs!.stdout, args.join(' '));
      assert.equal(ours!.stderr, theirs!.stderr, args.join(' '));
    }
  });

  it('sends -l to the server with its lists, as kubectl sends it', async (t) => {
    if (!needs(t, 'kubectl')) return;
    for (const selector of ['app=django-psql-example', 'name in (postgresql, django-psql-example),!deploymentconfig']) {
      const theirs = await listRequests(() => kubectl(kubeconfig, 'get', 'pods', '-A', '-l', selector, '-o', 'name', '--request-timeout', '30s'));
      const ours = await listRequests(() => svctrace('get', 'pods', '-A', '-l', selector, '-o', 'name'));
      assert.equal(theirs.length, 1);
      assert.ok(theirs[0]!.includes('labelSelector='), theirs[0]);
      assert.deepEqual(ours, theirs);
    }
  });
});

describe('describe svc: the part kubectl prints is what the real kubectl prints', () => {
  it('every demo service, and services with dual stack, named target ports, 4+ endpoints, LB fields, headless, no selector, no endpoints', async (t) => {
    if (!needs(t, 'kubectl')) return;
    // Objects as an API server returns them (defaults applied); none uses appProtocol or
    // trafficDistribution, whose lines kubectl 1.32 does not print yet (newer kubectl does,
    // and so does svctrace: test/output/describe-service.test.ts).
    const extra = JSON.parse(readFileSync('test/fixtures/live/describe-services.json', 'utf8')) as KubeObj[];
    const all = [...demoObjects(), ...extra];
    const api = await startFakeApiServer({ objects: all });
    try {
      const kc = join(dir, 'kubeconfig-describe');
      writeFileSync(kc, kubeconfigYAML({ server: api.url, user: { token: 'describe-token' } }));
      const services = all.filter((o) => o.kind === 'Service');
      assert.ok(services.length >= 12);
      for (const svc of services) {
        const args = ['describe', 'svc', svc.metadata!.name!, '-n', svc.metadata!.namespace!];
        const theirs = await kubectl(kc, ...args);
        const ours = await runCli(['node', 'svctrace', '--kubeconfig', kc, ...args], { env: { HOME: dir } });
        const what = args.join(' ');
        assert.equal(theirs.code, 0, `${what}: ${theirs.stderr}`);
        assert.equal(ours.exitCode, 0, `${what}: ${ours.stderr}`);
        // kubectl's text ends with its Events line; svctrace's join follows after a blank line.
        assert.match(theirs.stdout, /\nEvents: +<none>\n$/, what);
        assert.equal(ours.stdout.slice(0, theirs.stdout.length), theirs.stdout, what);
        assert.equal(ours.stdout[theirs.stdout.length], '\n', what);
      }
    } finally {
      await api.close();
    }
  });
});

describe('kubectl and svctrace fail with the same words', () => {
  it('403: the API server message kubectl prints', async (t) => {
    if (!needs(t, 'kubectl')) return;
    const denying = await startFakeApiServer({
      objects: demoObjects(),
      authenticate: () => ({ name: 'developer' }),
      authorize: (_w, verb, resource) => !(verb === 'list' && resource === 'services'),
    });
    try {
      const kc = join(dir, 'kc-403');
      writeFileSync(kc, kubeconfigYAML({ server: denying.url, namespace: 'test-services' }));
      const theirs = await kubectl(kc, 'get', 'svc', '-o', 'name');
      const ours = await runCli(['node', 'svctrace', 'get', 'svc', '-o', 'name'], { env: { KUBECONFIG: kc, HOME: dir } });
      const message = 'services is forbidden: User "developer" cannot list resource "services" in API group "" in the namespace "test-services"';
      assert.equal(theirs.stderr.trim().split('\n').pop(), `Error from server (Forbidden): ${message}`);
      assert.equal(ours.stderr, `error: ${message}\n`);
    } finally {
      await denying.close();
    }
  });

  it("401 and a refused connection: kubectl's lines", async (t) => {
    if (!needs(t, 'kubectl')) return;
    const refusing = await startFakeApiServer({ authenticate: () => undefined });
    try {
      const kc = join(dir, 'kc-401');
      writeFileSync(kc, kubeconfigYAML({ server: refusing.url }));
      const theirs = await kubectl(kc, 'get', 'svc', '-o', 'name');
      const ours = await runCli(['node', 'svctrace', 'get', 'svc', '-o', 'name'], { env: { KUBECONFIG: kc, HOME: dir } });
      assert.equal(ours.stderr.trim(), theirs.stderr.trim().split('\n').pop());
    } finally {
      await refusing.close();
    }
    const kc = join(dir, 'kc-refused');
    writeFileSync(kc, kubeconfigYAML({ server: refusing.url }));
    const theirs = await kubectl(kc, 'get', 'svc', '-o', 'name');
    const ours = await runCli(['node', 'svctrace', 'get', 'svc', '-o', 'name'], { env: { KUBECONFIG: kc, HOME: dir } });
    assert.match(ours.stderr, /was refused/);
    assert.equal(ours.stderr, `error: ${theirs.stderr.trim().split('\n').pop()}\n`);
  });
});
