// README's sessions are real output: every "$ svctrace ..." block without an elision ("...")
// or a pipe must print exactly what the block shows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runCli } from '../src/cli/main.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```\n\$ svctrace ([^\n]*)\n([\s\S]*?)```/g)].map((m) => ({ command: m[1]!, output: m[2]! }));

describe("README's RBAC", () => {
  it('is the RBAC docs/live.md gives (which test/cluster/live-rbac.test.ts proves the smallest)', () => {
    const rbac = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(rbac, 'README has the RBAC block');
    assert.ok(readFileSync(new URL('../docs/live.md', import.meta.url), 'utf8').includes(rbac));
  });
});

describe('README sessions', () => {
  it('has sessions to check', () => assert.ok(blocks.length >= 3));
  for (const b of blocks) {
    if (b.command.includes('|') || b.output.includes('...')) continue;
    it(`svctrace ${b.command}`, async () => {
      const r = await runCli(['node', 'svctrace', ...b.command.split(' ')], { env: {} });
      assert.equal(r.stdout, b.output);
    });
  }
});
