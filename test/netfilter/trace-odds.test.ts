// The tracer's exact odds (trace-odds.ts) against plain rational arithmetic: xt_statistic's
// branches are threshold / 2^31 and (2^31 - threshold) / 2^31, `--mode nth` and a pinned client
// split 1/k; products, sums and comparisons must be the exact rationals, the text in lowest
// terms, and the number the nearest double (IEEE 754 round to nearest, ties to even).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  complement, compare, isOne, isZero, minus, ONE, odds, oddsText, plus, thresholdOdds, times, toNumber, ZERO_ODDS, type Odds,
} from '../../src/netfilter/trace-odds.js';
import { isNearestDouble } from '../helpers/nearest-double.js';

const TWO31 = 2n ** 31n;

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** A rational in lowest terms, denominator positive: the reference. */
function ratio(n: bigint, d: bigint): [bigint, bigint] {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return [n / g, d / g];
}

const text = ([n, d]: [bigint, bigint]) => `${n}/${d}`;
const parts = (o: Odds): [bigint, bigint] => oddsText(o).split('/').map(BigInt) as [bigint, bigint];

/** Kernel branches, nth/pinned splits, and products of them (long numerators), as [n, d]. */
const fraction = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 31 }).map((t): [bigint, bigint] => [BigInt(t), TWO31]),
  fc.integer({ min: 1, max: 5000 }).map((k): [bigint, bigint] => [1n, BigInt(k)]),
  fc.array(fc.integer({ min: 1, max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 60 }).map((ts): [bigint, bigint] => [
    ts.reduce((p, t) => p * BigInt(t), 1n), TWO31 ** BigInt(ts.length),
  ]),
  fc.tuple(fc.bigInt({ min: 0n, max: 2n ** 200n }), fc.bigInt({ min: 1n, max: 2n ** 200n })).map(([n, d]): [bigint, bigint] => [n, d]),
);

describe('exact odds', () => {
  it("xt_statistic's branches: threshold / 2^31 and the rest", () => {
    assert.equal(oddsText(thresholdOdds(715827883)), '715827883/2147483648');
    assert.equal(oddsText(complement(thresholdOdds(715827883))), '1431655765/2147483648');
    assert.equal(oddsText(thresholdOdds(2 ** 30)), '1/2');
    assert.equal(oddsText(thresholdOdds(715820724)), '178955181/536870912');
    assert.ok(isOne(thresholdOdds(2 ** 31)));
    assert.ok(isZero(thresholdOdds(0)));
    assert.equal(oddsText(ZERO_ODDS), '0/1');
    assert.equal(oddsText(ONE), '1/1');
  });

  it('construction, products, sums, differences and comparisons are the exact rationals, in lowest terms', () => {
    fc.assert(
      fc.property(fraction, fraction, ([an, ad], [bn, bd]) => {
        const a = odds(an, ad);
        const b = odds(bn, bd);
        assert.equal(oddsText(a), text(ratio(an, ad)));
        assert.equal(oddsText(times(a, b)), text(ratio(an * bn, ad * bd)));
        assert.equal(oddsText(plus(a, b)), text(ratio(an * bd + bn * ad, ad * bd)));
        assert.equal(oddsText(minus(a, b)), text(ratio(an * bd - bn * ad, ad * bd)));
        const l = an * bd;
        const r = bn * ad;
        assert.equal(compare(a, b), l < r ? -1 : l > r ? 1 : 0);
      }),
      { numRuns: 500 },
    );
  });

  it('equal values have one form: 2/4 is 1/2, 3/3 is one, 0/7 is zero', () => {
    assert.deepEqual(odds(2, 4), odds(1, 2));
    assert.ok(isOne(odds(3, 3)));
    assert.ok(isOne(plus(odds(1, 3), odds(2, 3))));
    assert.ok(isZero(odds(0, 7)));
    assert.equal(oddsText(odds(6, -4)), '-3/2');
  });

  it('the kernel\'s 1/3, 1/2, rest of 2^31 sum to exactly 1, so do a pinned client\'s k lists', () => {
    const first = thresholdOdds(715827883);
    const rest = complement(first);
    const half = thresholdOdds(2 ** 30);
    assert.ok(isOne(plus(first, plus(times(rest, half), times(rest, complement(half))))));
    let sum = ZERO_ODDS;
    for (let i = 0; i < 7; i++) sum = plus(sum, odds(1, 7));
    assert.ok(isOne(sum));
  });

  it('the number is the nearest double, ties to even', () => {
    fc.assert(
      fc.property(fraction, ([n, d]) => {
        const x = toNumber(odds(n, d));
        assert.ok(isNearestDouble(x, n, d), `${n}/${d} -> ${x}`);
      }),
      { numRuns: 500 },
    );
  });

  it('rounds from the exact value, not from a truncated quotient', () => {
    const two53 = 2n ** 53n;
    // exact ties between neighbours: to the even one
    assert.equal(toNumber(odds(two53 + 1n, two53)), 1);
    assert.equal(toNumber(odds(two53 + 3n, two53)), 1 + 2 ** -51);
    // just above a tie, by less than 2^-64 of it: up (a quotient cut at 64 extra bits reads a tie)
    const above = plus(odds(two53 + 1n, two53), odds(1n, 2n ** 200n));
    assert.equal(toNumber(above), 1 + 2 ** -52);
    const aboveOdd = plus(odds(1n, 3n * two53), odds(two53 + 1n, two53)); // not dyadic: a sticky remainder
    assert.equal(toNumber(aboveOdd), 1 + 2 ** -52);
    // small values keep all 53 bits (a quotient cut at 2^-64 would lose them)
    assert.equal(toNumber(odds(1, 1000)), 0.001);
    assert.equal(toNumber(odds(2n ** 52n + 1n, 2n ** 132n)), 2 ** -80 + 2 ** -132);
  });

  it('a product built one factor at a time (as a path behind many rules) is exact and rounds to the nearest double', () => {
    // times() keeps a long product's bit length beside it; the rounding reads only its top digits
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constant(2 ** 31 - 1), fc.constant(1)), { minLength: 1, maxLength: 400 }), fc.integer({ min: 0, max: 3 }), (ts, k) => {
        let p: Odds = ONE;
        let n = 1n;
        let d = 1n;
        ts.forEach((t, i) => {
          p = times(p, thresholdOdds(t));
          n *= BigInt(t);
          d *= TWO31;
          if (k > 0 && i === ts.length >> 1) {
            p = times(p, odds(1, 2 * k + 1)); // a pinned split midway: not dyadic
            d *= BigInt(2 * k + 1);
          }
        });
        assert.equal(oddsText(p), text(ratio(n, d)));
        const x = toNumber(p);
        assert.ok(isNearestDouble(x, n, d), `${ts.length} factors -> ${x}`);
        assert.equal(toNumber(times(p, ONE)), x);
      }),
      { numRuns: 150 },
    );
  });

  it('subnormal and out-of-range values round as a double does', () => {
    assert.equal(toNumber(odds(1n, 2n ** 1074n)), 5e-324);
    assert.equal(toNumber(odds(1n, 2n ** 1075n)), 0); // a tie between 0 and 2^-1074: to even
    assert.equal(toNumber(odds(3n, 2n ** 1076n)), 5e-324);
    assert.equal(toNumber(plus(odds(1n, 2n ** 1075n), odds(1n, 3n * 2n ** 1200n))), 5e-324);
    assert.equal(toNumber(odds(1n, 2n ** 1100n)), 0);
    assert.equal(toNumber(odds(2n ** 1024n, 1n)), Infinity);
    assert.equal(toNumber(odds(2n ** 1023n, 1n)), 2 ** 1023);
    assert.equal(toNumber(odds(-1, 3)), -1 / 3);
    for (const [n, d] of [[5n, 2n ** 1070n], [(2n ** 60n) - 1n, 2n ** 1130n], [1n, 3n * 2n ** 1060n], [7n, 2n ** 1077n]] as const) {
      assert.ok(isNearestDouble(toNumber(odds(n, d)), n, d), `${n}/${d}`);
    }
  });
});
