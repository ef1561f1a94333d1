/**
 * Sampling time of the Boolean task family: `node --import tsx bench/tasks.bench.ts`. Prints the
 * median ms of 5 runs of makeBooleanTask (4096 train + 2048 test samples) per case: the spec's
 * defaults and n = m = 256 in each mode, with k high enough that rejection sampling stays feasible
 * (which-clause and dnf need (1 − 2^−k)^m well above 1e-3).
 */
import { type BooleanTaskOptions, makeBooleanTask } from '../src/tasks/index.js';

const RUNS = 5;
const cases: Array<[string, BooleanTaskOptions]> = [
  ['defaults (n 32, m 8, k 3, which-clause)', {}],
  ['n 32, m 16, k 3, which-clause', { m: 16 }],
  ['n 256, m 256, k 8, which-clause', { n: 256, m: 256, k: 8 }],
  ['n 256, m 256, k 3, multi-label', { n: 256, m: 256, k: 3, mode: 'multi-label' }],
  ['n 256, m 256, k 8, dnf', { n: 256, m: 256, k: 8, mode: 'dnf' }],
];

for (const [name, options] of cases) {
  const ms: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    makeBooleanTask({ ...options, seed: r });
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`${name.padEnd(42)} ${ms[RUNS >> 1].toFixed(1).padStart(8)} ms`);
}
