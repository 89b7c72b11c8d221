// The two text forms without the kernel: the restore form prints a payload back byte for byte;
// the save form matches what iptables-save printed in measurements quoted from
// shared/research (copied into test/fixtures/netfilter), is a fixpoint, and formats
// probabilities exactly as glibc's %.11f does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyRestore, canonicalRule, emptyRuleset, formatProbability, parseRuleset, printRestore, printSave, probabilityThreshold, tableOf,
} from '../../src/netfilter/index.js';
import { loadFixtures, readFixture } from './corpus.js';
import { generatePayload } from './generator.js';

/** A fixture without its comment lines: what a payload looks like. */
function payloadOf(text: string): string {
  return text.split('\n').filter((l) => !l.startsWith('#')).join('\n');
}

describe('printRestore', () => {
  for (const fx of loadFixtures()) {
    it(`prints ${fx.name} back byte for byte`, () => {
      const text = payloadOf(fx.text);
      assert.equal(printRestore(parseRuleset(text, { family: fx.family })), text);
    });
  }
  it('prints generated payloads back byte for byte', () => {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const text = generatePayload(family, 7, 400, { counters: true, ipsets: true });
      assert.equal(printRestore(parseRuleset(text, { family })), text);
    }
  });
  it('prints a state as declarations then appends, which restores to the same state', () => {
    const parsed = parseRuleset(payloadOf(readFixture('kube-proxy-legacy-ipv4.rules')));
    const again = parseRuleset(printRestore({ family: 'ipv4', tables: parsed.tables.map((t) => ({ ...t, commands: [] })) }));
    assert.equal(printSave(again), '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n');
    const state = emptyRuleset('ipv4', ['filter']);
    assert.equal(printRestore(state), '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n');
  });
  it('prints a state whose rules came from one line with several addresses one rule a line, which restores to the same state', () => {
    // iptables adds one rule per -s x -d pair (sources outer); iptables-save prints each with its own /32
    const payload = parseRuleset('*filter\n:X - [0:0]\n-A X -s 1.1.1.1,2.2.2.2 -d 3.3.3.3,4.4.4.4 -j ACCEPT\nCOMMIT\n');
    const state = applyRestore(emptyRuleset('ipv4', ['filter']), payload);
    const text = printRestore(state);
    assert.deepEqual(text.split('\n').filter((l) => l.startsWith('-A X')), [
      '-A X -s 1.1.1.1/32 -d 3.3.3.3/32 -j ACCEPT', '-A X -s 1.1.1.1/32 -d 4.4.4.4/32 -j ACCEPT',
      '-A X -s 2.2.2.2/32 -d 3.3.3.3/32 -j ACCEPT', '-A X -s 2.2.2.2/32 -d 4.4.4.4/32 -j ACCEPT',
    ]);
    assert.equal(printSave(applyRestore(emptyRuleset('ipv4', ['filter']), parseRuleset(text))), printSave(state));
  });
});

describe('printSave', () => {
  it('prints kube-proxy 1.28 rules as iptables-save 1.8.9 did (research §6.2)', () => {
    const saved = payloadOf(readFixture('kube-proxy-1.28-ipv4.saved'));
    assert.equal(printSave(parseRuleset(readFixture('kube-proxy-1.28-ipv4.rules'))), saved);
  });

  it('prints the walkthrough lines unchanged', () => {
    const text = readFixture('walkthrough-ipv4.rules');
    const printed = new Set(printSave(parseRuleset(text)).split('\n'));
    for (const line of text.split('\n').filter((l) => l.startsWith('-A '))) assert.ok(printed.has(line), line);
  });

  it('is a fixpoint: restoring the save form and saving again changes nothing', () => {
    // iptables-save prints recent's --name unquoted, so a name with a space does not read back
    // (the options corpus has one, as the kernel showed); leave that line out here
    const unreadable = (l: string) => l.includes('--name a b');
    for (const fx of loadFixtures()) {
      const once = printSave(parseRuleset(fx.text, { family: fx.family })).split('\n').filter((l) => !unreadable(l)).join('\n');
      assert.equal(printSave(parseRuleset(once, { family: fx.family })), once, fx.name);
    }
    for (const family of ['ipv4', 'ipv6'] as const) {
      const once = printSave(parseRuleset(generatePayload(family, 11, 400), { family }));
      assert.equal(printSave(parseRuleset(once, { family })), once);
    }
  });

  it('orders tables as iptables-nft-save, built-ins by hook, user chains by strcmp', () => {
    const r = parseRuleset('*nat\n:b - [0:0]\n:B - [0:0]\n:KUBE-SVC-A - [0:0]\n:KUBE-SERVICES - [0:0]\n:KUBE-SEP-Z - [0:0]\nCOMMIT\n*filter\nCOMMIT\n*raw\nCOMMIT\n');
    const lines = printSave(r).split('\n');
    assert.deepEqual(lines.filter((l) => l.startsWith('*')), ['*raw', '*filter', '*nat']);
    assert.deepEqual(lines.filter((l) => /^:[^A-Z]*[A-Za-z]/.test(l) && l.includes(' - ')), [
      ':B - [0:0]', ':KUBE-SEP-Z - [0:0]', ':KUBE-SERVICES - [0:0]', ':KUBE-SVC-A - [0:0]', ':b - [0:0]',
    ]);
    assert.equal(printSave(r, { tables: ['raw'] }), '*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n');
  });

  it('prints rule counters only when asked, user chains always at [0:0]', () => {
    const r = parseRuleset('*filter\n:INPUT ACCEPT [1:2]\n:X - [3:4]\n[5:6] -A X -j ACCEPT\nCOMMIT\n');
    assert.match(printSave(r), /^:X - \[0:0\]$/m);
    assert.match(printSave(r), /^-A X -j ACCEPT$/m);
    assert.match(printSave(r, { counters: true }), /^\[5:6\] -A X -j ACCEPT$/m);
    assert.match(printSave(r), /^:INPUT ACCEPT \[1:2\]$/m);
  });

  it('nfacct as iptables-save 1.8.9 prints it: two spaces before the name, quoted as xtables_save_string quotes', () => {
    // printed by iptables-{nft,legacy}-save 1.8.9 after restoring these lines (objects made with `nfacct add`)
    const cases: Array<[string, string]> = [
      ['-m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP', '-m conntrack --ctstate INVALID -m nfacct --nfacct-name  ct_state_invalid_dropped_pkts -j DROP'],
      ['-m nfacct --nfacct-n=abcdefghijklmnopqrstuvwxyz0123456789ABCD', '-m nfacct --nfacct-name  abcdefghijklmnopqrstuvwxyz01234'],
      ['-m nfacct --nfacct "pkts.a b" -j ACCEPT', '-m nfacct --nfacct-name  "pkts.a b" -j ACCEPT'],
      [`-m nfacct --nfacct-name "q\\"uo\\\\te'"`, `-m nfacct --nfacct-name  "q\\"uo\\\\te\\'"`],
      ['-m nfacct --nfacct-name ct_state_invalid_dropped_pkts -m nfacct --nfacct-name "pkts.a b"', '-m nfacct --nfacct-name  ct_state_invalid_dropped_pkts -m nfacct --nfacct-name  "pkts.a b"'],
    ];
    for (const [written, saved] of cases) {
      const r = parseRuleset(`*filter\n:F - [0:0]\n-A F ${written}\nCOMMIT\n`, { strict: true });
      assert.equal(canonicalRule(tableOf(r, 'filter')!.chains.find((c) => c.name === 'F')!.rules[0]!), `-A F ${saved}`);
    }
  });

  it('canonicalRule gives one rule in save form', () => {
    const r = parseRuleset('*nat\n:KUBE-SEP-X - [0:0]\n-A KUBE-SEP-X -m comment --comment ns/svc:web -s 10.254.4.24 -j KUBE-MARK-MASQ\nCOMMIT\n');
    const rule = tableOf(r, 'nat')!.chains.find((c) => c.name === 'KUBE-SEP-X')!.rules[0]!;
    assert.equal(canonicalRule(rule), '-A KUBE-SEP-X -s 10.254.4.24/32 -m comment --comment "ns/svc:web" -j KUBE-MARK-MASQ');
  });
});

describe('statistic probabilities', () => {
  // measured on iptables 1.8.9 (shared/research/kube-proxy-iptables.md §7.3 and
  // iptables-save-canonical-form.md): written value -> kernel threshold -> printed value
  const table: Array<[string, number, string]> = [
    ['0.5000000000', 1073741824, '0.50000000000'], ['0.3333333333', 715827883, '0.33333333349'],
    ['0.33333', 715820724, '0.33332999982'], ['0.2000000000', 429496730, '0.20000000019'],
    ['0.1666666667', 357913941, '0.16666666651'], ['0.16667', 357921100, '0.16667000018'],
    ['0.1428571429', 306783378, '0.14285714272'], ['0.11111', 238606908, '0.11110999994'],
    ['0.0909090909', 195225786, '0.09090909082'], ['0.0833333333', 178956971, '0.08333333349'],
    ['0.0769230769', 165191050, '0.07692307699'], ['0.0500000000', 107374182, '0.04999999981'],
    ['0.0156250000', 33554432, '0.01562500000'], ['0.01562', 33543695, '0.01562000019'],
    ['0.0100000000', 21474836, '0.00999999978'], ['0.0031250000', 6710886, '0.00312499981'],
    ['0.00313', 6721624, '0.00313000008'], ['0.0010000000', 2147484, '0.00100000016'],
    ['0.0004882812', 1048576, '0.00048828125'], ['0.00049', 1052267, '0.00049000001'],
    ['0.0001000000', 214748, '0.00009999983'], ['0.0000099999', 21475, '0.00001000008'],
    ['1', 2147483648, '1.00000000000'], ['0.99999999999', 2147483648, '1.00000000000'],
    ['0.0000000001', 0, '0.00000000000'],
  ];
  for (const [written, threshold, printed] of table) {
    it(`${written} -> ${threshold} -> ${printed}`, () => {
      assert.equal(probabilityThreshold(Number(written)), threshold);
      assert.equal(formatProbability(threshold), printed);
    });
  }
  it('rounds exact ties to even, as glibc printf does (measured: 0.000244140625 -> 0.00024414062)', () => {
    assert.equal(formatProbability(probabilityThreshold(0.000244140625)), '0.00024414062');
    assert.equal(formatProbability(probabilityThreshold(0.000732421875)), '0.00073242188');
  });
});
