// Exact probabilities for the tracer. The kernel's statistic match compares a 31-bit random
// number with round(p * 2^31), so every branch is k / 2^31 and the share that falls through is
// (2^31 - k) / 2^31; a path's probability is the product of its branches. Doubles would round
// after two branches (31 + 31 bits > 53), so odds are exact rationals.
//
// They are kept as n / (m * 2^e): n an odd bigint (or 0), e an integer, and m the odd part of
// the denominator, coprime to n. Every kernel probability, and every product and sum of them,
// is dyadic (m = 1), so multiplying is one bigint product (odd times odd is odd: nothing to
// reduce) and adding is a shift, an add and stripping the new trailing zero bits; no gcd of
// the ever longer numerators a path collects (one 31-bit factor per rule it passes). Branches
// that are not dyadic (`--mode nth --every 3`, a pinned client spread over k lists: 1/k) have
// m > 1; only then is a gcd taken, against m, which stays as small as those few branches make it.
// The form is unique, so two equal odds have equal fields and `oddsText` is in lowest terms.

export interface Odds {
  /** the numerator: odd, or 0 */
  readonly n: bigint;
  /** the denominator's odd part, coprime to n (1 for every kernel probability) */
  readonly m: bigint;
  /** the denominator's power of two: the value is n / (m * 2^e) */
  readonly e: number;
}

export const ONE: Odds = { n: 1n, m: 1n, e: 0 };
export const ZERO_ODDS: Odds = { n: 0n, m: 1n, e: 0 };

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/** The number of bits of x > 0. */
function bitLength(x: bigint): number {
  if (x <= 0xffffffffn) return 32 - Math.clz32(Number(x));
  if (x < 0x20000000000000n) return 64 - Math.clz32(Math.floor(Number(x) / 2 ** 32)); // exact below 2^53
  const hex = x.toString(16); // linear: a power-of-two radix needs no division
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}

// The bit length of a long numerator, kept beside it: a path's odds are a product of one
// 31-bit factor per rule it passed, and reading the length of a 30,000-rule product anew (a
// pass over all its digits) for each of its neighbours' products made tracing quadratic twice
// over. times() works a product's length out from its factors' in O(1).
const numeratorBits = new WeakMap<Odds, number>();
const SMALL = 0x1fffffffffffffn; // below 2^53: bitLength is cheap, nothing kept

/** The bit length of |a.n| (a.n != 0). */
function bitsOf(a: Odds): number {
  const n = a.n < 0n ? -a.n : a.n;
  if (n <= SMALL) return bitLength(n);
  let bits = numeratorBits.get(a);
  if (bits === undefined) {
    bits = bitLength(n);
    numeratorBits.set(a, bits);
  }
  return bits;
}

/** The number of trailing zero bits of x != 0. */
function trailingZeros(x: bigint): number {
  const low = Number(BigInt.asUintN(32, x));
  if (low !== 0) return 31 - Math.clz32(low & -low);
  return bitLength(x & -x) - 1; // x & -x is x's lowest set bit
}

/** n / (m * 2^e) in the canonical form; m must be odd and positive. */
function make(n: bigint, m: bigint, e: number): Odds {
  if (n === 0n) return ZERO_ODDS;
  const z = trailingZeros(n);
  if (z > 0) {
    n >>= BigInt(z);
    e -= z;
  }
  if (m !== 1n) {
    const g = gcd(m, n);
    if (g !== 1n) {
      n /= g;
      m /= g;
    }
  }
  return { n, m, e };
}

/** The exact fraction n/d (d != 0). */
export function odds(n: bigint | number, d: bigint | number = 1n): Odds {
  let bn = BigInt(n);
  let bd = BigInt(d);
  if (bd === 0n) throw new RangeError('odds: the denominator is 0');
  if (bd < 0n) [bn, bd] = [-bn, -bd];
  if (bn === 0n) return ZERO_ODDS;
  const z = trailingZeros(bd);
  return make(bn, bd >> BigInt(z), z);
}

export function times(a: Odds, b: Odds): Odds {
  if (a.n === 0n || b.n === 0n) return ZERO_ODDS;
  // odd times odd is odd, and the odd parts were coprime crosswise once reduced below
  if (a.m === 1n && b.m === 1n) {
    const product: Odds = { n: a.n * b.n, m: 1n, e: a.e + b.e };
    if (a.n > 0n && b.n > 0n && (a.n > SMALL || b.n > SMALL)) {
      // x·y has bitLength(x) + bitLength(y) - 1 bits, or one more: one look at its top digit says which
      const bits = bitsOf(a) + bitsOf(b) - 1;
      numeratorBits.set(product, product.n >> BigInt(bits) === 0n ? bits : bits + 1);
    }
    return product;
  }
  const g1 = gcd(b.m, a.n);
  const g2 = gcd(a.m, b.n);
  return { n: (a.n / g1) * (b.n / g2), m: (a.m / g2) * (b.m / g1), e: a.e + b.e };
}

export function plus(a: Odds, b: Odds): Odds {
  if (a.n === 0n) return b;
  if (b.n === 0n) return a;
  const e = Math.max(a.e, b.e);
  const an = a.e === e ? a.n : a.n << BigInt(e - a.e);
  const bn = b.e === e ? b.n : b.n << BigInt(e - b.e);
  if (a.m === b.m) return make(an + bn, a.m, e);
  return make(an * b.m + bn * a.m, a.m * b.m, e);
}

const negate = (a: Odds): Odds => (a.n === 0n ? a : { n: -a.n, m: a.m, e: a.e });

export const minus = (a: Odds, b: Odds): Odds => plus(a, negate(b));
/** 1 - a: the share that does not take a branch of odds a. */
export const complement = (a: Odds): Odds => minus(ONE, a);
export const isZero = (a: Odds): boolean => a.n === 0n;
export const isOne = (a: Odds): boolean => a.n === 1n && a.m === 1n && a.e === 0;
/** -1, 0 or 1 as a < b, a = b, a > b. */
export function compare(a: Odds, b: Odds): -1 | 0 | 1 {
  const d = minus(a, b).n;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/**
 * The nearest double, ties to even (as Number() rounds a decimal text), also when it is
 * subnormal. A dyadic value is rounded from its own bits; any other from a quotient with two
 * spare bits and a sticky bit for a non-zero remainder, so there is one rounding either way.
 */
export function toNumber(a: Odds): number {
  if (a.n === 0n) return 0;
  const negative = a.n < 0n;
  const n = negative ? -a.n : a.n;
  let v: number;
  if (a.m === 1n) {
    v = roundToDouble(n, false, -a.e, bitsOf(a));
  } else {
    const spare = Math.max(0, 55 - (bitsOf(a) - bitLength(a.m)));
    const scaled = n << BigInt(spare);
    v = roundToDouble(scaled / a.m, scaled % a.m !== 0n, -a.e - spare);
  }
  return negative ? -v : v;
}

/** (q + f) * 2^x as the nearest double, where 0 <= f < 1 and `inexact` says f > 0 (then q has at least 55 bits); `bits` is q's bit length. */
function roundToDouble(q: bigint, inexact: boolean, x: number, bits = bitLength(q)): number {
  const top = bits - 1 + x; // the exponent of q's leading bit in the value
  // a double holds 53 significant bits, fewer below 2^-1022 (subnormal: down to 2^-1074)
  const precision = top >= -1022 ? 53 : top + 1075;
  const drop = bits - precision;
  if (drop <= 0) return scale(Number(q), x); // exact
  const d = BigInt(drop);
  let kept = q >> d;
  // The dropped bits against half their unit: the highest of them, then whether any other is
  // set (q odd, as a dyadic numerator is: bit 0). Shifts that keep only the top digits: the
  // dropped part itself, as long as q, is never built.
  const high = ((q >> (d - 1n)) & 1n) === 1n;
  const rest = drop > 1 && ((q & 1n) === 1n || BigInt.asUintN(drop - 1, q) !== 0n);
  if (high && (rest || inexact || (kept & 1n) === 1n)) kept += 1n;
  return scale(Number(kept), x + drop);
}

/** v * 2^k for an integer v < 2^54 when the product is a double (else its overflow to Infinity); 2 ** k alone would underflow below 2^-1074. */
function scale(v: number, k: number): number {
  while (k > 1023) {
    v *= 2 ** 1023;
    k -= 1023;
  }
  while (k < -1022) {
    v *= 2 ** -1022;
    k += 1022;
  }
  return v * 2 ** k;
}

/** The bit length of the denominator of `a` in lowest terms: how long its `oddsText` is. */
export function denominatorBits(a: Odds): number {
  return bitLength(a.m) + Math.max(a.e, 0);
}

/** "n/d" in lowest terms, e.g. "715827883/2147483648" (0 is "0/1"). */
export function oddsText(a: Odds): string {
  if (a.e >= 0) return `${a.n}/${a.m << BigInt(a.e)}`;
  return `${a.n << BigInt(-a.e)}/${a.m}`;
}

/** The kernel's statistic threshold as odds: threshold / 2^31. */
export function thresholdOdds(threshold: number): Odds {
  return make(BigInt(Math.min(threshold, 2 ** 31)), 1n, 31);
}
