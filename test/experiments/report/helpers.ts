import assert from 'node:assert/strict';
import type { Block } from '../../../src/experiments/report/block.js';
import type { Method, TrialRecord } from '../../../src/experiments/trials/trial-record.js';

/** Fields a test sets on a hand-made trial; everything else gets a neutral default. */
export interface TrialSpec {
  method: string;
  seed: number;
  accuracy: number;
  mode?: 'which-clause' | 'multi-label' | 'dnf';
  n?: number;
  m?: number;
  k?: number;
  h?: number;
  alpha?: number;
  experiment?: string;
  metrics?: Partial<TrialRecord['metrics']>;
  curves?: Partial<TrialRecord['curves']>;
}

/** A TrialRecord at the headline coordinates unless overridden (dense at α = 1, as the runner records it). */
export function trial(s: TrialSpec): TrialRecord {
  const alpha = s.alpha ?? (s.method === 'dense' ? 1 : 2);
  const config = {
    method: s.method as Method,
    mode: s.mode ?? 'which-clause',
    n: s.n ?? 32,
    m: s.m ?? 16,
    k: s.k ?? 3,
    h: s.h ?? 8,
    alpha,
    seed: s.seed,
  } as const;
  return {
    id: `${s.method}-${config.m}-${config.h}-${alpha}-${s.seed}-${s.experiment ?? 'test'}`,
    experiment: s.experiment ?? 'test',
    config: { ...config },
    metrics: {
      accuracy: s.accuracy,
      testLoss: 0.5,
      nnz: 384,
      width: config.h * alpha,
      capacityMean: 0.5,
      capacitySum: 16,
      cosineMean: 0.2,
      coverage: 1,
      collisionsPerUnit: 1,
      wasserstein: [],
      mappingDifficulty: 0,
      ...s.metrics,
    },
    curves: { epoch: [], trainLoss: [], testLoss: [], testAccuracy: [], ...s.curves },
    timings: { seconds: 1 },
    finishedAt: '2026-01-01T00:00:00.000Z',
  };
}

// mulberry32: a tiny seeded generator so the synthetic run is the same on every machine
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/**
 * A plausible run over the spec's sweeps (m at h = 8, h at m = 16, α ∈ {2, 4} at m ∈ {16, 32}),
 * four methods and `seeds` seeds; numbers are made up to look like the paper's trends.
 */
export function syntheticRun(seeds = 10, epochs = 200): TrialRecord[] {
  const rand = rng(42);
  const noise = (sd: number): number => (rand() + rand() + rand() - 1.5) * 2 * sd;
  const cells = new Set<string>();
  for (const m of [4, 8, 12, 16, 24, 32]) cells.add(`${m}|8|2`);
  for (const h of [8, 12, 16, 24, 32]) cells.add(`16|${h}|2`);
  for (const m of [16, 32]) cells.add(`${m}|8|4`);
  const out: TrialRecord[] = [];
  const dense = new Map<string, TrialRecord>();
  for (const cell of cells) {
    const [m, h, alpha] = cell.split('|').map(Number);
    const load = m / h;
    const n = 32;
    const k = 3;
    const g = n / alpha;
    // exact random-split collision rate of a disjoint pair, spread over the α·h children (per unit)
    const pair = (alpha * choose(n - 2 * k, g - 2 * k)) / choose(n, g);
    const predicted = (((m * (m - 1)) / 2) * pair) / alpha;
    for (let seed = 0; seed < seeds; seed++) {
      const base = Math.min(0.995, 1.02 - 0.09 * load) + noise(0.01);
      const gains: Record<string, number> = {
        dense: 0,
        'sparse-init': 0.02 * load,
        'fpe-random': (0.045 + 0.01 * (alpha - 2)) * load,
        'fpe-clause': (0.07 + 0.01 * (alpha - 2)) * load,
      };
      for (const [method, gain] of Object.entries(gains)) {
        const key = `${m}|${h}|${seed}`;
        if (method === 'dense' && dense.has(key)) continue;
        const acc = Math.min(1, base + gain + noise(0.008));
        const rel = gain / base;
        const split = method.startsWith('fpe-') ? epochs / 2 : undefined;
        const units = method === 'dense' ? h : alpha * h;
        const w1 = method === 'dense' ? 0.35 : method === 'fpe-clause' ? 0.15 : 0.22;
        const curve = Array.from({ length: epochs }, (_, e) => {
          const progress = 1 - Math.exp(-e / (epochs / 8));
          const boost = split !== undefined && e >= split ? gain * (1 - Math.exp(-(e - split) / (epochs / 10))) : 0;
          return Math.min(1, 1 / m + (base - 1 / m) * progress + boost + noise(0.004));
        });
        const r = trial({
          method,
          seed,
          accuracy: acc,
          m,
          h,
          alpha: method === 'dense' ? 1 : alpha,
          experiment: 'synthetic',
          metrics: {
            capacityMean: 0.3 * (1 + 1.6 * rel + noise(0.03)),
            cosineMean: 0.25 * (1 - 0.9 * rel + noise(0.03)),
            collisionsPerUnitAfterSplit: method.startsWith('fpe-')
              ? method === 'fpe-clause'
                ? 0
                : Math.max(0, predicted * (1 + noise(0.15)))
              : undefined,
            collisionsPredicted: method.startsWith('fpe-') ? predicted : undefined,
            wasserstein: Array.from({ length: units }, () => Math.max(0.01, w1 + noise(0.06))),
          },
          curves: {
            epoch: curve.map((_, e) => e + 1),
            testAccuracy: curve,
            trainLoss: curve.map((a) => 1 - a),
            testLoss: curve.map((a) => 1 - a),
            splitEpoch: split,
          },
        });
        if (method === 'dense') dense.set(key, r);
        out.push(r);
      }
    }
  }
  return out;
}

/** Asserts that every figure of the blocks is a plain spec: the same after a JSON round trip, with finite numbers only. */
export function assertPlainFigures(blocks: readonly Block[]): number {
  let n = 0;
  for (const b of blocks)
    for (const { spec } of b.figures()) {
      n++;
      assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec, spec.title);
      for (const m of spec.marks)
        for (const row of m.data)
          for (const v of Object.values(row)) if (typeof v === 'number') assert.ok(Number.isFinite(v), `${spec.title}: ${v}`);
    }
  return n;
}
