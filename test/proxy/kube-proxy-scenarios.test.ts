// kube-proxy's own unit-test scenarios (pkg/proxy/iptables/proxier_test.go, ~v1.33), ported
// to fixtures: our payload, after kube-proxy's sortIPTablesRules, must equal the test's expected
// text byte for byte; single chains must equal assertIPTablesChainEqual's; and the packet-flow
// tables must give the same outputs through a port of the test's tracer.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { renderNode } from '../../src/proxy/render.js';
import { eraNodeIPs, FIXTURES, fakeProxierConfig, loadScenario, snapshotOf, type FakeProxierOptions, type ScenarioFixture } from './support/fake-proxier.js';
import { checkRuleJumps, parseDump, sortIPTablesRules } from './support/kube-proxy-sort.js';
import { tracePacket } from './support/kube-proxy-tracer.js';

function payloadFor(f: ScenarioFixture): string {
  const config = fakeProxierConfig({ era: f.era, version: f.profile, ...(f.fakeProxier ?? {}) });
  const result = renderNode(snapshotOf(f.objects), config);
  const family = result.families.find((x) => x.family === (f.family ?? 4));
  assert.ok(family, `no IPv${f.family ?? 4} payload rendered`);
  return family.payload;
}

function chainRules(payload: string, tableAndChain: string): string {
  const [table, chain] = tableAndChain.split('/');
  const c = parseDump(payload).find((t) => t.name === table)?.chains.find((x) => x.name === chain);
  return c ? c.rules.map((r) => r + '\n').join('') : '';
}

describe('kube-proxy unit-test expectations (~1.33)', () => {
  for (const file of ['overall-1.33.yaml', 'bad-ips-1.33.yaml', 'sync-repeated-initial-1.33.yaml']) {
    const f = loadScenario(file);
    it(`${f.test}: the sorted payload equals the expected text`, () => {
      const payload = payloadFor(f);
      assert.equal(sortIPTablesRules(payload), f.expected);
      assert.equal(checkRuleJumps(f.expected!), null);
      assert.equal(checkRuleJumps(payload), null);
    });
  }

  const chainCases = (parse(readFileSync(join(FIXTURES, 'proxy', 'drop-invalid-and-masquerade.yaml'), 'utf8')) as {
    cases: Array<{ test: string; fakeProxier: Partial<FakeProxierOptions>; chain: string; expected: string }>;
  }).cases;
  for (const c of chainCases) {
    it(`${c.test}: ${c.chain} holds exactly the expected rules`, () => {
      const payload = payloadFor({ test: c.test, origin: '', profile: '1.33', era: '1.33', objects: [], fakeProxier: c.fakeProxier });
      assert.equal(chainRules(payload, c.chain), c.expected);
    });
  }
});

describe('kube-proxy unit-test expectations (~1.28)', () => {
  const dir = join(FIXTURES, 'proxy');
  for (const file of readdirSync(dir).filter((n) => n.endsWith('-1.28.yaml')).sort()) {
    const f = loadScenario(file);
    it(`${f.test}: the sorted IPv${f.family ?? 4} payload equals the expected text`, () => {
      const payload = payloadFor(f);
      assert.equal(sortIPTablesRules(payload), f.expected);
      assert.equal(checkRuleJumps(payload), null);
    });
  }
});

describe('older eras: the research note\'s 1.20 payload (abridged)', () => {
  const f = loadScenario('era-1.20-note.yaml');
  it('every line is written, in the same order within its chain', () => {
    const payload = payloadFor(f);
    const lines = payload.split('\n');
    const lastIndex = new Map<string, number>();
    for (const want of f.expected!.trimEnd().split('\n')) {
      const at = lines.indexOf(want);
      assert.ok(at >= 0, `missing: ${want}\n${payload}`);
      const chain = want.split(' ')[1]!;
      assert.ok(at > (lastIndex.get(chain) ?? -1), `out of order in ${chain}: ${want}`);
      lastIndex.set(chain, at);
    }
  });
});

describe('kube-proxy packet-flow tables (~1.33)', () => {
  const dir = join(FIXTURES, 'proxy', 'flows');
  for (const file of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    const f = loadScenario(join('flows', file));
    describe(f.test, () => {
      const payload = (f as ScenarioFixture & { payload?: string }).payload ?? payloadFor(f);
      for (const flow of f.flows ?? []) {
        it(`${flow.name}: ${flow.sourceIP} -> ${flow.destIP}:${flow.destPort} gives "${flow.output}"${flow.masq ? ', masqueraded' : ''}`, () => {
          const got = tracePacket(payload, flow.sourceIP, flow.protocol ?? 'tcp', flow.destIP, flow.destPort, eraNodeIPs(f.era));
          assert.deepEqual(
            { output: got.output, masq: got.masq },
            { output: flow.output, masq: flow.masq ?? false },
            `matched:\n${got.matches.join('\n')}`,
          );
        });
      }
      for (const [chain, expected] of Object.entries(f.chains ?? {})) {
        it(`${chain} holds exactly the expected rules`, () => assert.equal(chainRules(payload, chain), expected));
      }
    });
  }
});
