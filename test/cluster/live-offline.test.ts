// Offline commands (--demo, -f, explain without a cluster) must never load
// @kubernetes/client-node (about 300 ms of imports): a child process whose module resolution
// refuses it runs them, and a live command in the same setup proves the guard works.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEMO_YAML, kubeconfigYAML } from '../helpers/fake-apiserver.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DENY = fileURLToPath(new URL('../fixtures/live/deny-client-node.mjs', import.meta.url));
const RUN = fileURLToPath(new URL('../fixtures/live/run-svctrace.ts', import.meta.url));
const MARKER = 'SVCTRACE-TEST: @kubernetes/client-node was loaded';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'svctrace-offline-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function svctrace(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const nodeArgs = ['--import', 'tsx', '--import', DENY, RUN, ...args];
  const childEnv = { PATH: process.env.PATH ?? '/usr/bin', HOME: dir, SVCTRACE_DEBUG: '1', ...env };
  return new Promise((resolve) =>
    execFile(process.execPath, nodeArgs, { cwd: ROOT, env: childEnv }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

describe('offline commands do not load @kubernetes/client-node', () => {
  it('the guard works: a live command trips it', async () => {
    const kc = join(dir, 'kubeconfig');
    writeFileSync(kc, kubeconfigYAML({ server: 'http://127.0.0.1:1' }));
    const r = await svctrace({ KUBECONFIG: kc }, 'get', 'svc');
    assert.ok(r.stderr.includes(MARKER), r.stderr);
  });

  for (const args of [
    ['--demo', 'get', 'svc', '-A'],
    ['-f', DEMO_YAML, 'get', 'pods', '-A', '-o', 'wide'],
    ['--demo', 'describe', 'svc', 'django-psql-example'],
    ['--demo', 'rules'],
    ['--demo', 'trace', '--to', 'svc/django-psql-example'],
    ['--demo', 'check'],
    ['--demo', 'explain', 'service.spec.type'],
    ['explain', 'service.spec.ports'],
    ['completion', 'bash'],
  ]) {
    it(`svctrace ${args.map((a) => (a === DEMO_YAML ? 'demo-cluster.yaml' : a)).join(' ')}`, async () => {
      // No kubeconfig anywhere: explain must stay offline too.
      const r = await svctrace({}, ...args);
      assert.ok(!r.stderr.includes(MARKER), r.stderr);
      assert.ok(!/internal|unknown (command|option)/.test(r.stderr), r.stderr);
      // Commands that exist must have run to the end, not stopped early.
      if (['get', 'describe', 'explain', 'completion'].some((c) => args.includes(c))) {
        assert.equal(r.code, 0, r.stderr);
        assert.ok(r.stdout.length > 0);
      }
    });
  }
});
