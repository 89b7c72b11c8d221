// Session affinity for the tracer: which `-m recent` lists a client pinned to one endpoint is
// in. kube-proxy's ClientIP affinity records the client with `-m recent --set --name LIST` on
// the rule that DNATs to the endpoint, and checks it with `--rcheck --name LIST` in the
// balancing chain; so "pinned to ip:port" is the list set by the DNAT rule to ip:port.
import { formatNatRange } from './ext/targets.js';
import type { Ruleset } from './model.js';
import { matchesOf, tableOf } from './query.js';

/** The recent lists the nat rules DNATing to `destination` ("ip:port", "[ip]:port") record a client in. */
export function recentListsFor(ruleset: Ruleset, destination: string): string[] {
  const lists = new Set<string>();
  for (const c of tableOf(ruleset, 'nat')?.chains ?? []) {
    for (const r of c.rules) {
      const t = r.target;
      if (t?.kind !== 'extension' || t.name !== 'DNAT' || !t.ranges[0]) continue;
      if (formatNatRange(t.ranges[0], ruleset.family) !== destination) continue;
      for (const m of matchesOf(r, 'recent')) if (m.command === 'set' && !m.negated) lists.add(m.name);
    }
  }
  return [...lists];
}
