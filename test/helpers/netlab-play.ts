// Playing a scenario in the lab: build the lab its probes need, load its rules into the node with
// the chosen backend, send each probe a given number of times (all in one batch, each time a new
// connection), and say what the kernel did each time in netlab-compare's words.
import type { Backend } from './kernel.js';
import { kernelOutcome } from './netlab-compare.js';
import { planLab, type LabPlan, type LabScenario, type ScenarioProbe } from './netlab-spec.js';
import { withLab, type Lab, type ProbeRequest } from './netlab.js';

/** Builds the scenario's lab with its rules loaded, runs fn, and always tears the lab down. */
export async function withScenarioLab<T>(s: LabScenario, backend: Backend, fn: (lab: Lab, plan: LabPlan) => Promise<T>): Promise<T> {
  const plan = planLab(s);
  return withLab(plan.spec, async (lab) => {
    for (const r of s.rules) lab.load(r.text, { backend, family: r.family });
    return fn(lab, plan);
  });
}

/**
 * Sends probe i counts[i] times (skipping unplayable ones: counts 0); returns the kernel's
 * outcome for every send, per probe.
 */
export async function probeEach(lab: Lab, probes: readonly ScenarioProbe[], counts: readonly number[], timeoutMs?: number): Promise<string[][]> {
  const requests: { index: number; request: ProbeRequest }[] = [];
  probes.forEach((p, index) => {
    if (p.protocol === 'sctp') return;
    const request: ProbeRequest = { source: p.source, destination: p.destination, port: p.port, protocol: p.protocol, ...(timeoutMs ? { timeoutMs } : {}) };
    for (let k = 0; k < (counts[index] ?? 0); k++) requests.push({ index, request });
  });
  const results = await lab.probe(requests.map((r) => r.request));
  const outcomes: string[][] = probes.map(() => []);
  results.forEach((result, i) => outcomes[requests[i]!.index]!.push(kernelOutcome(lab, requests[i]!.request, result)));
  return outcomes;
}

/** A lazily started, shared promise: the first test of a scenario plays it, the others reuse the result. */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= fn());
}
