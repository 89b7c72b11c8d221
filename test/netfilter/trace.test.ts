// The tracer's netfilter semantics on small hand-written rule sets. Expectations come from
// iptables/netfilter behaviour (iptables-extensions(8), the kernel's hook priorities, xt_statistic's
// round(p * 2^31) threshold), not from svctrace's output.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRuleset, type Ruleset } from '../../src/netfilter/index.js';
import { recentListsFor } from '../../src/netfilter/trace-affinity.js';
import { tracePacket, type Packet, type TraceOptions, type TraceResult } from '../../src/netfilter/trace.js';
import { isNearestDouble } from '../helpers/nearest-double.js';
import { oddsSum } from '../helpers/odds.js';

const NODE = { localAddresses: ['192.168.0.2'] };

/** A ruleset from indented text (leading spaces dropped). */
function rules(text: string, family: 'ipv4' | 'ipv6' = 'ipv4'): Ruleset {
  return parseRuleset(text.replace(/^\s+/gm, ''), { family, source: 'test', strict: true });
}

function trace(rs: Ruleset, p: Partial<Packet> = {}, options?: TraceOptions, node = NODE): TraceResult {
  return tracePacket(rs, { family: 'ipv4', source: '10.0.0.2', destination: '172.30.0.1', protocol: 'tcp', destinationPort: 80, ...p }, node, options);
}

const rulesOf = (r: TraceResult, i = 0) => r.paths[i]!.steps.filter((s) => !s.rule.startsWith(':')).map((s) => s.rule);

const NAT = (body: string) => `*nat
  :PREROUTING ACCEPT [0:0]
  :INPUT ACCEPT [0:0]
  :OUTPUT ACCEPT [0:0]
  :POSTROUTING ACCEPT [0:0]
  ${body}
  COMMIT
`;

describe('entry hook and the walk order', () => {
  const rs = rules(NAT(':KUBE-SERVICES - [0:0]\n-A PREROUTING -j KUBE-SERVICES\n-A OUTPUT -j KUBE-SERVICES'));

  it('a packet from another host enters at PREROUTING; one from the node or loopback at OUTPUT', () => {
    assert.equal(trace(rs).hook, 'PREROUTING');
    assert.equal(trace(rs, { source: '192.168.0.2' }).hook, 'OUTPUT');
    assert.equal(trace(rs, { source: '127.0.0.1', destination: '127.0.0.1' }).hook, 'OUTPUT');
  });

  it('a packet no rule changes passes unchanged: one path, probability 1, verdict ACCEPT', () => {
    const r = trace(rs);
    assert.equal(r.verdict, 'ACCEPT');
    assert.equal(r.paths.length, 1);
    assert.equal(r.paths[0]!.probability, 1);
    assert.deepEqual(r.destinations, []);
    assert.equal(r.masquerade, false);
  });

  it('walks raw, mangle and nat PREROUTING, then filter FORWARD and nat POSTROUTING, in kernel order', () => {
    const all = rules(`*raw
      :PREROUTING ACCEPT [0:0]
      :OUTPUT ACCEPT [0:0]
      -A PREROUTING -j LOG --log-prefix raw
      COMMIT
      *mangle
      :PREROUTING ACCEPT [0:0]
      :INPUT ACCEPT [0:0]
      :FORWARD ACCEPT [0:0]
      :OUTPUT ACCEPT [0:0]
      :POSTROUTING ACCEPT [0:0]
      -A PREROUTING -j LOG --log-prefix mangle-pre
      -A FORWARD -j LOG --log-prefix mangle-fwd
      -A POSTROUTING -j LOG --log-prefix mangle-post
      COMMIT
      *filter
      :INPUT ACCEPT [0:0]
      :FORWARD ACCEPT [0:0]
      :OUTPUT ACCEPT [0:0]
      -A INPUT -j LOG --log-prefix filter-in
      -A FORWARD -j LOG --log-prefix filter-fwd
      COMMIT
      ${NAT('-A PREROUTING -j LOG --log-prefix nat-pre\n-A POSTROUTING -j LOG --log-prefix nat-post\n-A INPUT -j LOG --log-prefix nat-in')}`);
    const order = rulesOf(trace(all)).map((r) => /--log-prefix (\S+)/.exec(r)![1]);
    assert.deepEqual(order, ['raw', 'mangle-pre', 'nat-pre', 'mangle-fwd', 'filter-fwd', 'mangle-post', 'nat-post']);
    // to one of the node's addresses: INPUT instead of FORWARD, and no POSTROUTING
    const local = rulesOf(trace(all, { destination: '192.168.0.2' })).map((r) => /--log-prefix (\S+)/.exec(r)![1]);
    assert.deepEqual(local, ['raw', 'mangle-pre', 'nat-pre', 'filter-in', 'nat-in']);
  });

  it('tables the ruleset lacks are skipped', () => {
    const r = trace(rules(`*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n`));
    assert.equal(r.verdict, 'DROP');
    assert.deepEqual(r.paths[0]!.steps.map((s) => `${s.table} ${s.rule}`), ['filter :FORWARD DROP']);
  });
});

describe('statistic: every branch, with the kernel\'s probability', () => {
  const svc = (probs: string[]) =>
    rules(NAT(`:SVC - [0:0]\n:SEP1 - [0:0]\n:SEP2 - [0:0]\n:SEP3 - [0:0]
      -A PREROUTING -d 172.30.0.1/32 -p tcp -m tcp --dport 80 -j SVC
      ${probs.map((p, i) => `-A SVC -m statistic --mode random --probability ${p} -j SEP${i + 1}`).join('\n')}
      -A SVC -j SEP${probs.length + 1}
      -A SEP1 -p tcp -m tcp -j DNAT --to-destination 10.180.0.1:8080
      -A SEP2 -p tcp -m tcp -j DNAT --to-destination 10.180.0.2:8080
      -A SEP3 -p tcp -m tcp -j DNAT --to-destination 10.180.0.3:8080`));

  it('1/3, 1/2, rest: three paths, the first 715827883/2^31 (0.33333333349), the others half of the remainder each', () => {
    const r = trace(svc(['0.3333333333', '0.5']));
    assert.equal(r.verdict, 'DNAT');
    assert.deepEqual(r.destinations, ['10.180.0.1:8080', '10.180.0.2:8080', '10.180.0.3:8080']);
    assert.deepEqual(r.paths.map((p) => p.odds), ['715827883/2147483648', '1431655765/4294967296', '1431655765/4294967296']);
    assert.equal(r.paths[0]!.probability.toFixed(11), '0.33333333349');
    const [n, d] = oddsSum(r);
    assert.equal(n, d, 'the odds sum to exactly 1');
  });

  it('paths that part at a probabilistic rule share the steps before it (one trail node per step, not per path)', () => {
    const n = 60;
    const rs = rules(NAT(`:SVC - [0:0]
      -A PREROUTING -d 172.30.0.1/32 -p tcp -m tcp --dport 80 -j SVC
      ${Array.from({ length: n - 1 }, (_, i) => `-A SVC -p tcp -m statistic --mode random --probability ${(1 / (n - i)).toFixed(10)} -j DNAT --to-destination 10.180.0.${i + 1}:80`).join('\n')}
      -A SVC -p tcp -j DNAT --to-destination 10.180.0.${n}:80`));
    const r = trace(rs);
    assert.equal(r.paths.length, n);
    const nodes = new Set<unknown>();
    r.paths.forEach((p, i) => {
      // `steps` is the trail read out: path i fell through the i rules before its own
      assert.equal(p.steps.length, p.trail!.length);
      assert.equal(p.steps.filter((s) => s.skipped).length, i);
      assert.equal(p.steps.at(-1), p.trail!.step);
      for (let t = p.trail; t; t = t.parent) nodes.add(t);
    });
    // the jump into SVC is one node under every path; the "not taken" steps one per rule
    assert.equal(new Set(r.paths.map((p) => p.steps[0])).size, 1);
    const perPath = r.paths[0]!.steps.length;
    assert.ok(nodes.size <= n * perPath + n, `${nodes.size} trail nodes for ${n} paths of ${perPath}+ steps`);
    assert.ok(r.paths.reduce((x, p) => x + p.steps.length, 0) > nodes.size * 5, 'as arrays they would be N^2/2');
    const [num, den] = oddsSum(r);
    assert.equal(num, den);
  });

  it("kube-proxy <= 1.16's 0.33333 is 0.33332999982 in the kernel", () => {
    const r = trace(svc(['0.33333', '0.50000']));
    assert.equal(r.paths[0]!.probability.toFixed(11), '0.33332999982');
    assert.equal(r.paths[0]!.odds, '178955181/536870912'); // 715820724 / 2^31
  });

  it('a path is the product of its steps: the fall-through share is a skipped step', () => {
    const r = trace(svc(['0.3333333333', '0.5']));
    for (const p of r.paths) {
      const product = p.steps.reduce((x, s) => x * s.branch, 1);
      assert.ok(Math.abs(product - p.probability) < 1e-15);
    }
    const third = r.paths[2]!;
    assert.deepEqual(third.steps.filter((s) => s.skipped).map((s) => /probability (\S+)/.exec(s.rule)![1]), ['0.33333333349', '0.50000000000']);
  });

  it('probability 0 never matches: that path is dropped; probability 1 always matches', () => {
    assert.deepEqual(trace(svc(['0', '0.5'])).destinations, ['10.180.0.2:8080', '10.180.0.3:8080']);
    const one = trace(svc(['1.0', '0.5']));
    assert.deepEqual(one.destinations, ['10.180.0.1:8080']);
    assert.equal(one.paths.length, 1);
  });

  it('! --probability p matches with 1 - p', () => {
    const rs = rules(NAT(':A - [0:0]\n-A PREROUTING -m statistic --mode random ! --probability 0.25 -j A\n-A A -p tcp -j DNAT --to-destination 10.0.0.9:80'));
    const r = trace(rs);
    assert.equal(r.verdict, 'MIXED');
    assert.equal(r.paths.find((p) => p.verdict === 'DNAT')!.probability, 0.75);
  });

  it('--mode nth is taken as 1 in N of new connections, and said to be assumed', () => {
    const rs = rules(NAT('-A PREROUTING -p tcp -m statistic --mode nth --every 4 --packet 0 -j DNAT --to-destination 10.0.0.9:80'));
    const r = trace(rs);
    const dnat = r.paths.find((p) => p.verdict === 'DNAT')!;
    assert.equal(dnat.odds, '1/4');
    assert.ok(dnat.assumed.some((a) => a.includes('--mode nth')));
  });
});

describe('a service with 1000 endpoints', () => {
  // kube-proxy's balancing chain (proxier.go writeServiceToEndpointRules): endpoint i of n gets
  // `--probability computeProbability(n - i)`, i.e. fmt "%0.10f" of 1/(n - i), except the last,
  // which takes the rest. (1/k).toFixed(10) is Go's text for k < 2048 (toFixed rounds ties up,
  // Go to even, and no 1/k below 2048 is an exact tie at the 11th decimal). iptables keeps lround(p * 2^31) (libxt_statistic.c) and
  // xt_statistic matches when a 31-bit random number is below it: odds threshold / 2^31.
  const N = 1000;
  const endpoint = (i: number) => `10.1.${i >> 8}.${i & 255}:8080`;
  const probabilityText = (k: number) => (1 / k).toFixed(10);
  const threshold = (k: number) => BigInt(Math.round(Number(probabilityText(k)) * 2 ** 31)); // x >= 0: Math.round is lround
  const rs = rules(NAT([
    ':KUBE-SVC-BIG - [0:0]',
    ...Array.from({ length: N }, (_, i) => `:KUBE-SEP-${i} - [0:0]`),
    '-A PREROUTING -d 172.30.0.1/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-BIG',
    ...Array.from({ length: N }, (_, i) => `-A KUBE-SVC-BIG${i < N - 1 ? ` -m statistic --mode random --probability ${probabilityText(N - i)}` : ''} -j KUBE-SEP-${i}`),
    ...Array.from({ length: N }, (_, i) => `-A KUBE-SEP-${i} -p tcp -m tcp -j DNAT --to-destination ${endpoint(i)}`),
  ].join('\n')));
  const TWO31 = 2n ** 31n;
  /** Endpoint i's share: the first i rules fell through, rule i matched (the last: all fell through). */
  function kernelOdds(i: number): [bigint, bigint] {
    let n = 1n;
    for (let j = 0; j < i; j++) n *= TWO31 - threshold(N - j);
    if (i < N - 1) return [n * threshold(N - i), TWO31 ** BigInt(i + 1)];
    return [n, TWO31 ** BigInt(i)];
  }

  it('one path per endpoint, each with exactly the kernel\'s product for its position, summing to exactly 1', () => {
    const r = trace(rs);
    assert.equal(r.verdict, 'DNAT');
    assert.equal(r.paths.length, N);
    const byDestination = new Map(r.paths.map((p) => [p.destination!, p]));
    let sum = 0n;
    let unit = 1n;
    for (let i = 0; i < N; i++) {
      const p = byDestination.get(endpoint(i));
      assert.ok(p, `a path to ${endpoint(i)}`);
      const [pn, pd] = p.odds.split('/').map(BigInt) as [bigint, bigint];
      const [kn, kd] = kernelOdds(i);
      assert.equal(pn * kd, kn * pd, `endpoint ${i}: ${p.odds} is the kernel's odds`);
      assert.ok(isNearestDouble(p.probability, pn, pd), `endpoint ${i}: probability ${p.probability} is the nearest double`);
      // kernel odds are dyadic: add them over the largest power of two
      assert.equal(pd & (pd - 1n), 0n, `endpoint ${i}: ${pd} is a power of two`);
      if (pd > unit) {
        sum *= pd / unit;
        unit = pd;
      }
      sum += pn * (unit / pd);
    }
    assert.equal(sum, unit, 'the odds sum to exactly 1');
  });
});

describe('odds that are not dyadic', () => {
  it('nth 1 in 3, then the kernel\'s 0.3333333333 and the rest: 1/3, 2/3 * 715827883/2^31, 2/3 * 1431655765/2^31', () => {
    const rs = rules(NAT(`:A - [0:0]\n:B - [0:0]\n:C - [0:0]
      -A PREROUTING -m statistic --mode nth --every 3 --packet 0 -j A
      -A PREROUTING -m statistic --mode random --probability 0.3333333333 -j B
      -A PREROUTING -j C
      -A A -p tcp -j DNAT --to-destination 10.0.0.1:80
      -A B -p tcp -j DNAT --to-destination 10.0.0.2:80
      -A C -p tcp -j DNAT --to-destination 10.0.0.3:80`));
    const r = trace(rs);
    // 2 * 715827883 / (3 * 2^31) = 715827883 / (3 * 2^30); 2 * 1431655765 / (3 * 2^31) = 1431655765 / (3 * 2^30)
    assert.deepEqual(r.paths.map((p) => [p.destination, p.odds]), [
      ['10.0.0.1:80', '1/3'], ['10.0.0.2:80', '715827883/3221225472'], ['10.0.0.3:80', '1431655765/3221225472'],
    ]);
    const [n, d] = oddsSum(r);
    assert.equal(n, d, 'the odds sum to exactly 1');
    for (const p of r.paths) {
      const [pn, pd] = p.odds.split('/').map(BigInt) as [bigint, bigint];
      assert.ok(isNearestDouble(p.probability, pn, pd));
    }
  });
});

describe('too many paths', () => {
  it('is an error as soon as one chain holds more paths than maxPaths, not after it doubled them all', { timeout: 20_000 }, () => {
    // every rule splits every path in two and both halves go on: 2^40 paths if nothing stops it
    const rs = rules(NAT(Array.from({ length: 40 }, () => '-A PREROUTING -m statistic --mode random --probability 0.5 -j LOG').join('\n')));
    assert.throws(() => trace(rs, {}, { maxPaths: 1000 }), /the trace has more than 1000 paths/);
  });
});

describe('targets', () => {
  it('NAT rules see only the first DNAT: the nat table stops at the first NAT target', () => {
    const rs = rules(NAT('-A PREROUTING -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.1:80\n-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.2:80'));
    assert.deepEqual(trace(rs).destinations, ['10.0.0.1:80']);
  });

  it('DNAT without a port keeps the destination port; IPv6 destinations print in brackets', () => {
    assert.deepEqual(trace(rules(NAT('-A PREROUTING -j DNAT --to-destination 10.0.0.1'))).destinations, ['10.0.0.1:80']);
    const v6 = rules(NAT('-A PREROUTING -p tcp -j DNAT --to-destination [fd00::1]:8080'), 'ipv6');
    const r = tracePacket(v6, { family: 'ipv6', source: 'fd00:10::2', destination: 'fd00:30::1', protocol: 'tcp', destinationPort: 80 }, { localAddresses: ['2001:db8::1'] });
    assert.deepEqual(r.destinations, ['[fd00::1]:8080']);
  });

  it('-j CHAIN comes back after RETURN or the end of the chain; -g does not', () => {
    const rs = rules(NAT(`:A - [0:0]\n:B - [0:0]
      -A PREROUTING -j A
      -A PREROUTING -j LOG --log-prefix after-A
      -A PREROUTING -g B
      -A PREROUTING -j LOG --log-prefix after-B
      -A A -j RETURN
      -A A -j LOG --log-prefix never
      -A B -j LOG --log-prefix in-B`));
    const seen = rulesOf(trace(rs));
    assert.deepEqual(seen, ['-A PREROUTING -j A', '-A A -j RETURN', '-A PREROUTING -j LOG --log-prefix after-A', '-A PREROUTING -g B', '-A B -j LOG --log-prefix in-B']);
    // after the goto'd chain ends, the built-in chain's policy decides
    assert.equal(trace(rs).paths[0]!.steps.filter((s) => s.table === 'nat' && s.hook === 'PREROUTING').at(-1)!.rule, ':PREROUTING ACCEPT');
  });

  it('a built-in chain\'s policy applies when the walk falls off its end or RETURNs from it', () => {
    const rs = rules(`*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A FORWARD -j RETURN\n-A FORWARD -j ACCEPT\nCOMMIT\n`);
    const r = trace(rs);
    assert.equal(r.verdict, 'DROP');
    assert.deepEqual(rulesOf(r), ['-A FORWARD -j RETURN']);
  });

  it('REJECT and DROP stop the packet; LOG goes on', () => {
    const rs = rules(`*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]
      -A FORWARD -j LOG
      -A FORWARD -p tcp -m tcp --dport 80 -j REJECT --reject-with tcp-reset
      -A FORWARD -j DROP
      COMMIT\n`);
    assert.equal(trace(rs).verdict, 'REJECT');
    assert.equal(trace(rs, { destinationPort: 81 }).verdict, 'DROP');
  });

  it('MARK --set-xmark computes (mark & ~mask) ^ value; --or-mark and --xor-mark are its spellings', () => {
    const rs = rules(`*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]
      -A PREROUTING -j MARK --set-xmark 0xf0/0xff
      -A PREROUTING -j MARK --or-mark 0x4000
      -A PREROUTING -j MARK --xor-mark 0x10
      COMMIT\n`);
    assert.equal(trace(rs, {}, { mark: 0x10f }).paths[0]!.mark, ((((0x10f & ~0xff) ^ 0xf0) | 0x4000) ^ 0x10) >>> 0);
  });

  it('CONNMARK --save-mark and --restore-mark copy between the packet and its connection', () => {
    const rs = rules(`*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]
      -A PREROUTING -m connmark --mark 0x7 -j MARK --set-mark 0x1
      -A PREROUTING -j CONNMARK --restore-mark
      COMMIT\n`);
    assert.equal(trace(rs, {}, { ctmark: 7 }).paths[0]!.mark, 7);
    assert.equal(trace(rs, {}, { ctmark: 0 }).paths[0]!.mark, 0);
  });

  it('MASQUERADE happens in nat POSTROUTING, after the mark a nat PREROUTING rule set', () => {
    const rs = rules(NAT(`:MARK-MASQ - [0:0]\n:POST - [0:0]
      -A PREROUTING ! -s 10.0.0.0/8 -j MARK-MASQ
      -A PREROUTING -p tcp -j DNAT --to-destination 10.180.0.1:80
      -A MARK-MASQ -j MARK --or-mark 0x4000
      -A POSTROUTING -j POST
      -A POST -m mark ! --mark 0x4000/0x4000 -j RETURN
      -A POST -j MASQUERADE`));
    assert.equal(trace(rs, { source: '203.0.113.2' }).masquerade, true);
    assert.equal(trace(rs, { source: '203.0.113.2' }).paths[0]!.delivery, 'forward');
    assert.equal(trace(rs, { source: '10.0.0.2' }).masquerade, false);
  });

  it('a packet delivered to the node itself does not pass POSTROUTING: no masquerade', () => {
    const rs = rules(NAT('-A PREROUTING -j MARK --or-mark 0x4000\n-A POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE'));
    const r = trace(rs, { source: '203.0.113.2', destination: '192.168.0.2' });
    assert.equal(r.masquerade, false);
    assert.equal(r.paths[0]!.delivery, 'local');
  });

  it('SNAT is reported with its address', () => {
    const r = trace(rules(NAT('-A POSTROUTING -j SNAT --to-source 192.168.0.2')));
    assert.equal(r.paths[0]!.snat, '192.168.0.2');
  });

  it('a jump loop is an error naming the chains; so is a jump to a chain the table lacks', () => {
    // parseRuleset keeps what iptables-restore would refuse, as a malformed dump may hold it
    const loop = parseRuleset('*nat\n:PREROUTING ACCEPT [0:0]\n:A - [0:0]\n:B - [0:0]\n-A PREROUTING -j A\n-A A -j B\n-A B -j A\nCOMMIT\n', { source: 'dump' });
    assert.throws(() => trace(loop), /dump:7: jump loop in table nat: PREROUTING -> A -> B -> A/);
    const missing = parseRuleset('*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j NOWHERE\nCOMMIT\n', { source: 'dump' });
    assert.throws(() => trace(missing), /dump:3: rule jumps to chain "NOWHERE"/);
  });
});

describe('matches', () => {
  it('-s/-d with masks and !, -p, ports and port ranges, multiport', () => {
    const rs = rules(NAT(`-A PREROUTING ! -s 10.0.0.0/8 -j LOG --log-prefix outside
      -A PREROUTING -d 172.30.0.0/16 -p udp -j LOG --log-prefix udp
      -A PREROUTING -p tcp -m tcp --dport 79:81 -j LOG --log-prefix range
      -A PREROUTING -p tcp -m tcp ! --dport 80 -j LOG --log-prefix not80
      -A PREROUTING -p tcp -m multiport --dports 22,80:90 -j LOG --log-prefix multi`));
    const seen = (p: Partial<Packet>) => rulesOf(trace(rs, p)).map((r) => /--log-prefix (\S+)/.exec(r)![1]);
    assert.deepEqual(seen({}), ['range', 'multi']);
    assert.deepEqual(seen({ source: '203.0.113.9', protocol: 'udp', destinationPort: 85 }), ['outside', 'udp']);
    assert.deepEqual(seen({ destinationPort: 91 }), ['not80']);
  });

  it('an unknown source port is judged over the ephemeral range, and said to be assumed', () => {
    const rs = rules(NAT('-A PREROUTING -p tcp -m tcp --sport 1024:65535 -j LOG --log-prefix high\n-A PREROUTING -p tcp -m tcp --sport 53 -j LOG --log-prefix dns'));
    const r = trace(rs);
    assert.deepEqual(rulesOf(r).map((x) => /--log-prefix (\S+)/.exec(x)![1]), ['high']);
    assert.ok(r.paths[0]!.assumed.some((a) => a.includes('source port is unknown')));
    assert.deepEqual(rulesOf(trace(rs, { sourcePort: 53 })).map((x) => /--log-prefix (\S+)/.exec(x)![1]), ['dns']);
  });

  it('addrtype LOCAL: the node\'s addresses and loopback', () => {
    const rs = rules(NAT('-A PREROUTING -m addrtype --dst-type LOCAL -j LOG --log-prefix local\n-A OUTPUT -m addrtype --dst-type LOCAL -j LOG --log-prefix local'));
    assert.equal(rulesOf(trace(rs, { destination: '192.168.0.2' })).length, 1);
    assert.equal(rulesOf(trace(rs, { source: '127.0.0.1', destination: '127.0.0.5' })).length, 1);
    assert.equal(rulesOf(trace(rs, { destination: '192.168.0.3' })).length, 0);
    // without node addresses only loopback is local
    assert.equal(rulesOf(trace(rs, { destination: '192.168.0.2' }, {}, { localAddresses: [] })).length, 0);
  });

  it('an interface the packet does not give is taken as none of those named, and said to be assumed', () => {
    const rs = rules(NAT('-A PREROUTING -i eth0 -j LOG --log-prefix eth0\n-A PREROUTING ! -i docker0 -j LOG --log-prefix not-docker\n-A PREROUTING -i cali+ -j LOG --log-prefix cali'));
    const r = trace(rs);
    assert.deepEqual(rulesOf(r).map((x) => /--log-prefix (\S+)/.exec(x)![1]), ['not-docker']);
    assert.equal(r.paths[0]!.assumed.filter((a) => a.includes('incoming interface is unknown')).length, 3);
    const known = trace(rs, { inInterface: 'cali1234' });
    assert.deepEqual(rulesOf(known).map((x) => /--log-prefix (\S+)/.exec(x)![1]), ['not-docker', 'cali']);
    assert.deepEqual(known.paths[0]!.assumed, []);
  });

  it('conntrack: NEW by default, DNAT once a DNAT rule rewrote the destination, ESTABLISHED skips NAT', () => {
    const rs = rules(`*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]
      -A FORWARD -m conntrack --ctstate DNAT -j LOG --log-prefix dnat
      -A FORWARD -m state --state NEW -j LOG --log-prefix new
      -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j LOG --log-prefix est
      COMMIT
      ${NAT('-A PREROUTING -d 172.30.0.1/32 -p tcp -j DNAT --to-destination 10.180.0.1:80')}`);
    const seen = (p: Partial<Packet>, o?: TraceOptions) => rulesOf(trace(rs, p, o)).filter((x) => x.includes('log-prefix')).map((x) => /--log-prefix (\S+)/.exec(x)![1]);
    assert.deepEqual(seen({}), ['dnat', 'new']);
    assert.deepEqual(seen({ destination: '172.30.0.2' }), ['new']);
    const est = trace(rs, {}, { ctstate: 'ESTABLISHED' });
    assert.deepEqual(est.destinations, []);
    assert.ok(est.notes.some((n) => n.includes('nat PREROUTING not consulted')));
  });

  it('NOTRACK in raw leaves the connection untracked: no NAT', () => {
    const rs = rules(`*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -p tcp -j CT --notrack\nCOMMIT\n${NAT('-A PREROUTING -p tcp -j DNAT --to-destination 10.180.0.1:80')}`);
    assert.equal(trace(rs).verdict, 'ACCEPT');
  });

  it('a match svctrace does not model is taken as not matching and said to be assumed', () => {
    const rs = rules(NAT('-A PREROUTING -p tcp -m u32 --u32 "0>>22&0x3C@ 12>>26&0x3C@ 0=0x0" -j DNAT --to-destination 10.0.0.1:80'));
    const r = trace(rs);
    assert.equal(r.verdict, 'ACCEPT');
    assert.ok(r.paths[0]!.assumed.some((a) => a.startsWith('-m u32: not modelled: assumed not matching')));
  });

  it('nfacct only counts: it matches, nothing is assumed (the localhost NodePort rule of kube-proxy 1.31+)', () => {
    const rs = rules(NAT(`:KUBE-NODEPORTS - [0:0]
      -A OUTPUT -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
      -A KUBE-NODEPORTS -d 127.0.0.0/8 -p tcp -m tcp --dport 3001 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j DNAT --to-destination 10.180.0.1:80`));
    const r = trace(rs, { source: '127.0.0.1', destination: '127.0.0.1', destinationPort: 3001 });
    assert.deepEqual(r.destinations, ['10.180.0.1:80']);
    assert.deepEqual(r.paths[0]!.assumed, []);
    const other = trace(rs, { source: '127.0.0.1', destination: '127.0.0.1', destinationPort: 3002 });
    assert.deepEqual(other.destinations, [], 'the rule\'s other tests still decide');
  });

  it('ipsets are unknown: not a member (a negated --match-set matches)', () => {
    const rs = rules(NAT('-A PREROUTING -m set --match-set allowed src -j LOG --log-prefix in\n-A PREROUTING -m set ! --match-set blocked src -j LOG --log-prefix notin'));
    assert.deepEqual(rulesOf(trace(rs)).map((x) => /--log-prefix (\S+)/.exec(x)![1]), ['notin']);
  });
});

describe('session affinity (-m recent)', () => {
  const rs = rules(NAT(`:SVC - [0:0]\n:SEP-A - [0:0]\n:SEP-B - [0:0]
    -A PREROUTING -d 172.30.0.1/32 -p tcp -m tcp --dport 80 -j SVC
    -A SVC -m recent --rcheck --seconds 10800 --reap --name SEP-A --mask 255.255.255.255 --rsource -j SEP-A
    -A SVC -m recent --rcheck --seconds 10800 --reap --name SEP-B --mask 255.255.255.255 --rsource -j SEP-B
    -A SVC -m statistic --mode random --probability 0.25 -j SEP-A
    -A SVC -j SEP-B
    -A SEP-A -p tcp -m recent --set --name SEP-A --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.180.0.1:80
    -A SEP-B -p tcp -m recent --set --name SEP-B --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.180.0.2:80`));

  it('a new client is in no list: the balancing rules decide', () => {
    const r = trace(rs);
    assert.deepEqual(r.paths.map((p) => [p.destination, p.probability]), [['10.180.0.1:80', 0.25], ['10.180.0.2:80', 0.75]]);
  });

  it('a pinned client is in one list of the chain, each equally likely, and goes where it is pinned', () => {
    const r = trace(rs, {}, { affinity: 'pinned' });
    assert.deepEqual(r.paths.map((p) => [p.destination, p.probability]), [['10.180.0.1:80', 0.5], ['10.180.0.2:80', 0.5]]);
    assert.ok(r.paths.every((p) => p.assumed.some((a) => a.startsWith('recent: the client is pinned to list'))));
  });

  it('pinned to one endpoint: the list its DNAT rule sets', () => {
    assert.deepEqual(recentListsFor(rs, '10.180.0.2:80'), ['SEP-B']);
    const r = trace(rs, {}, { recentLists: recentListsFor(rs, '10.180.0.2:80') });
    assert.deepEqual(r.destinations, ['10.180.0.2:80']);
    assert.equal(r.paths.length, 1);
  });
});

describe('packets the node sends', () => {
  const rs = rules(`*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]
    -A INPUT -i lo -j ACCEPT
    -A INPUT -j DROP
    COMMIT
    ${NAT('-A PREROUTING -p tcp -j DNAT --to-destination 10.9.9.9:80\n-A OUTPUT -d 172.30.0.1/32 -p tcp -j DNAT --to-destination 10.180.0.1:80')}`);

  it('go through nat OUTPUT (not PREROUTING) and leave through POSTROUTING', () => {
    const r = trace(rs, { source: '192.168.0.2' });
    assert.deepEqual(r.destinations, ['10.180.0.1:80']);
    assert.equal(r.paths[0]!.delivery, 'output');
  });

  it('to the node itself: back in over lo through filter INPUT, with no second NAT decision', () => {
    const r = trace(rs, { source: '192.168.0.2', destination: '192.168.0.2' });
    assert.equal(r.verdict, 'ACCEPT');
    assert.equal(r.paths[0]!.delivery, 'local');
    assert.ok(rulesOf(r).includes('-A INPUT -i lo -j ACCEPT'));
    assert.deepEqual(r.paths[0]!.assumed, [], 'the interface is known: lo');
  });

  it('after SNAT to another port, conntrack keeps the original source port and replies go to the new one', () => {
    const snat = rules(`*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]
      -A INPUT -p tcp -m conntrack --ctorigsrcport 40000 -j LOG --log-prefix orig
      -A INPUT -p tcp -m conntrack --ctrepldstport 5000 -j LOG --log-prefix reply
      -A INPUT -p tcp -m conntrack --ctorigsrcport 5000 -j DROP
      COMMIT
      ${NAT('-A POSTROUTING -p tcp -j SNAT --to-source 192.168.0.2:5000')}`);
    const r = trace(snat, { source: '192.168.0.2', destination: '192.168.0.2', sourcePort: 40000 });
    assert.equal(r.verdict, 'ACCEPT');
    assert.deepEqual(rulesOf(r).filter((x) => x.includes('log-prefix')).map((x) => /--log-prefix (\S+)/.exec(x)![1]), ['orig', 'reply']);
  });
});

describe('bad input', () => {
  const rs = rules(NAT(''));
  it('an address that is not one, a port out of range, a family that does not fit the rules', () => {
    assert.throws(() => trace(rs, { destination: '172.30.0.300' }), /destination "172.30.0.300" is not an IPv4 address/);
    assert.throws(() => trace(rs, { destinationPort: 65536 }), /destination port 65536 is out of range/);
    assert.throws(() => tracePacket(rs, { family: 'ipv6', source: 'fd00::1', destination: 'fd00::2', protocol: 'tcp', destinationPort: 80 }, NODE), /the packet is IPv6 but the rules are IPv4/);
  });
  it('packet addresses are read as inet_pton reads them, not as iptables reads rule addresses', () => {
    // libxtables would take 010.0.0.2 as 8.0.0.2 (octal): a packet address has no such reading
    assert.throws(() => trace(rs, { source: '010.0.0.2' }), /source "010.0.0.2" is not an IPv4 address/);
    assert.throws(() => trace(rs, { destination: '172.30.0.0x1' }), /destination "172.30.0.0x1" is not an IPv4 address/);
  });
});
