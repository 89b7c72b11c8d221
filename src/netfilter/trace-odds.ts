// Exact probabilities for the tracer. The kernel's statistic match compares a 31-bit random
// number with round(p * 2^31), so every branch is a fraction k / 2^31; a path's probability is
// the product of its branches. Doubles would round after two branches (31 + 31 bits > 53), so
// odds are bigint fractions: products are exact and the paths' odds sum to exactly 1.

export interface Odds {
  readonly n: bigint;
  readonly d: bigint;
}

export const ONE: Odds = { n: 1n, d: 1n };
export const ZERO_ODDS: Odds = { n: 0n, d: 1n };

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

export function odds(n: bigint | number, d: bigint | number = 1n): Odds {
  const bn = BigInt(n);
  const bd = BigInt(d);
  const g = gcd(bn, bd) || 1n;
  return { n: bn / g, d: bd / g };
}

export const times = (a: Odds, b: Odds): Odds => odds(a.n * b.n, a.d * b.d);
export const plus = (a: Odds, b: Odds): Odds => odds(a.n * b.d + b.n * a.d, a.d * b.d);
export const complement = (a: Odds): Odds => odds(a.d - a.n, a.d);
export const isZero = (a: Odds): boolean => a.n === 0n;
export const isOne = (a: Odds): boolean => a.n === a.d;

/** The nearest double: the quotient is taken with 64 extra bits, so only the last conversion rounds. */
export function toNumber(a: Odds): number {
  if (a.n === 0n) return 0;
  const scaled = (a.n << 64n) / a.d;
  return Number(scaled) / 2 ** 64;
}

/** "n/d", e.g. "715827883/2147483648". */
export function oddsText(a: Odds): string {
  return `${a.n}/${a.d}`;
}

/** The kernel's statistic threshold as odds: threshold / 2^31. */
export function thresholdOdds(threshold: number): Odds {
  return odds(BigInt(Math.min(threshold, 2 ** 31)), 2n ** 31n);
}
