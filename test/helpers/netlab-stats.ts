// Exact binomial bounds for the packet lab: is what the kernel did with n new connections
// consistent with the probabilities the tracer gives? Each outcome's count is a binomial
// variable; it must not fall in either tail of Bin(n, p) beyond alpha / (2k) (k outcomes, union
// bound), so a correct tracer fails a check with probability below alpha whatever n is. An
// outcome the tracer gives probability 0 must not happen at all; one it gives probability 1 must
// happen every time.

const logFactorials: number[] = [0];

function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials.push(logFactorials[i - 1]! + Math.log(i));
  return logFactorials[n]!;
}

function logPmf(n: number, k: number, p: number): number {
  if (p === 0) return k === 0 ? 0 : -Infinity;
  if (p === 1) return k === n ? 0 : -Infinity;
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** P(X <= k) and P(X >= k) for X ~ Bin(n, p), summed from the far end of each tail. */
export function binomialTails(n: number, k: number, p: number): { lower: number; upper: number } {
  let lower = 0;
  for (let i = 0; i <= k; i++) lower += Math.exp(logPmf(n, i, p));
  let upper = 0;
  for (let i = n; i >= k; i--) upper += Math.exp(logPmf(n, i, p));
  return { lower: Math.min(1, lower), upper: Math.min(1, upper) };
}

/** The counts Bin(n, p) keeps within its two tails of `tail` each: [lo, hi]. */
export function acceptedRange(n: number, p: number, tail: number): [number, number] {
  const pmf = Array.from({ length: n + 1 }, (_, k) => Math.exp(logPmf(n, k, p)));
  let lo = 0;
  for (let below = pmf[0]!; lo < n && below <= tail; below += pmf[++lo]!);
  let hi = n;
  for (let above = pmf[n]!; hi > 0 && above <= tail; above += pmf[--hi]!);
  return [lo, hi];
}

export interface ShareCheck {
  readonly outcome: string;
  readonly probability: number;
  readonly count: number;
  readonly range: [number, number];
  readonly ok: boolean;
}

/**
 * Each outcome's count against its probability (0 for outcomes that are not in `probabilities`).
 * `alpha` bounds the chance that correct probabilities fail the check.
 */
export function checkShares(counts: ReadonlyMap<string, number>, probabilities: ReadonlyMap<string, number>, alpha: number): ShareCheck[] {
  const n = [...counts.values()].reduce((a, b) => a + b, 0);
  const outcomes = [...new Set([...probabilities.keys(), ...counts.keys()])].sort();
  const tail = alpha / (2 * outcomes.length);
  return outcomes.map((outcome) => {
    const probability = probabilities.get(outcome) ?? 0;
    const count = counts.get(outcome) ?? 0;
    const range = acceptedRange(n, probability, tail);
    return { outcome, probability, count, range, ok: count >= range[0] && count <= range[1] };
  });
}

/**
 * How many probes make a missed outcome a failure: the smallest n >= min for which every outcome
 * with probability p > 0 is absent from all n probes with probability below alpha / (2k); at most max.
 */
export function probesFor(probabilities: ReadonlyMap<string, number>, alpha: number, min: number, max: number): number {
  const tail = alpha / (2 * Math.max(1, probabilities.size));
  let n = min;
  for (const p of probabilities.values()) {
    if (p <= 0 || p >= 1) continue;
    n = Math.max(n, Math.ceil(Math.log(tail) / Math.log1p(-p)));
  }
  return Math.min(n, max);
}

/** The checks as a table for an assertion message. */
export function sharesTable(checks: readonly ShareCheck[]): string {
  const n = checks.reduce((a, c) => a + c.count, 0);
  return checks
    .map((c) => `  ${c.ok ? ' ' : '✗'} ${c.outcome}: kernel ${c.count}/${n}, trace p=${c.probability.toFixed(11)} (accepted ${c.range[0]}..${c.range[1]})`)
    .join('\n');
}
