// The steps of a path as a persistent list: each step points back at the one before it, so the
// paths a probabilistic rule splits share every step before the split instead of copying it.
// A service of N endpoints gives N paths, path i behind the i - 1 rules it fell through: as
// arrays that is N^2/2 steps; as trails, one node per step taken anywhere, N + a few per path.
//
// A step also keeps its branch exactly, so a path's exact probability is the product of its
// trail (one factor per branch, as the walk multiplies them). Kept per path, those products are
// N^2 * 31 bits again (path i's has ~31 i bits), so they are not kept: `TrailProducts` works one
// out when asked, from the nearest product it worked out recently, which for paths taken in
// order (every presenter's order) is the previous path's: one or two multiplications each.
import { isOne, ONE, times, type Odds } from './trace-odds.js';
import type { TraceStep } from './trace.js';

export interface StepTrail {
  readonly step: TraceStep;
  /** the step's branch, exact (`step.branch` is its nearest double) */
  readonly odds: Odds;
  /** the step before, undefined for a path's first step */
  readonly parent: StepTrail | undefined;
  /** the number of steps up to and including this one */
  readonly length: number;
}

export function extendTrail(parent: StepTrail | undefined, step: TraceStep, odds: Odds): StepTrail {
  return { step, odds, parent, length: (parent?.length ?? 0) + 1 };
}

/** The trail's steps, first to last (a new array each call). */
export function trailSteps(trail: StepTrail | undefined): TraceStep[] {
  const out = new Array<TraceStep>(trail?.length ?? 0);
  for (let t = trail; t; t = t.parent) out[t.length - 1] = t.step;
  return out;
}

// Each trail node's nearest ancestor-or-self that is not a skipped step (null: none), worked out
// once per node: a path's taken steps then cost what they are, not the rules it fell through.
const lastTakenMemo = new WeakMap<StepTrail, StepTrail | null>();

function lastTaken(trail: StepTrail | undefined): StepTrail | undefined {
  const pending: StepTrail[] = [];
  let t = trail;
  let found: StepTrail | null | undefined;
  while (t) {
    if (!t.step.skipped) {
      found = t;
      break;
    }
    found = lastTakenMemo.get(t);
    if (found !== undefined) break;
    pending.push(t);
    t = t.parent;
  }
  const answer = found ?? null;
  for (const p of pending) lastTakenMemo.set(p, answer);
  return answer ?? undefined;
}

/** The steps a path took, first to last, without the shares that fell through a probabilistic rule (`skipped`). */
export function takenSteps(trail: StepTrail | undefined): TraceStep[] {
  const out: TraceStep[] = [];
  for (let t = lastTaken(trail); t; t = lastTaken(t.parent)) out.push(t.step);
  return out.reverse();
}

/** The last step that was not a skipped share, if any. */
export const lastTakenStep = (trail: StepTrail | undefined): TraceStep | undefined => lastTaken(trail)?.step;

/**
 * Exact products of trails through a small cache of the products worked out last. The cache is
 * bounded, so memory stays that of a few products whatever the paths.
 */
export class TrailProducts {
  private readonly cache = new Map<StepTrail, Odds>();

  constructor(private readonly capacity = 256) {}

  /**
   * The product of the branches from `first` (an ancestor of `trail`, or `trail` itself; by
   * default the trail's first step) to `trail`. One instance takes one `first` per trail node.
   */
  of(trail: StepTrail | undefined, first?: StepTrail): Odds {
    const pending: StepTrail[] = [];
    let product = ONE;
    for (let t = trail; t; t = t.parent) {
      const hit = this.cache.get(t);
      if (hit) {
        product = hit;
        // most recently used last, so the oldest is the first to go
        this.cache.delete(t);
        this.cache.set(t, hit);
        break;
      }
      pending.push(t);
      if (t === first) break;
    }
    for (let i = pending.length - 1; i >= 0; i--) {
      const t = pending[i]!;
      if (!isOne(t.odds)) product = times(product, t.odds);
      this.remember(t, product);
    }
    return product;
  }

  private remember(t: StepTrail, product: Odds): void {
    this.cache.set(t, product);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
  }
}
