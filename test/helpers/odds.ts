// The exact sum of a trace's path odds ("n/d" texts), as a fraction, for tests that require
// the paths to cover every new connection exactly once.
import type { TraceResult } from '../../src/netfilter/trace.js';

export function oddsSum(r: TraceResult): [bigint, bigint] {
  let n = 0n;
  let d = 1n;
  for (const p of r.paths) {
    const [pn, pd] = p.odds.split('/').map(BigInt) as [bigint, bigint];
    n = n * pd + pn * d;
    d *= pd;
  }
  return [n, d];
}
