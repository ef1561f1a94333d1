import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Engine } from '../src/engine/index.js';
import type { BooleanTrialConfig } from '../src/experiments/trials/experiment-grid.js';
import { expandTrials, resolveExperimentConfig, runBooleanTrial, type TrialRecord } from '../src/index.js';
import { makeBooleanTask } from '../src/tasks/index.js';

/** The Boolean headline cell (experiments/boolean/headline.yaml), one seed: which-clause n = 32, k = 3, m = 16, h = 8, alpha = 2. */
export const BOOLEAN_CELL = { mode: 'which-clause', n: 32, k: 3, m: 16, h: 8, alpha: 2, seed: 0 } as const;
/** The four methods of the headline cell, in the order both engines run them. */
export const BOOLEAN_METHODS = ['dense', 'fpe-random', 'fpe-clause', 'sparse-init'] as const;

/** How long the boolean case runs: the spec's E1 = E2 = 1000 (full), 100 (--quick) or 5 (--shapes small, a harness check). */
export type BooleanLength = 'full' | 'quick' | 'small';

/** E1 = E2 of the bench for `length`. */
export function booleanEpochs(length: BooleanLength): number {
  return length === 'full' ? 1000 : length === 'quick' ? 100 : 5;
}

/** The resolved trial configs of one headline-cell seed, one per method (E1 = E2 = `epochs`). */
export function booleanTrials(epochs: number): BooleanTrialConfig[] {
  const c = BOOLEAN_CELL;
  const config = resolveExperimentConfig({
    name: 'bench-boolean',
    task: { mode: c.mode, n: c.n, k: c.k, m: c.m },
    model: { h: c.h },
    methods: [...BOOLEAN_METHODS],
    alpha: c.alpha,
    seeds: [c.seed],
    training: { warmupEpochs: epochs, afterSplitEpochs: epochs },
  });
  const trials = expandTrials(config).map((t) => t.config as BooleanTrialConfig);
  return BOOLEAN_METHODS.map((m) => {
    const t = trials.find((x) => x.method === m);
    if (t === undefined) throw new Error(`no ${m} trial in the bench's Boolean config`);
    return t;
  });
}

/** One method's run: wall and CPU seconds (this process) and the trial's record. */
export interface BooleanMethodRun {
  method: string;
  wall: number;
  cpu: number;
  record: TrialRecord;
}

/** Runs the trials one after another on `engine` (one thread), timing each in wall and CPU seconds. */
export function runBooleanSeed(trials: BooleanTrialConfig[], engine: Engine): BooleanMethodRun[] {
  return trials.map((t) => {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const record = runBooleanTrial(t, { engine });
    const wall = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu);
    return { method: t.method, wall, cpu: (used.user + used.system) / 1e6, record };
  });
}

/** The PyTorch peer's run of the same seed (bench/torch_boolean.py). */
export interface TorchBooleanRun {
  torch: string;
  methods: Array<{ method: string; wall: number; cpu: number; accuracy: number; curve_points: number; nnz: number }>;
}

const PeerOutput = z.object({
  torch: z.string(),
  methods: z.array(
    z.object({
      method: z.string(),
      wall: z.number(),
      cpu: z.number(),
      accuracy: z.number(),
      curve_points: z.number().int(),
      nnz: z.number().int(),
    }),
  ),
});

const PYTHON = '/usr/bin/python3';
const PEER = fileURLToPath(new URL('./torch_boolean.py', import.meta.url));

/**
 * Runs bench/torch_boolean.py on the task widen sampled for `trials` (same data, clauses, epochs,
 * batch, learning rate, evaluation cadence); the task goes through a temporary JSON file.
 */
export function runTorchBoolean(trials: BooleanTrialConfig[]): { ok: true; run: TorchBooleanRun } | { ok: false; reason: string } {
  const t = trials[0];
  const task = makeBooleanTask({ n: t.n, m: t.m, k: t.k, mode: t.mode, trainSize: t.trainSize, testSize: t.testSize, seed: t.seed });
  const dir = mkdtempSync(join(tmpdir(), 'widen-bench-boolean-'));
  const file = join(dir, 'task.json');
  try {
    writeFileSync(
      file,
      JSON.stringify({
        n: t.n,
        h: t.h,
        alpha: BOOLEAN_CELL.alpha,
        classes: task.outputs,
        batch: t.batchSize,
        lr: t.optimizer.lr,
        warmup: t.warmupEpochs,
        after_split: t.afterSplitEpochs,
        eval_every: t.evalEvery,
        seed: t.seed,
        methods: trials.map((x) => x.method),
        clauses: task.clauses.map((c) => c.vars),
        train_x: Array.from(task.train.x),
        train_y: Array.from(task.train.y),
        test_x: Array.from(task.test.x),
        test_y: Array.from(task.test.y),
      }),
    );
    const peer = spawnSync(PYTHON, [PEER, file], { encoding: 'utf8', maxBuffer: 16 << 20 });
    if (peer.status !== 0) {
      return { ok: false, reason: `torch_boolean.py exited ${peer.status}: ${(peer.stderr ?? '').trim().split('\n').pop()}` };
    }
    const last = peer.stdout.trim().split('\n').pop() ?? '';
    let parsed: ReturnType<typeof PeerOutput.safeParse> | null = null;
    try {
      parsed = PeerOutput.safeParse(JSON.parse(last));
    } catch {
      // not JSON: reported below
    }
    if (!parsed?.success) return { ok: false, reason: `torch_boolean.py printed an unexpected last line: '${last.slice(0, 200)}'` };
    return { ok: true, run: parsed.data };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The boolean case of the JSON report: per method and in total, seconds of both engines (one thread each). */
export interface BooleanTiming {
  epochs: number;
  methods: Array<{ method: string; widen_wall: number; widen_cpu: number; torch_wall: number | null; torch_cpu: number | null }>;
  widen_wall: number;
  widen_cpu: number;
  torch_wall: number | null;
  torch_cpu: number | null;
  /** widen / torch over the four methods: wall and CPU seconds. */
  ratio_wall: number | null;
  ratio_cpu: number | null;
  /** Microseconds of CPU per training step in widen (all methods' CPU time over their steps). */
  widen_cpu_us_per_step: number;
  torch: string | null;
}

/** The boolean case: widen's run of one headline seed, then (withTorch) the peer's of the same task. */
export function timeBoolean(length: BooleanLength, engine: Engine, withTorch: boolean, log: (line: string) => void): BooleanRun {
  const epochs = booleanEpochs(length);
  const trials = booleanTrials(epochs);
  log(`boolean: one seed of the headline cell, ${epochs} + ${epochs} epochs, 4 methods, widen on 1 thread`);
  const widen = runBooleanSeed(trials, engine);
  for (const r of widen) log(`widen boolean ${r.method}: ${r.wall.toFixed(2)} s wall, ${r.cpu.toFixed(2)} s CPU`);
  const peer = withTorch ? runTorchBoolean(trials) : ({ ok: false, reason: 'torch is not available' } as const);
  if (!peer.ok) log(`boolean: no peer numbers: ${peer.reason}`);
  const torch = peer.ok ? peer.run : null;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const widenWall = sum(widen.map((r) => r.wall));
  const widenCpu = sum(widen.map((r) => r.cpu));
  const torchWall = torch === null ? null : sum(torch.methods.map((r) => r.wall));
  const torchCpu = torch === null ? null : sum(torch.methods.map((r) => r.cpu));
  const steps = trials.length * 2 * epochs * Math.ceil(trials[0].trainSize / trials[0].batchSize);
  const r3 = (x: number) => Number(x.toFixed(3));
  return {
    ok: true,
    timing: {
      epochs,
      methods: widen.map((r) => {
        const p = torch?.methods.find((m) => m.method === r.method);
        return {
          method: r.method,
          widen_wall: r3(r.wall),
          widen_cpu: r3(r.cpu),
          torch_wall: p ? r3(p.wall) : null,
          torch_cpu: p ? r3(p.cpu) : null,
        };
      }),
      widen_wall: r3(widenWall),
      widen_cpu: r3(widenCpu),
      torch_wall: torchWall === null ? null : r3(torchWall),
      torch_cpu: torchCpu === null ? null : r3(torchCpu),
      ratio_wall: torchWall === null ? null : r3(widenWall / torchWall),
      ratio_cpu: torchCpu === null ? null : r3(widenCpu / torchCpu),
      widen_cpu_us_per_step: Number(((widenCpu / steps) * 1e6).toFixed(1)),
      torch: torch?.torch ?? null,
    },
  };
}

/** The boolean case's timings, or why it did not run. */
export type BooleanRun = { ok: true; timing: BooleanTiming } | { ok: false; reason: string };

/** The readable lines of the boolean case. */
export function formatBoolean(run: BooleanRun): string {
  if (!run.ok) return `Boolean: skipped. ${run.reason}`;
  const t = run.timing;
  const f = (x: number | null) => (x === null ? '-' : x.toFixed(2));
  const rows = [
    ['method', 'widen wall', 'widen CPU', 'torch wall', 'torch CPU'],
    ...t.methods.map((m) => [m.method, f(m.widen_wall), f(m.widen_cpu), f(m.torch_wall), f(m.torch_cpu)]),
    ['all four', f(t.widen_wall), f(t.widen_cpu), f(t.torch_wall), f(t.torch_cpu)],
    ['ratio widen/torch', f(t.ratio_wall), f(t.ratio_cpu), '', ''],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  return [
    `Boolean headline cell, one seed (which-clause n=32 m=16, h=8, alpha=2, 4096 samples, batch 256, ${t.epochs} + ${t.epochs} epochs, 1 thread; seconds):`,
    ...rows.map(([what, ...rest]) => `  ${what.padEnd(width)}  ${rest.map((s) => s.padStart(10)).join('  ')}`.trimEnd()),
    `  widen: ${t.widen_cpu_us_per_step} us of CPU per training step (evaluations and metrics included)`,
  ].join('\n');
}
