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

/**
 * Scenario plays, each started lazily by the first test that needs it and shared by the others;
 * starting one also starts the next one added, so that a lab waiting out DROP timeouts overlaps
 * the next lab's work (two labs at a time at most).
 */
export class Plays {
  private readonly starters: (() => void)[] = [];
  private readonly started: Promise<unknown>[] = [];

  add<T>(fn: () => Promise<T>): () => Promise<T> {
    let promise: Promise<T> | undefined;
    const start = () => {
      if (!promise) this.started.push((promise = fn()));
      return promise;
    };
    const index = this.starters.length;
    // a play started ahead is awaited by its own tests later, which report its failure
    this.starters.push(() => void start().catch(() => {}));
    return () => {
      const p = start();
      this.starters[index + 1]?.();
      return p;
    };
  }

  /** Resolves when every play started so far has ended (and so has torn its lab down). */
  async settled(): Promise<void> {
    await Promise.allSettled(this.started);
  }
}
