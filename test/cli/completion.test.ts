import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.js';

const cli = (...args: string[]) => runCli(['node', 'svctrace', ...args], { env: {} });

/** Asks bash for the completions of a command line, using the generated script. */
function bashComplete(script: string, line: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'svctrace-completion-'));
  const file = join(dir, 'svctrace.bash');
  writeFileSync(file, script);
  const words = line.map((w) => `'${w}'`).join(' ');
  const probe = `source ${file}; COMP_WORDS=(${words}); COMP_CWORD=${line.length - 1}; _svctrace; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', probe], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
}

describe('svctrace completion', () => {
  it('bash: a script bash accepts', async () => {
    const r = await cli('completion', 'bash');
    assert.equal(r.exitCode, 0);
    const check = spawnSync('bash', ['-n'], { input: r.stdout, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
  });

  it('bash: completes commands, resource types, flag values and per-command flags', async () => {
    const { stdout } = await cli('completion', 'bash');
    assert.deepEqual(bashComplete(stdout, ['svctrace', 'tr']), ['trace']);
    assert.deepEqual(bashComplete(stdout, ['svctrace', 'get', 'endp']), ['endpoints', 'endpointslices']);
    assert.deepEqual(bashComplete(stdout, ['svctrace', 'rules', '--format', '']), ['restore', 'save']);
    assert.deepEqual(bashComplete(stdout, ['svctrace', '-o', 'ya']), ['yaml']);
    assert.ok(bashComplete(stdout, ['svctrace', 'trace', '--']).includes('--to'));
    assert.ok(!bashComplete(stdout, ['svctrace', 'get', '--']).includes('--to'), 'get has no --to');
  });

  it('zsh and fish: name every command and flag', async () => {
    for (const shell of ['zsh', 'fish']) {
      const { stdout, exitCode } = await cli('completion', shell);
      assert.equal(exitCode, 0);
      for (const word of ['get', 'describe', 'explain', 'rules', 'trace', 'check', 'proxy-version', 'iptables-save']) {
        assert.ok(stdout.includes(word), `${shell} script mentions ${word}`);
      }
    }
  });

  it('refuses an unknown shell with exit code 2', async () => {
    const r = await cli('completion', 'tcsh');
    assert.equal(r.exitCode, 2);
    assert.equal(r.stderr, 'error: unsupported shell "tcsh": use bash, zsh or fish\n');
  });
});
