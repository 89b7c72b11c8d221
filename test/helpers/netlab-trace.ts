// The kernel against the tracer: every probe of a scenario is traced through the same rules text
// the lab's node holds (parsed by svctrace), with the node's addresses as the kernel reports
// them; then sent as many new connections as it takes to see every path the trace gives (at
// least `minSends`), and the kernel's outcomes must be binomially consistent with the trace's
// path probabilities (netlab-stats, netlab-compare).
import { parseRuleset, type Ruleset } from '../../src/netfilter/index.js';
import { tracePacket, type TraceOptions, type TraceResult } from '../../src/netfilter/trace.js';
import type { Backend } from './kernel.js';
import { familyOf } from './netlab-addr.js';
import { compareShares, pathShares, type Comparison } from './netlab-compare.js';
import { probeEach, withScenarioLab } from './netlab-play.js';
import type { LabScenario, ScenarioProbe } from './netlab-spec.js';
import { probesFor } from './netlab-stats.js';
import type { Lab } from './netlab.js';

export interface TracedProbe extends ScenarioProbe {
  readonly name: string;
  /** how many new connections at least (default: the run's minSends) */
  readonly sends?: number;
  /** exactly this many, for connections that are not independent (a client pinned by affinity) */
  readonly exactly?: number;
  readonly trace?: TraceOptions;
}

export interface ProbeVerdict {
  readonly trace: TraceResult;
  readonly kernel: readonly string[];
  readonly comparison: Comparison;
}

export interface RunOptions {
  readonly backend: Backend;
  /** the chance that a right trace fails one probe's check */
  readonly alpha: number;
  readonly minSends: number;
  readonly maxSends: number;
  readonly timeoutMs?: number;
}

export function traceProbe(rules: ReadonlyMap<string, Ruleset>, p: TracedProbe, localAddresses: string[]): TraceResult {
  const family = familyOf(p.destination);
  const ruleset = rules.get(family);
  if (!ruleset) throw new Error(`no ${family} rules for ${p.name}`);
  return tracePacket(ruleset, { family, source: p.source, destination: p.destination, protocol: p.protocol, destinationPort: p.port }, { localAddresses }, p.trace);
}

/** The scenario's rules as the tracer reads them: parsed from the very text loaded into the node. */
export function parsedRules(s: LabScenario): Map<string, Ruleset> {
  return new Map(s.rules.map((r) => [r.family, parseRuleset(r.text, { family: r.family, source: 'lab node rules' })]));
}

/** A trace's paths, one per line, for failure messages. */
export function tracePaths(r: TraceResult): string {
  return r.paths
    .map((p) => `  ${p.verdict}${p.destination ? ` ${p.destination}` : ''}${p.masquerade ? ' masqueraded' : ''} p=${p.probability} (${p.delivery})${p.assumed.length ? ` assuming ${p.assumed.join('; ')}` : ''}`)
    .join('\n');
}

/**
 * Traces and plays every probe in one lab (one batch); undefined for probes the lab cannot play.
 * `extra` runs in the same lab afterwards (e.g. a second round from clients already pinned).
 */
export async function playAgainstTrace<T = undefined>(
  s: LabScenario,
  probes: readonly TracedProbe[],
  o: RunOptions,
  extra?: (lab: Lab, rules: ReadonlyMap<string, Ruleset>, localAddresses: string[]) => Promise<T>,
): Promise<{ verdicts: (ProbeVerdict | undefined)[]; unplayable: ReadonlyMap<number, string>; localAddresses: string[]; extra?: T }> {
  const rules = parsedRules(s);
  return withScenarioLab({ ...s, probes }, o.backend, async (lab, plan) => {
    const localAddresses = lab.localAddresses();
    const traces = probes.map((p, i) => (plan.unplayable.has(i) ? undefined : traceProbe(rules, p, localAddresses)));
    const counts = traces.map((t, i) => (!t ? 0 : (probes[i]!.exactly ?? probesFor(pathShares(t.paths), o.alpha, probes[i]!.sends ?? o.minSends, o.maxSends))));
    const kernel = await probeEach(lab, probes, counts, o.timeoutMs);
    const verdicts = traces.map((trace, i) => {
      if (!trace) return undefined;
      const p = probes[i]!;
      const what = `${p.protocol} ${p.source} -> ${p.destination}:${p.port}`;
      const comparison = compareShares(what, kernel[i]!, pathShares(trace.paths), o.alpha);
      return { trace, kernel: kernel[i]!, comparison: { ok: comparison.ok, report: `${comparison.report}\ntrace (${trace.hook}, verdict ${trace.verdict}):\n${tracePaths(trace)}` } };
    });
    const more = extra ? await extra(lab, rules, localAddresses) : undefined;
    return { verdicts, unplayable: plan.unplayable, localAddresses, ...(more !== undefined ? { extra: more } : {}) };
  });
}
