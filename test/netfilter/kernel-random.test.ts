// Fixed-seed random rules (see generator.ts) through the real iptables-restore and
// iptables-save, both backends and both families: iptables-save must print exactly
// printSave(parseRuleset(payload)). The seeds are fixed so a failure reproduces; the failing
// chain names the rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRuleset, printSave } from '../../src/netfilter/index.js';
import { BACKENDS, FAMILIES, KERNEL_PREREQS, assertSameDumps, execIn, hasIpset, restore, save, withNetns } from '../helpers/kernel.js';
import { needs, prerequisitesRequired } from '../helpers/prereq.js';
import { countRules } from './corpus.js';
import { GENERATED_IPSETS, generatePayload } from './generator.js';

const RULES = 1500;
const SEEDS = { ipv4: 20240601, ipv6: 20240602 } as const;

describe('kernel round trip of generated rules', () => {
  for (const family of FAMILIES) {
    for (const backend of BACKENDS) {
      // -m set needs the ipset tool to create its sets; without it the payload does without
      const ipsets = hasIpset();
      // ip6tables-nft-restore 1.8.9 drops rule counters (`[p:b]` and -c alike): none for it
      const counters = !(family === 'ipv6' && backend === 'nft');
      const payload = generatePayload(family, SEEDS[family], RULES, { nftSafe: backend === 'nft', ipsets, counters });
      const what = [
        `seed ${SEEDS[family]}`, ...(backend === 'nft' ? ['nft-safe ports'] : []), ...(ipsets ? [] : ['no ipsets']), ...(counters ? ['counters'] : []),
      ].join(', ');
      it(`${countRules(payload)} ${family} rules (${what}) through ${backend}`, async (t) => {
        if (!needs(t, ...KERNEL_PREREQS)) return;
        // Under CI a missing ipset tool fails here rather than quietly dropping -m set rules.
        if (!ipsets && prerequisitesRequired()) assert.fail('missing prerequisite (SVCTRACE_REQUIRE_PREREQS=1): needs the ipset tool (apt-get install ipset)');
        const expected = printSave(parseRuleset(payload, { family, strict: true, source: `generated-${family}` }), { counters: true });
        await withNetns((ns) => {
          if (ipsets) for (const args of GENERATED_IPSETS[family]) assert.equal(execIn(ns, 'ipset', ['create', ...args]).status, 0);
          const r = restore(ns, { backend, family, text: payload, counters: true });
          const stderr = r.stderr.split('\n').filter((l) => !/xt_iprange: range .* is reversed|--set option deprecated/.test(l)).join('\n');
          const line = /line:? (\d+)/.exec(stderr)?.[1];
          assert.equal(r.status, 0, `iptables-restore refused the payload: ${stderr}${line ? payload.split('\n')[Number(line) - 1] : ''}`);
          assertSameDumps(save(ns, { backend, family, counters: true }), expected, `generated ${family} rules via ${backend}`);
        });
      });
    }
  }
});
