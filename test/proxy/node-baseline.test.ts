// The node around kube-proxy's payload: jump rules in the built-in chains (EnsureRule(Prepend):
// the last one processed ends up first), kubelet's chains, the canaries; and the save form
// built on it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { emptySnapshot } from '../../src/cluster/types.js';
import { buildProxyConfig } from '../../src/proxy/config.js';
import { nodeBaseline } from '../../src/proxy/node-baseline.js';
import { saveText, saveTextLines } from '../../src/proxy/node-rules.js';
import { profileFor } from '../../src/proxy/profiles.js';
import { renderNode } from '../../src/proxy/render.js';
import { FIXTURES } from './support/fake-proxier.js';

const BUILTIN = new Set(['INPUT', 'FORWARD', 'OUTPUT', 'PREROUTING', 'POSTROUTING']);

/** "*table" headers and the rules of built-in chains, in save order. */
function builtinRules(text: string): string {
  const out: string[] = [];
  for (const l of saveTextLines(text)) {
    if (l.kind === 'table' && l.table !== 'mangle') out.push(l.text);
    if (l.kind === 'rule' && BUILTIN.has(l.chain!)) out.push(l.text);
  }
  return out.join('\n') + '\n';
}

function emptyNodeSave(minor: number, family: 4 | 6 = 4): string {
  const snapshot = emptySnapshot('test');
  const config = buildProxyConfig({ flags: { node: 'n', nodeIp: family === 4 ? ['10.0.0.1'] : ['2001:db8::1'], proxyVersion: `1.${minor}` }, snapshot });
  const fam = renderNode(snapshot, config).families.find((f) => f.family === family)!;
  return saveText(fam, config.profile.switches, 'name');
}

describe('jump rules in the built-in chains', () => {
  for (const minor of [27, 28, 34]) {
    it(`1.${minor}: as iptables-save shows them on a fresh node`, () => {
      const expected = readFileSync(join(FIXTURES, 'proxy', 'node-jumps-modern.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).join('\n') + '\n';
      assert.equal(builtinRules(emptyNodeSave(minor)), expected);
    });
  }

  it('1.16: INPUT -> KUBE-SERVICES, processed after INPUT -> KUBE-EXTERNAL-SERVICES, comes first; kubelet\'s KUBE-FIREWALL jumps last', () => {
    const rules = builtinRules(emptyNodeSave(16)).split('\n').filter((l) => l.startsWith('-A INPUT'));
    assert.deepEqual(rules, [
      '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
      '-A INPUT -j KUBE-FIREWALL',
    ]);
  });

  it('1.20 (#95252): FORWARD -> KUBE-EXTERNAL-SERVICES added, INPUT -> KUBE-SERVICES gone', () => {
    const text = builtinRules(emptyNodeSave(20));
    assert.ok(text.includes('-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES'));
    assert.ok(!text.includes('-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals"'));
    assert.ok(!text.includes('health check service ports'));
  });

  it('1.21: INPUT -> KUBE-NODEPORTS for health-check ports', () => {
    assert.ok(builtinRules(emptyNodeSave(21)).includes('-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS'));
  });

  it('an identical rule is not added twice (kubelet and kube-proxy both ensure POSTROUTING -> KUBE-POSTROUTING)', () => {
    for (const minor of [16, 24, 30]) {
      const text = builtinRules(emptyNodeSave(minor));
      assert.equal(text.split('-j KUBE-POSTROUTING').length - 1, 1, `1.${minor}`);
    }
  });
});

describe("kubelet's chains", () => {
  it('<= 1.26: KUBE-MARK-DROP (bit 15) and the KUBE-FIREWALL rule for marked packets, which old kube-proxy rules rely on', () => {
    const text = emptyNodeSave(18);
    assert.ok(text.includes('-A KUBE-MARK-DROP -j MARK --set-xmark 0x8000/0x8000\n'));
    assert.ok(text.includes('-A KUBE-FIREWALL -m comment --comment "kubernetes firewall for dropping marked packets" -m mark --mark 0x8000/0x8000 -j DROP\n'));
    assert.ok(!text.includes('block incoming localnet connections'), 'the localnet rule came with 1.19 (CVE-2020-8558)');
  });

  it('1.19-1.26: the IPv4 localnet rule after the marked-packets rule', () => {
    const text = emptyNodeSave(22);
    const fw = saveTextLines(text).filter((l) => l.kind === 'rule' && l.chain === 'KUBE-FIREWALL').map((l) => l.text);
    assert.equal(fw.length, 2);
    assert.match(fw[1]!, /block incoming localnet connections/);
    assert.ok(!emptyNodeSave(22, 6).includes('localnet'));
  });

  it('>= 1.27: no KUBE-MARK-DROP; on IPv6 an empty KUBE-FIREWALL that kube-proxy jumps to first', () => {
    assert.ok(!emptyNodeSave(28).includes('KUBE-MARK-DROP'));
    const v6 = builtinRules(emptyNodeSave(28, 6)).split('\n');
    assert.equal(v6.find((l) => l.startsWith('-A INPUT')), '-A INPUT -j KUBE-FIREWALL');
  });

  it('KUBE-PROXY-CANARY exists, empty, in mangle, filter and nat', () => {
    const { tables } = nodeBaseline(profileFor(25).switches, 4);
    for (const t of tables) assert.deepEqual(t.chains.find((c) => c.chain === 'KUBE-PROXY-CANARY')?.rules, [], t.table);
  });
});
