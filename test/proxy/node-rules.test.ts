// node-rules on tables of cluster size: a nat table holds a chain per endpoint and several
// rules per chain, so 8000 services of 5 endpoints make some 200,000 lines. Nothing may pass
// such a list as call arguments (push(...lines) overflows V8's stack near 125,000).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keepInTables, saveText, type RulesLine } from '../../src/proxy/node-rules.js';
import { profileFor } from '../../src/proxy/profiles.js';
import type { FamilyRender } from '../../src/proxy/render.js';

const MANY = 200_000;
const chainName = (i: number) => `KUBE-SEP-${String(i).padStart(16, 'A')}`;

describe('node-rules: tables of cluster size', () => {
  it('the save form in creation order (1.16-1.20 nodes) of a nat table with 200,000 chains', () => {
    const chains = Array.from({ length: MANY }, (_, i) => ({ chain: chainName(i) }));
    const payload = `*filter\nCOMMIT\n*nat\n${chains.map((c) => `:${c.chain} - [0:0]\n`).join('')}COMMIT\n`;
    const render: FamilyRender = {
      family: 4,
      tables: [{ name: 'filter', chains: [], rules: [] }, { name: 'nat', chains, rules: [] }],
      payload,
      servicePorts: [],
      largeCluster: false,
    };
    const sw = profileFor(16).switches;
    assert.equal(sw.saveChainOrder, 'creation');
    const nat = saveText(render, sw).split('*nat\n')[1]!.split('\n');
    // The payload's chains follow the baseline's, in the order the payload declared them.
    const declared = nat.filter((l) => l.startsWith(':KUBE-SEP-'));
    assert.equal(declared.length, MANY);
    assert.equal(declared[0], `:${chainName(0)} - [0:0]`);
    assert.equal(declared[MANY - 1], `:${chainName(MANY - 1)} - [0:0]`);
  });

  it('keepInTables frames 200,000 kept lines of one table', () => {
    const lines: RulesLine[] = [
      { kind: 'table', table: 'nat', text: '*nat' },
      ...Array.from({ length: MANY }, (_, i): RulesLine => ({ kind: 'rule', table: 'nat', text: `-A KUBE-SERVICES -j ${chainName(i)}`, chain: 'KUBE-SERVICES' })),
      { kind: 'commit', table: 'nat', text: 'COMMIT' },
    ];
    const kept = keepInTables(lines, () => true);
    assert.equal(kept.length, MANY + 2);
    assert.equal(kept[MANY + 1]!.text, 'COMMIT');
  });
});
