// Fixed-seed random rules (see generator.ts) through the real iptables-restore and
// iptables-save, both backends and both families: iptables-save must print exactly
// printSave(parseRuleset(payload)). The seeds are fixed so a failure reproduces; the failing
// chain names the rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRuleset, printSave } from '../../src/netfilter/index.js';
import { BACKENDS, FAMILIES, KERNEL_PREREQS, assertSameDumps, restore, save, withNetns } from '../helpers/kernel.js';
import { needs } from '../helpers/prereq.js';
import { countRules } from './corpus.js';
import { generatePayload } from './generator.js';

const RULES = 1500;
const SEEDS = { ipv4: 20240601, ipv6: 20240602 } as const;

describe('kernel round trip of generated rules', () => {
  for (const family of FAMILIES) {
    for (const backend of BACKENDS) {
      const payload = generatePayload(family, SEEDS[family], RULES, backend === 'nft');
      it(`${countRules(payload)} ${family} rules (seed ${SEEDS[family]}${backend === 'nft' ? ', nft-safe ports' : ''}) through ${backend}`, async (t) => {
        if (!needs(t, ...KERNEL_PREREQS)) return;
        const expected = printSave(parseRuleset(payload, { family, strict: true, source: `generated-${family}` }));
        await withNetns((ns) => {
          const r = restore(ns, { backend, family, text: payload });
          const line = /line:? (\d+)/.exec(r.stderr)?.[1];
          assert.equal(r.status, 0, `iptables-restore refused the payload: ${r.stderr}${line ? payload.split('\n')[Number(line) - 1] : ''}`);
          assertSameDumps(save(ns, { backend, family }), expected, `generated ${family} rules via ${backend}`);
        });
      });
    }
  }
});
