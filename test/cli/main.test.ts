import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.js';

const cli = (...args: string[]) => runCli(['node', 'svctrace', ...args], { env: {} });

describe('svctrace launcher', () => {
  it('prints its version and exits 0', async () => {
    const r = await cli('--version');
    assert.equal(r.exitCode, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it('rejects an unknown flag with one line and exit code 2', async () => {
    const r = await cli('get', 'svc', '--bogus');
    assert.equal(r.exitCode, 2);
    assert.equal(r.stderr, "error: unknown option '--bogus'\n");
    assert.equal(r.stdout, '');
  });
});
