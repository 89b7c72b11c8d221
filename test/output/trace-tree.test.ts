// The trace tree's branch lines: the probability it quotes is the one the rule prints, so a
// reader can find the rule in `rules` or `iptables-save` output by its --probability text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRuleset, printSave } from '../../src/netfilter/index.js';
import { tracePacket } from '../../src/netfilter/trace.js';
import { palette } from '../../src/output/color.js';
import { traceTree } from '../../src/output/trace-tree.js';

/** A service chain balancing over two endpoints, the first with `probability`. */
function balanced(probability: string) {
  const text = [
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    ':KUBE-SVC-A - [0:0]',
    ':KUBE-SEP-A - [0:0]',
    ':KUBE-SEP-B - [0:0]',
    '-A PREROUTING -d 172.30.0.1/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-A',
    `-A KUBE-SVC-A -m statistic --mode random --probability ${probability} -j KUBE-SEP-A`,
    '-A KUBE-SVC-A -j KUBE-SEP-B',
    '-A KUBE-SEP-A -p tcp -m tcp -j DNAT --to-destination 10.0.0.1:80',
    '-A KUBE-SEP-B -p tcp -m tcp -j DNAT --to-destination 10.0.0.2:80',
    'COMMIT',
    '',
  ].join('\n');
  return parseRuleset(text, { family: 'ipv4', source: 'test' });
}

function tree(probability: string): { tree: string; saved: string } {
  const rs = balanced(probability);
  const result = tracePacket(rs, { family: 'ipv4', source: '10.9.9.9', destination: '172.30.0.1', protocol: 'tcp', destinationPort: 80 }, { localAddresses: [] });
  const text = traceTree({ result, header: [['Packet', 'test']], chainNote: () => undefined, destinationInfo: () => undefined, notes: [], colors: palette(false) });
  return { tree: text, saved: printSave(rs) };
}

describe('trace tree: branch probabilities', () => {
  it('quotes the probability the rule prints (1/3 of kube-proxy: 0.33333333349)', () => {
    const { tree: t, saved } = tree('0.3333333333');
    assert.match(saved, /--probability 0\.33333333349 /);
    assert.match(t, /\(probability 0\.33333333349\)/);
  });

  it('rounds a tie to even as iptables-save does (1/4096 of 4096 endpoints: 0.00024414062)', () => {
    // kube-proxy writes "%0.10f" of 1/4096; the kernel keeps round(p * 2^31) = 2^19, exactly
    // 2^-12 = 0.000244140625, which printf("%.11f") rounds to even.
    const { tree: t, saved } = tree('0.0002441406');
    assert.match(saved, /--probability 0\.00024414062 /);
    assert.match(t, /\(probability 0\.00024414062\)/);
  });
});

describe('trace tree: size', () => {
  it('draws a chain balancing over thousands of endpoints (its "not taken" nodes nest one per endpoint)', () => {
    const n = 4000;
    const ip = (i: number) => `10.0.${i >> 8}.${i & 255}`;
    const text = [
      '*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', ':KUBE-SVC-A - [0:0]',
      '-A PREROUTING -d 172.30.0.1/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-A',
      ...Array.from({ length: n }, (_, i) =>
        i < n - 1
          ? `-A KUBE-SVC-A -p tcp -m statistic --mode random --probability ${(1 / (n - i)).toFixed(10)} -j DNAT --to-destination ${ip(i)}:80`
          : `-A KUBE-SVC-A -p tcp -j DNAT --to-destination ${ip(i)}:80`),
      'COMMIT', '',
    ].join('\n');
    const rs = parseRuleset(text, { family: 'ipv4', source: 'test' });
    const result = tracePacket(rs, { family: 'ipv4', source: '10.9.9.9', destination: '172.30.0.1', protocol: 'tcp', destinationPort: 80 }, { localAddresses: [] });
    const t = traceTree({ result, header: [['Packet', 'test']], chainNote: () => undefined, destinationInfo: () => undefined, notes: [], colors: palette(false) });
    assert.equal(t.split('\n').filter((l) => /^[├└]─ /.test(l)).length, n);
    assert.ok(t.includes(`→ DNAT to ${ip(0)}:80\n`) && t.includes(`→ DNAT to ${ip(n - 1)}:80\n`));
  });
});
