// kube-proxy's own unit tests of the 1.17-1.23 eras (pkg/proxy/iptables/proxier_test.go of stored
// snapshots, each fixture naming its repository, path and commit), run through the renderer with
// the matching profile and the era's NewFakeProxier, and checked the way each test checked:
//   exact        assert.Equal(expected, fp.iptablesData) - the payload as written, unsorted;
//   sorted-1.23  assertIPTablesRulesEqual of ~1.23: that era's sortIPTablesRules on both sides;
//   checks       the fake iptables' GetRules plus hasJump / hasDNAT / ... on single chains.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { KubeObject } from '../../src/cluster/types.js';
import { renderNode } from '../../src/proxy/render.js';
import { FIXTURES, fakeProxierConfig, snapshotOf, type FakeProxierOptions, type OlderFakeProxierEra } from './support/fake-proxier.js';
import {
  hasDNAT,
  hasJump,
  hasMasqRandomFully,
  hasSessionAffinityRule,
  hasSrcType,
  legacyGetRules,
  sortIPTablesRules1_23,
} from './support/kube-proxy-legacy.js';

interface Check {
  rules: string;
  count?: number;
  hasJump?: [string, string, number];
  hasDNAT?: string;
  hasSrcType?: string;
  hasSessionAffinityRule?: boolean;
  hasMasqRandomFully?: boolean;
  want?: boolean;
}

interface EraCase {
  test: string;
  note?: string;
  fakeProxier?: Partial<FakeProxierOptions>;
  objects: KubeObject[];
  expected?: string;
  checks?: Check[];
}

interface EraFixture {
  origin: string;
  profile: string;
  era: OlderFakeProxierEra;
  compare: 'exact' | 'sorted-1.23' | 'checks';
  cases: EraCase[];
}

const DIR = join(FIXTURES, 'proxy', 'eras');

function payloadOf(f: EraFixture, c: EraCase): string {
  const config = fakeProxierConfig({ era: f.era, version: f.profile, ...(c.fakeProxier ?? {}) });
  const family = renderNode(snapshotOf(c.objects), config).families.find((x) => x.family === 4);
  assert.ok(family, 'no IPv4 payload rendered');
  return family.payload;
}

function runCheck(payload: string, check: Check): void {
  const rules = legacyGetRules(payload, check.rules);
  const where = `GetRules(${check.rules}):\n${JSON.stringify(rules, null, 1)}\n${payload}`;
  if (check.count !== undefined) assert.equal(rules.length, check.count, where);
  if (check.hasJump) assert.equal(hasJump(rules, ...check.hasJump), check.want, `hasJump(${check.hasJump.join(', ')}) ${where}`);
  if (check.hasDNAT !== undefined) assert.equal(hasDNAT(rules, check.hasDNAT), check.want, `hasDNAT(${check.hasDNAT}) ${where}`);
  if (check.hasSrcType !== undefined) assert.equal(hasSrcType(rules, check.hasSrcType), check.want, `hasSrcType ${where}`);
  if (check.hasSessionAffinityRule !== undefined) assert.equal(hasSessionAffinityRule(rules), check.hasSessionAffinityRule, where);
  if (check.hasMasqRandomFully !== undefined) assert.equal(hasMasqRandomFully(rules), check.hasMasqRandomFully, where);
}

for (const file of readdirSync(DIR).filter((n) => n.endsWith('.yaml')).sort()) {
  const f = parse(readFileSync(join(DIR, file), 'utf8')) as EraFixture;
  describe(`kube-proxy ${f.profile} unit tests (${file})`, () => {
    it('names its origin and a profile', () => {
      assert.match(f.origin, /^\S+\/\S+ \S+proxier_test\.go @ [0-9a-f]{40} /);
      assert.ok(['exact', 'sorted-1.23', 'checks'].includes(f.compare));
    });
    for (const c of f.cases) {
      it(`${c.test}${c.fakeProxier?.switches ? ` (switches ${JSON.stringify(c.fakeProxier.switches)})` : ''}`, () => {
        const payload = payloadOf(f, c);
        switch (f.compare) {
          case 'exact':
            assert.equal(payload, c.expected);
            break;
          case 'sorted-1.23':
            assert.equal(sortIPTablesRules1_23(payload), sortIPTablesRules1_23(c.expected!));
            break;
          case 'checks':
            assert.ok(c.checks && c.checks.length > 0, 'a checks case without checks');
            for (const check of c.checks) runCheck(payload, check);
            break;
        }
      });
    }
  });
}

describe('the ported ~1.23 sortIPTablesRules', () => {
  it('reproduces its own test case "unexpected junk lines are preserved"', () => {
    const input = [
      '*filter', 'COMMIT', '*nat', ':KUBE-SERVICES - [0:0]', ':KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]', ':KUBE-AAAAA - [0:0]', ':KUBE-ZZZZZ - [0:0]',
      ':WHY-IS-THIS-CHAIN-HERE - [0:0]',
      '-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" svc2 line 1',
      '-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80',
      '-A KUBE-ZZZZZ -m comment --comment "mystery chain number 1"',
      '-A KUBE-SERVICES -m comment --comment ns2/svc2 svc2 line 2',
      '-A WHY-IS-THIS-CHAIN-HERE -j ACCEPT',
      '-A KUBE-SERVICES -m comment --comment "ns2/svc2 blah" svc2 line 3',
      '-A KUBE-AAAAA -m comment --comment "mystery chain number 2"',
      'COMMIT', '',
    ].join('\n');
    const output = [
      '*filter', 'COMMIT', '*nat', ':KUBE-AAAAA - [0:0]', ':KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]', ':KUBE-SERVICES - [0:0]', ':KUBE-ZZZZZ - [0:0]',
      ':WHY-IS-THIS-CHAIN-HERE - [0:0]',
      '-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" svc2 line 1',
      '-A KUBE-SERVICES -m comment --comment ns2/svc2 svc2 line 2',
      '-A KUBE-SERVICES -m comment --comment "ns2/svc2 blah" svc2 line 3',
      '-A KUBE-AAAAA -m comment --comment "mystery chain number 2"',
      '-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80',
      '-A KUBE-ZZZZZ -m comment --comment "mystery chain number 1"',
      '-A WHY-IS-THIS-CHAIN-HERE -j ACCEPT',
      'COMMIT', '',
    ].join('\n');
    assert.equal(sortIPTablesRules1_23(input), output);
  });

  it('rejects a jump to a chain that was not created, as assertIPTablesRuleJumps does', () => {
    const input = '*filter\nCOMMIT\n*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 10.20.30.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O\nCOMMIT\n';
    assert.throws(() => sortIPTablesRules1_23(input), /some chains in \*nat are used but were not created: \[KUBE-SVC-XPGD46QRK7WJZT7O\]/);
  });
});
