import type { Reps } from './plan.js';

/** Median wall time of `fn` in milliseconds over `runs` timed calls, after `warmup` untimed ones. */
export function medianMs(fn: () => void, reps: Reps): number {
  return medianTimes(fn, reps).ms;
}

/**
 * Medians of `fn`'s wall time and of this process's CPU time (every thread, the kernel worker
 * included) in milliseconds, over `runs` timed calls after `warmup` untimed ones. CPU time is
 * what other processes on a busy machine distort least.
 */
export function medianTimes(fn: () => void, [warmup, runs]: Reps): { ms: number; cpuMs: number } {
  for (let i = 0; i < warmup; i++) fn();
  const times = new Float64Array(runs);
  const cpu = new Float64Array(runs);
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    times[i] = performance.now() - t0;
    const c = process.cpuUsage(c0);
    cpu[i] = (c.user + c.system) / 1000;
  }
  return { ms: median(times), cpuMs: median(cpu) };
}

/** The middle value of xs (the mean of the two middle ones for an even count); xs is not empty and is left as it was. */
export function median(xs: ArrayLike<number>): number {
  const s = Float64Array.from(xs).sort();
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
