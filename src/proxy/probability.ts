// kube-proxy's one probability formatter: computeProbability(n) = fmt.Sprintf("%0.Nf", 1.0/float64(n))
// with N = 5 up to 1.16 and N = 10 from 1.17 (PR #83599). Go prints the exact binary value of
// the float64, rounded half to even; JavaScript's toFixed rounds the exact ties 1/64 (%0.5f)
// and 1/2048 (%0.10f) up, so this formats from the exact value (formatDouble, the one exact
// formatter, which also prints iptables-save's --probability).
import { formatDouble } from '../netfilter/numbers.js';

/** Go's fmt.Sprintf("%0.<decimals>f", x): the exact binary value, rounded half to even. */
export function formatFixedGo(x: number, decimals: number): string {
  return formatDouble(x, decimals);
}

/**
 * Formats 1/n once per (n, decimals), as kube-proxy precomputes them: the rule that jumps to
 * endpoint i of n carries probability(n - i).
 */
export function createProbabilityFormatter(decimals: number): (n: number) => string {
  const cache: string[] = [];
  return (n: number) => (cache[n] ??= formatFixedGo(1 / n, decimals));
}
