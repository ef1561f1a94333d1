import type { Reps } from './plan.js';

/** Median wall time of `fn` in milliseconds over `runs` timed calls, after `warmup` untimed ones. */
export function medianMs(fn: () => void, [warmup, runs]: Reps): number {
  for (let i = 0; i < warmup; i++) fn();
  const times = new Float64Array(runs);
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times[i] = performance.now() - t0;
  }
  times.sort();
  const mid = runs >> 1;
  return runs % 2 === 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
}
