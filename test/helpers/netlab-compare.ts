// What the kernel did with a probe and what a trace path says, in one vocabulary, so that the
// two can be counted and compared:
//   "DNAT 10.180.0.1:80"              reached that endpoint, source kept
//   "DNAT 10.180.0.1:80 masqueraded"  reached it, seen from the node's address on that link
//   "ACCEPT" / "ACCEPT masqueraded"   reached the original destination unchanged
//   "REJECT"                          refused (the node's ICMP port unreachable)
//   "DROP"                            nothing came back before the timeout
//   "DNAT ... seen from X", "ERROR E" anything else, which no trace path can match
import { canonical, familyOf, hostPort } from './netlab-addr.js';
import type { Lab, ProbeRequest, ProbeResult } from './netlab.js';
import { checkShares, sharesTable } from './netlab-stats.js';

/** The fields of a trace path the lab can observe (the tracer's TracePath has them). */
export interface ObservablePath {
  readonly probability: number;
  readonly verdict: 'DNAT' | 'REJECT' | 'DROP' | 'ACCEPT';
  readonly destination?: string;
  readonly masquerade: boolean;
}

/** `ip:port` / `[ip]:port` with the address in canonical form. */
export function normalHostPort(text: string): string {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text);
  if (!m) throw new Error(`not an ip:port: ${text}`);
  return hostPort(m[1]!, Number(m[2]));
}

export function kernelOutcome(lab: Lab, probe: ProbeRequest, result: ProbeResult): string {
  switch (result.outcome) {
    case 'refused':
      return 'REJECT';
    case 'timeout':
      return 'DROP';
    case 'error':
      return `ERROR ${result.code}`;
    case 'answer': {
      const local = normalHostPort(result.local);
      const reached = local === hostPort(probe.destination, probe.port) ? 'ACCEPT' : `DNAT ${local}`;
      const peer = canonical(result.peer);
      if (peer === canonical(probe.source)) return reached;
      if (peer === lab.masqueradeSource(result.responder, familyOf(probe.destination))) return `${reached} masqueraded`;
      return `${reached} seen from ${peer}`;
    }
  }
}

export function pathOutcome(path: ObservablePath): string {
  const masq = path.masquerade ? ' masqueraded' : '';
  if (path.verdict === 'DNAT') return `DNAT ${normalHostPort(path.destination ?? '?:0')}${masq}`;
  if (path.verdict === 'ACCEPT') return `ACCEPT${masq}`;
  return path.verdict;
}

/** Outcome -> share of new connections, over the trace's paths. */
export function pathShares(paths: readonly ObservablePath[]): Map<string, number> {
  const shares = new Map<string, number>();
  for (const p of paths) shares.set(pathOutcome(p), (shares.get(pathOutcome(p)) ?? 0) + p.probability);
  return shares;
}

export function outcomeCounts(outcomes: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(o, (counts.get(o) ?? 0) + 1);
  return counts;
}

export interface Comparison {
  readonly ok: boolean;
  readonly report: string;
}

/**
 * The kernel's outcomes for n probes of one packet against the trace's paths: every outcome's
 * count must be binomially consistent with its share (alpha: the chance a right trace fails).
 */
export function compareShares(what: string, kernel: readonly string[], shares: ReadonlyMap<string, number>, alpha: number): Comparison {
  const checks = checkShares(outcomeCounts(kernel), shares, alpha);
  const ok = checks.every((c) => c.ok);
  return { ok, report: `${what}: the kernel ${ok ? 'agrees' : 'DISAGREES'} (${kernel.length} probes)\n${sharesTable(checks)}` };
}
