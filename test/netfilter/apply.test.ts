// applyRestore without the kernel: errors that name the payload line, what a payload's own
// `chains` view holds, and input checks. (kernel-apply.test.ts compares the semantics with the
// real iptables-restore.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../src/errors.js';
import { applyRestore, canonicalRule, emptyRuleset, parseRuleset, printSave, tableOf } from '../../src/netfilter/index.js';

const state = parseRuleset('*filter\n:A - [0:0]\n:B - [0:0]\n-A A -j B\n-A B -j ACCEPT\nCOMMIT\n*nat\n:N - [0:0]\nCOMMIT\n', { source: 'state' });

describe('applyRestore', () => {
  it('names the payload line the kernel would refuse', () => {
    const payload = parseRuleset('*filter\n:C - [0:0]\n-A C -j NOPE\nCOMMIT\n', { source: 'payload.rules' });
    assert.throws(() => applyRestore(state, payload, { noflush: true }), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.message, 'payload.rules:3: chain "NOPE" does not exist: -A C -j NOPE');
      return true;
    });
  });

  it('leaves the state and tables the payload does not name untouched', () => {
    const before = printSave(state);
    const after = applyRestore(state, parseRuleset('*filter\n:B - [0:0]\nCOMMIT\n'), { noflush: true });
    assert.equal(printSave(state), before);
    assert.deepEqual(tableOf(after, 'nat')!.chains.map((c) => c.name), ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', 'N']);
    assert.deepEqual(tableOf(after, 'filter')!.chains.find((c) => c.name === 'B')!.rules, []);
    assert.equal(tableOf(after, 'filter')!.chains.find((c) => c.name === 'A')!.rules.length, 1);
  });

  it('touching a table creates it with its built-in chains', () => {
    const after = applyRestore(emptyRuleset('ipv4', []), parseRuleset('*raw\n:R - [0:0]\nCOMMIT\n'));
    assert.deepEqual(after.tables.map((t) => t.name), ['raw']);
    assert.deepEqual(tableOf(after, 'raw')!.chains.map((c) => c.name), ['PREROUTING', 'OUTPUT', 'R']);
  });

  it('refuses a payload of the other family', () => {
    assert.throws(() => applyRestore(state, parseRuleset('*filter\nCOMMIT\n', { family: 'ipv6' })), InputError);
  });
});

describe('a chain of 200,000 rules', () => {
  // One line can add that many: iptables adds a rule for each -s address and, within it, each
  // -d address (append_entry in iptables.c); iptables-save prints each with its own /32.
  const sources = Array.from({ length: 500 }, (_, i) => `10.1.${i >> 8}.${i & 255}`);
  const destinations = Array.from({ length: 400 }, (_, i) => `10.2.${i >> 8}.${i & 255}`);
  const spec = `-s ${sources.join(',')} -d ${destinations.join(',')} -j ACCEPT`;
  const rule = (s: number, d: number) => `-A BIG -s ${sources[s]}/32 -d ${destinations[d]}/32 -j ACCEPT`;
  const bigChain = (r: ReturnType<typeof applyRestore>) => tableOf(r, 'filter')!.chains.find((c) => c.name === 'BIG')!.rules;

  it('is applied through applyRestore, source by source, each with every destination', () => {
    const payload = parseRuleset(`*filter\n:BIG - [0:0]\n-A BIG ${spec}\nCOMMIT\n`, { source: 'big.rules' });
    const after = applyRestore(emptyRuleset('ipv4', ['filter']), payload);
    const rules = bigChain(after);
    assert.equal(rules.length, 200_000);
    assert.deepEqual([0, 1, 400, 401, 199_999].map((i) => canonicalRule(rules[i]!)), [rule(0, 0), rule(0, 1), rule(1, 0), rule(1, 1), rule(499, 399)]);
    const save = printSave(after).split('\n');
    assert.equal(save.filter((l) => l.startsWith('-A BIG ')).length, 200_000);
    // applied again without flushing: `:BIG - [0:0]` empties the chain first, then the same 200,000
    assert.equal(bigChain(applyRestore(after, payload, { noflush: true })).length, 200_000);
  });

  it('is kept whole by a payload\'s own view when an insert position is out of range there', () => {
    const payload = parseRuleset(`*filter\n:BIG - [0:0]\n-I BIG 5 ${spec}\nCOMMIT\n`, { source: 'big.rules' });
    assert.equal(bigChain(payload).length, 200_000);
  });
});

describe("a payload's own chains view (the fresh namespace it describes)", () => {
  it('keeps what it can of lines that need an existing state', () => {
    const r = parseRuleset('*filter\n-A EXISTING -j ACCEPT\n-D OTHER 3\n-X GONE\nCOMMIT\n');
    assert.deepEqual(tableOf(r, 'filter')!.chains.map((c) => [c.name, c.rules.length]), [
      ['INPUT', 0], ['FORWARD', 0], ['OUTPUT', 0], ['EXISTING', 1],
    ]);
  });
  it('drops chains a payload declares and deletes', () => {
    const r = parseRuleset('*nat\n:KUBE-SVC-OLD - [0:0]\n:KUBE-SERVICES - [0:0]\n-X KUBE-SVC-OLD\nCOMMIT\n');
    assert.deepEqual(tableOf(r, 'nat')!.chains.filter((c) => !c.builtin).map((c) => c.name), ['KUBE-SERVICES']);
  });
});
