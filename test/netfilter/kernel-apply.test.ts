// applyRestore against the kernel: a state is restored into a fresh namespace, then a payload
// with `iptables-restore [--noflush]`; iptables-save must then show printSave(applyRestore(...)),
// and a payload the kernel refuses must make applyRestore throw an InputError.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../src/errors.js';
import { type Family, type Ruleset, applyRestore, emptyRuleset, parseRuleset, printSave } from '../../src/netfilter/index.js';
import { BACKENDS, type Backend, KERNEL_PREREQS, assertSameDumps, restore, save, withNetns } from '../helpers/kernel.js';
import { needs } from '../helpers/prereq.js';
import { readFixture } from './corpus.js';

interface Scenario {
  readonly name: string;
  readonly family?: Family;
  readonly state: string;
  readonly payload: string;
  readonly noflush?: boolean;
  readonly counters?: boolean;
  readonly fails?: boolean;
  /** backends whose behaviour svctrace follows here (see README: where the backends differ) */
  readonly backends?: Backend[];
}

const BASE = `*filter
:INPUT DROP [0:0]
:KEEP - [0:0]
:FLUSHME - [0:0]
:EMPTY - [0:0]
:LEAF - [0:0]
-A INPUT -s 10.0.0.1/32 -j KEEP
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
-A INPUT -j FLUSHME
-A KEEP -m comment --comment "kept as is" -j ACCEPT
-A FLUSHME -s 10.9.9.9/32 -j LEAF
-A FLUSHME -j RETURN
-A LEAF -j DROP
COMMIT
*nat
:KUBE-SERVICES - [0:0]
-A PREROUTING -j KUBE-SERVICES
-A KUBE-SERVICES -d 172.30.0.1/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 10.0.0.2:6443
COMMIT
`;

const SCENARIOS: Scenario[] = [
  {
    name: 'declaring an existing user chain flushes it; undeclared chains and tables stay',
    state: BASE,
    payload: `*filter
:FLUSHME - [0:0]
:NEW - [0:0]
-A FLUSHME -m comment --comment "rebuilt" -j NEW
-A NEW -j ACCEPT
COMMIT
`,
    noflush: true,
  },
  {
    name: 'a built-in chain line sets the policy and keeps the rules',
    state: BASE,
    payload: '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\nCOMMIT\n',
    noflush: true,
  },
  {
    name: 'declare then -X deletes a chain (kube-proxy stale chains)',
    state: BASE,
    payload: '*filter\n:EMPTY - [0:0]\n:GONE - [0:0]\n-X EMPTY\n-X GONE\nCOMMIT\n',
    noflush: true,
  },
  { name: '-X of a chain still jumped to fails', state: BASE, payload: '*filter\n:LEAF - [0:0]\n-X LEAF\nCOMMIT\n', noflush: true, fails: true },
  { name: '-X of a chain with rules fails', state: BASE, payload: '*filter\n-X KEEP\nCOMMIT\n', noflush: true, fails: true },
  { name: '-X of a missing chain fails', state: BASE, payload: '*filter\n-X NOPE\nCOMMIT\n', noflush: true, fails: true },
  { name: '-A to an existing undeclared chain appends', state: BASE, payload: '*filter\n-A KEEP -s 1.2.3.4 -j DROP\nCOMMIT\n', noflush: true },
  { name: '-A to a missing chain fails', state: BASE, payload: '*filter\n-A NOPE -j DROP\nCOMMIT\n', noflush: true, fails: true },
  { name: 'a jump to a missing chain fails', state: BASE, payload: '*filter\n-A KEEP -j NOPE\nCOMMIT\n', noflush: true, fails: true },
  {
    name: 'a jump to a chain declared later fails',
    state: BASE,
    payload: '*filter\n:A - [0:0]\n-A A -j B\n:B - [0:0]\nCOMMIT\n',
    noflush: true,
    fails: true,
  },
  {
    name: '-I at positions, comma lists inserted in reverse',
    state: BASE,
    payload: '*filter\n-I INPUT -s 1.1.1.1 -j ACCEPT\n-I INPUT 3 -s 2.2.2.2,3.3.3.3 -j ACCEPT\n-I INPUT 6 -j DROP\nCOMMIT\n',
    noflush: true,
  },
  { name: '-I past the end fails', state: BASE, payload: '*filter\n-I KEEP 3 -j DROP\nCOMMIT\n', noflush: true, fails: true },
  {
    name: '-D by rule and by number',
    state: BASE,
    payload: '*filter\n-D INPUT -p tcp --dport 22 -j ACCEPT\n-D FLUSHME 2\nCOMMIT\n',
    noflush: true,
  },
  { name: '-D of a missing rule fails', state: BASE, payload: '*filter\n-D INPUT -p tcp --dport 23 -j ACCEPT\nCOMMIT\n', noflush: true, fails: true },
  { name: '-D past the end fails', state: BASE, payload: '*filter\n-D KEEP 2\nCOMMIT\n', noflush: true, fails: true },
  {
    name: '-F, -Z, -P and -N',
    state: BASE,
    payload: '*filter\n-F FLUSHME\n-Z\n-P INPUT ACCEPT\n-P OUTPUT DROP\n-N BRAND-NEW\n-A BRAND-NEW -j RETURN\nCOMMIT\n',
    noflush: true,
  },
  { name: '-N of an existing chain fails', state: BASE, payload: '*filter\n-N KEEP\nCOMMIT\n', noflush: true, fails: true },
  { name: '-P of a user chain fails', state: BASE, payload: '*filter\n-P KEEP DROP\nCOMMIT\n', noflush: true, fails: true },
  {
    name: '-F without a chain empties the table (flushing what was there)',
    state: BASE,
    payload: '*filter\n-F\n-X FLUSHME\n-X LEAF\nCOMMIT\n',
    noflush: true,
  },
  // (legacy only walks reachable rules: behind LEAF's unconditional DROP an appended jump back
  // would not count as a loop there, while nft refuses any cycle; svctrace refuses any cycle)
  { name: 'a loop of jumps fails', state: BASE, payload: '*filter\n-I LEAF -j FLUSHME\nCOMMIT\n', noflush: true, fails: true },
  {
    name: 'without --noflush a section replaces its table only',
    state: BASE,
    payload: '*filter\n:INPUT DROP [0:0]\n:OTHER - [0:0]\n-A INPUT -j OTHER\nCOMMIT\n',
  },
  {
    name: 'counters with --counters',
    state: BASE,
    payload: '*filter\n:INPUT DROP [7:700]\n:CNT - [5:5]\n[3:300] -A CNT -j ACCEPT\n-A CNT -c 4 400 -j DROP\nCOMMIT\n',
    noflush: true,
    counters: true,
  },
  {
    name: 'counters without --counters: only -c counts',
    state: BASE,
    payload: '*filter\n:INPUT DROP [7:700]\n:CNT - [5:5]\n[3:300] -A CNT -j ACCEPT\n-A CNT -c 4 400 -j DROP\nCOMMIT\n',
    noflush: true,
  },
  {
    name: '[p:b] and -c on one rule are two -c options under --counters',
    state: BASE,
    payload: '*filter\n[1:2] -A KEEP -c 3 4 -j DROP\nCOMMIT\n',
    noflush: true,
    counters: true,
    fails: true,
  },
  { name: 'a -6 line is skipped by iptables-restore', state: BASE, payload: '*filter\n-A KEEP -6 -j DROP\n-A KEEP -4 -j RETURN\nCOMMIT\n', noflush: true },
  {
    name: '-E renames a chain and the jumps to it',
    state: BASE,
    payload: '*filter\n-E LEAF RENAMED\n-A RENAMED -j RETURN\nCOMMIT\n',
    noflush: true,
    backends: ['legacy'], // iptables-nft-restore 1.8.9 fails -E inside a restore (CHAIN_RENAME)
  },
  {
    name: 'kube-proxy partial sync onto a full sync',
    state: readFixture('kube-proxy-1.28-ipv4.rules'),
    payload: `*filter
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x00004000/0x00004000 -j ACCEPT
COMMIT
*nat
:KUBE-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
:KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
-A KUBE-POSTROUTING -m mark ! --mark 0x00004000/0x00004000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x00004000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
-X KUBE-SVC-XPGD46QRK7WJZT7O
-X KUBE-SEP-SXIVWICOYRO3J4NJ
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
`,
    noflush: true,
  },
  {
    name: 'IPv6: declare, flush and delete',
    family: 'ipv6',
    state: readFixture('kube-proxy-ipv6.rules'),
    payload: '*nat\n:KUBE-SVC-LEGACY00000000000 - [0:0]\n:KUBE-NODEPORTS - [0:0]\n-X KUBE-SVC-LEGACY00000000000\n-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT\nCOMMIT\n',
    noflush: true,
    fails: true, // KUBE-SERVICES still jumps to the deleted chain
  },
  {
    name: 'IPv6: -D by rule text of another spelling',
    family: 'ipv6',
    state: readFixture('kube-proxy-ipv6.rules'),
    payload: '*nat\n-D KUBE-SEP-RS4RBKLTHTF2IUXJ -s fd00:10::2/128 -m comment --comment "ns2/svc2:p80" -j KUBE-MARK-MASQ\nCOMMIT\n',
    noflush: true,
  },
];

function tablesOf(text: string): string[] {
  return [...new Set([...text.matchAll(/^\*(\w+)/gm)].map((m) => m[1]!))];
}

/** The model's answer, or the InputError it throws. */
function model(sc: Scenario): Ruleset | InputError {
  const family = sc.family ?? 'ipv4';
  try {
    const fresh = applyRestore(emptyRuleset(family, tablesOf(sc.state)), parseRuleset(sc.state, { family, source: 'state' }), { counters: true });
    return applyRestore(fresh, parseRuleset(sc.payload, { family, source: 'payload' }), { noflush: sc.noflush, counters: sc.counters });
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
}

describe('applyRestore matches iptables-restore', () => {
  for (const sc of SCENARIOS) {
    for (const backend of sc.backends ?? BACKENDS) {
      it(`${sc.name} (${backend})`, async (t) => {
        if (!needs(t, ...KERNEL_PREREQS)) return;
        const family = sc.family ?? 'ipv4';
        const expected = model(sc);
        await withNetns((ns) => {
          const s = restore(ns, { backend, family, text: sc.state, counters: true });
          assert.equal(s.status, 0, `state refused: ${s.stderr}`);
          const r = restore(ns, { backend, family, text: sc.payload, noflush: sc.noflush, counters: sc.counters });
          if (r.status !== 0) {
            assert.ok(sc.fails, `the kernel refused a payload expected to apply: ${r.stderr}`);
            assert.ok(expected instanceof InputError, 'the kernel refused the payload but applyRestore accepted it');
            return;
          }
          assert.ok(!sc.fails, 'the kernel applied a payload expected to fail');
          if (expected instanceof InputError) assert.fail(`applyRestore refused what the kernel applied: ${expected.message}`);
          assertSameDumps(save(ns, { backend, family, counters: sc.counters }), printSave(expected, { counters: sc.counters }));
        });
      });
    }
  }
});
