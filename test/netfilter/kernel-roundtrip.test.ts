// The kernel is the judge of the canonical form: every corpus file is loaded into the real
// iptables-restore (nft and legacy backends) in a fresh network namespace, and what
// iptables-save prints back must equal printSave(parseRuleset(input)), table by table. The
// ipsets and nfacct objects a file names are created in the namespace first.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRuleset, printSave } from '../../src/netfilter/index.js';
import { KERNEL_PREREQS, assertSameDumps, execIn, restore, save, withNetns } from '../helpers/kernel.js';
import { needs } from '../helpers/prereq.js';
import { countRules, loadFixtures } from './corpus.js';

describe('kernel round trip of the rule corpus', () => {
  for (const fx of loadFixtures()) {
    for (const backend of fx.backends) {
      it(`${fx.name} through ${backend} (${countRules(fx.text)} rules)`, async (t) => {
        if (!needs(t, ...KERNEL_PREREQS)) return;
        if (fx.ipsets.length > 0 && !needs(t, 'ipset')) return;
        if (fx.nfacct.length > 0 && !needs(t, 'nfacct')) return;
        const expected = printSave(parseRuleset(fx.text, { family: fx.family, strict: true, source: fx.name }));
        await withNetns((ns) => {
          for (const args of fx.ipsets) assert.equal(execIn(ns, 'ipset', args).status, 0, `ipset ${args.join(' ')}`);
          for (const name of fx.nfacct) assert.equal(execIn(ns, 'nfacct', ['add', name]).status, 0, `nfacct add ${name}`);
          const r = restore(ns, { backend, family: fx.family, text: fx.text, counters: true });
          assert.equal(r.status, 0, `iptables-restore refused ${fx.name}: ${r.stderr}`);
          assertSameDumps(save(ns, { backend, family: fx.family }), expected, `${fx.name} via ${backend}`);
        });
      });
    }
  }
});
