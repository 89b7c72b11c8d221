// The built launcher as kubectl and oc plugins: package.json's `kubectl-svctrace` and
// `oc-svctrace` bins make `kubectl svctrace ...` work once they are on PATH. The real kubectl
// finds the plugin on PATH and runs it; its output must be svctrace's own, byte for byte, and
// its exit code must pass through. Needs the build (`npm ci` runs it) and kubectl.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { needs } from '../helpers/prereq.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LAUNCHER = join(ROOT, 'bin', 'svctrace.js');

function run(cmd: string, args: string[], path: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(cmd, args, { env: { PATH: path, HOME: tmpdir(), SVCTRACE_NOW: '2020-09-07T00:00:00Z' } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

describe('kubectl svctrace: the plugin bins', () => {
  let dir: string;
  let path: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'svctrace-plugin-'));
    const bins = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin as Record<string, string>;
    for (const [name, target] of Object.entries(bins)) symlinkSync(join(ROOT, target), join(dir, name));
    path = `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('package.json names the svctrace, kubectl-svctrace and oc-svctrace bins, all the launcher', () => {
    const bins = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin as Record<string, string>;
    assert.deepEqual(bins, { svctrace: 'bin/svctrace.js', 'kubectl-svctrace': 'bin/svctrace.js', 'oc-svctrace': 'bin/svctrace.js' });
    assert.ok(existsSync(join(ROOT, 'dist', 'cli', 'main.js')), 'the build is there (npm ci runs it through "prepare"; else npm run build)');
  });

  it('kubectl runs it as a plugin: the same bytes and exit codes as svctrace itself', async (t) => {
    if (!needs(t, 'kubectl')) return;
    for (const args of [['--demo', 'get', 'svc', '-n', 'test-services'], ['--demo', 'rules', 'django-psql-example', '-n', 'test-services', '--proxy-version', '1.16'], ['--demo', 'get', 'svc', 'nope']]) {
      const direct = await run(LAUNCHER, args, path);
      const plugin = await run('kubectl', ['svctrace', ...args], path);
      assert.equal(plugin.stdout, direct.stdout, args.join(' '));
      assert.equal(plugin.stderr, direct.stderr, args.join(' '));
      assert.equal(plugin.code, direct.code, args.join(' '));
    }
    assert.match((await run('kubectl', ['svctrace', '--demo', 'get', 'svc', '-n', 'test-services'], path)).stdout, /^NAME +TYPE +CLUSTER-IP/);
    const list = await run('kubectl', ['plugin', 'list'], path);
    assert.match(list.stdout, /kubectl-svctrace\n/);
  });
});
