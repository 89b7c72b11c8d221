// `trace -o json|yaml`'s document: a run of more than 8 not-taken steps in a row in one chain is
// one step object (rules: K, lastRule, branch the exact product of the run's shares); runs of up
// to 8 are written step by step. The reference is the kernel's threshold round(p * 2^31) / 2^31,
// multiplied out in plain bigints.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRuleset, type Ruleset } from '../../src/netfilter/index.js';
import { tracePacket, type TraceResult } from '../../src/netfilter/trace.js';
import { odds, toNumber } from '../../src/netfilter/trace-odds.js';
import { MAX_SKIPPED_RUN, traceDocument } from '../../src/output/trace-doc.js';

interface StepDoc {
  table: string;
  chain: string;
  rule: string;
  branch: number;
  hook: string;
  depth: number;
  effect?: string;
  skipped?: boolean;
  rules?: number;
  lastRule?: string;
}
interface Doc {
  paths: Array<{ probability: number; destination?: string; steps: StepDoc[]; odds: string }>;
}

const ip = (i: number) => `10.0.${i >> 8}.${i & 255}`;
const probability = (n: number, i: number) => (1 / (n - i)).toFixed(10);
const rule = (chain: string, n: number, i: number, base = 0) =>
  `-A ${chain} -p tcp -m statistic --mode random --probability ${probability(n, i)} -j DNAT --to-destination ${ip(base + i)}:80`;

function nat(lines: string[]): Ruleset {
  const text = ['*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', ...lines, 'COMMIT', ''].join('\n');
  return parseRuleset(text, { family: 'ipv4', source: 'test' });
}

/** kube-proxy's balancing over n endpoints: 1/n, 1/(n-1), ..., then the last one unconditionally. */
function balancing(n: number): Ruleset {
  return nat([
    ':KUBE-SVC-A - [0:0]',
    '-A PREROUTING -d 172.30.0.1/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-A',
    ...Array.from({ length: n - 1 }, (_, i) => rule('KUBE-SVC-A', n, i)),
    `-A KUBE-SVC-A -p tcp -j DNAT --to-destination ${ip(n - 1)}:80`,
  ]);
}

function doc(rs: Ruleset): { result: TraceResult; doc: Doc } {
  const result = tracePacket(rs, { family: 'ipv4', source: '10.9.9.9', destination: '172.30.0.1', protocol: 'tcp', destinationPort: 80 }, { localAddresses: [] });
  const d = traceDocument({
    packet: { from: '10.9.9.9', to: '172.30.0.1', port: 80, protocol: 'tcp', node: null, hook: result.hook },
    result,
    rules: { source: 'iptables-save', file: 'test' },
    destinationInfo: () => undefined,
    notes: [],
  });
  return { result, doc: JSON.parse(JSON.stringify(d)) as Doc };
}

/** The exact share that falls through the rules with these --probability texts: prod (2^31 - round(p 2^31)) / 2^31. */
function fallThrough(ps: string[]): number {
  let n = 1n;
  let d = 1n;
  for (const p of ps) {
    n *= 2n ** 31n - BigInt(Math.round(Number(p) * 2 ** 31));
    d *= 2n ** 31n;
  }
  return toNumber(odds(n, d));
}

const skipped = (steps: StepDoc[]) => steps.filter((s) => s.skipped);

describe('trace document: runs of not-taken steps', () => {
  it(`writes a run of ${MAX_SKIPPED_RUN} step by step and a run of ${MAX_SKIPPED_RUN + 1} as one step`, () => {
    assert.equal(MAX_SKIPPED_RUN, 8);
    const n = 11;
    const { result, doc: d } = doc(balancing(n));
    assert.equal(d.paths.length, n);
    // path k (from 0) fell through the k rules before its own
    for (let k = 0; k <= 8; k++) {
      const run = skipped(d.paths[k]!.steps);
      assert.equal(run.length, k, `path ${k}`);
      assert.ok(run.every((s) => s.rules === undefined && s.lastRule === undefined));
      // as the tracer has them
      assert.deepEqual(run.map((s) => [s.rule, s.branch]), result.paths[k]!.steps.filter((s) => s.skipped).map((s) => [s.rule, s.branch]));
    }
    for (const k of [9, 10]) {
      const path = d.paths[k]!;
      const run = skipped(path.steps);
      assert.equal(run.length, 1, `path ${k}: one step for the run`);
      const s = run[0]!;
      const rules = result.paths[k]!.steps.filter((t) => t.skipped).map((t) => t.rule); // in save form
      assert.equal(rules.length, k);
      assert.match(rules[0]!, new RegExp(`^-A KUBE-SVC-A .*--to-destination ${ip(0)}:80$`));
      assert.match(rules[k - 1]!, new RegExp(`^-A KUBE-SVC-A .*--to-destination ${ip(k - 1)}:80$`));
      assert.deepEqual(Object.keys(s), ['table', 'chain', 'rule', 'branch', 'hook', 'depth', 'effect', 'skipped', 'rules', 'lastRule']);
      assert.deepEqual(
        { ...s, branch: 0 },
        { table: 'nat', chain: 'KUBE-SVC-A', rule: rules[0], branch: 0, hook: 'PREROUTING', depth: 1, effect: 'not taken', skipped: true, rules: k, lastRule: rules[k - 1] },
      );
      // the exact product of the k shares, as a double: not the product of k doubles
      assert.equal(s.branch, fallThrough(Array.from({ length: k }, (_, i) => probability(n, i))));
      assert.equal(path.steps.length, result.paths[k]!.steps.length - k + 1);
      const product = path.steps.reduce((x, t) => x * t.branch, 1);
      assert.ok(Math.abs(product - path.probability) <= 1e-15 * path.probability, `path ${k}: ${product} vs ${path.probability}`);
      assert.equal(path.odds, result.paths[k]!.odds);
    }
  });

  it('a run is one chain\'s: not-taken steps of a chain and then of its caller are two runs', () => {
    // A falls off its end (every rule probabilistic) back to PREROUTING, whose own balancing
    // rules follow: the path through all of them has 9 + 9 not-taken steps in a row
    const rs = nat([
      ':A - [0:0]',
      '-A PREROUTING -j A',
      ...Array.from({ length: 9 }, (_, i) => rule('A', 20, i)),
      ...Array.from({ length: 9 }, (_, i) => rule('PREROUTING', 10, i, 100)),
    ]);
    const { doc: d } = doc(rs);
    const last = d.paths.at(-1)!;
    assert.equal(last.destination, undefined, 'the path that falls through everything');
    assert.deepEqual(skipped(last.steps).map((s) => [s.chain, s.depth, s.rules]), [['A', 1, 9], ['PREROUTING', 0, 9]]);
    // taken at the last PREROUTING rule: 9 not taken in A (one step), then 8 in PREROUTING (eight)
    const taken = d.paths.find((p) => p.destination === `${ip(108)}:80`)!;
    assert.deepEqual(skipped(taken.steps).map((s) => [s.chain, s.rules]), [['A', 9], ...Array.from({ length: 8 }, () => ['PREROUTING', undefined])]);
    for (const p of d.paths) {
      const product = p.steps.reduce((x, t) => x * t.branch, 1);
      assert.ok(Math.abs(product - p.probability) <= 1e-15 * p.probability);
    }
  });
});
