// The real kubectl as the oracle: `kubectl explain` against the fake cluster (which serves
// the generated offline schema plus an OpenShift group) must print exactly what svctrace
// prints, live and offline; errors must carry kubectl's message. Needs kubectl on PATH
// (skipped otherwise; required under SVCTRACE_REQUIRE_PREREQS=1). svctrace differs on
// purpose in two ways: exit code 2 instead of 1, and "error: " before "the server doesn't
// have a resource type", as every svctrace usage error.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { needs } from '../helpers/prereq.js';
import { startFakeCluster, type FakeCluster } from './cluster.js';
import { schemaEnv } from './schema.js';
import { CASES, ERRORS } from './cases.js';

describe('svctrace explain against kubectl explain', () => {
  let cluster: FakeCluster;
  let cacheDir: string;
  before(async () => {
    cluster = await startFakeCluster();
    cacheDir = `${cluster.env.HOME}/kube-cache`;
  });
  after(() => cluster.close());

  // Asynchronous: the fake server answers kubectl from this very process.
  const kubectl = (args: string[]) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      const argv = ['--kubeconfig', cluster.kubeconfig, '--cache-dir', cacheDir, '--request-timeout', '20s', 'explain', ...args];
      execFile('kubectl', argv, { encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH, HOME: cluster.env.HOME } }, (err, stdout, stderr) =>
        resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
      );
    });
  const svctrace = (env: Record<string, string>, args: string[]) => runCli(['node', 'svctrace', 'explain', ...args], { env });

  for (const args of CASES) {
    it(`explain ${args.join(' ')}`, async (t) => {
      if (!needs(t, 'kubectl')) return;
      const want = await kubectl(args);
      assert.equal(want.status, 0, want.stderr);
      const live = await svctrace(cluster.env, args);
      assert.equal(live.stdout, want.stdout, 'live');
      if (!args[0]!.startsWith('networks')) {
        const offline = await svctrace(schemaEnv(), args);
        assert.equal(offline.stdout, want.stdout, 'offline');
      }
    });
  }

  for (const args of ERRORS) {
    it(`fails like kubectl: explain ${args.join(' ')}`, async (t) => {
      if (!needs(t, 'kubectl')) return;
      const want = await kubectl(args);
      assert.equal(want.status, 1);
      // kubectl prints KIND/VERSION before some errors; its last stderr line is the message.
      const line = want.stderr.trim().split('\n').pop()!;
      const got = await svctrace(cluster.env, args);
      assert.equal(got.exitCode, 2);
      assert.equal(got.stdout, '');
      assert.equal(got.stderr, line + '\n');
    });
  }

  it('names an unknown type as kubectl does (svctrace adds "error: ")', async (t) => {
    if (!needs(t, 'kubectl')) return;
    const want = await kubectl(['widgets']);
    assert.equal(want.stderr, 'the server doesn\'t have a resource type "widgets"\n');
    assert.equal((await svctrace(cluster.env, ['widgets'])).stderr, `error: ${want.stderr}`);
  });
});
