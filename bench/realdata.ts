import { DataError, type Engine } from '../src/engine/index.js';
import type { DatasetTrialConfig } from '../src/experiments/trials/experiment-grid.js';
import { expandTrials, type LoadedDataset, resolveExperimentConfig, runDatasetTrial, splitNeurons } from '../src/index.js';
import { createOptimizer, fit, MLP, type Optimizer } from '../src/nn/index.js';
import { loadDataset } from '../src/node/index.js';
import type { BenchOptions } from './options.js';
import { median } from './timing.js';

/** The real-data case of the JSON report (snake_case like the rest): times in seconds, on one thread. */
export interface RealdataTiming {
  /** One trial of experiment (a) at h = 32, alpha = 4, fpe-random: E1 + E2 epochs, a test pass after each. */
  trial_seconds: number;
  /** The trial's phases (warmup, split, train, metrics), as runDatasetTrial times them. */
  trial_phases: Record<string, number>;
  warmup_epochs: number;
  after_split_epochs: number;
  accuracy: number;
  /** Images per training epoch and per minibatch. */
  train_size: number;
  batch_size: number;
  /** One training epoch (no evaluation), median of `epoch_runs`: dense h = 32. */
  epoch_dense_seconds: number;
  /** The same epoch of the network FPE split from it (width 128, the same non-zero count). */
  epoch_fpe_seconds: number;
  /** epoch_fpe_seconds / epoch_dense_seconds: near 1 when the cost follows the non-zero count. */
  epoch_ratio: number;
  /** The same epochs in CPU seconds of this process (its GC threads too; from the first step's end, scaled to all steps), which a busy machine skews less than wall time. */
  epoch_dense_cpu_seconds: number;
  epoch_fpe_cpu_seconds: number;
  epoch_cpu_ratio: number;
  epoch_runs: number;
  nnz_dense: number;
  nnz_fpe: number;
  /** Each layer of the FPE network: `out x in path nnz`. */
  fpe_layers: string;
}

/** The real-data case: its timings, or why it did not run (the dataset is missing). */
export type RealdataRun = { ok: true; timing: RealdataTiming } | { ok: false; reason: string };

// experiment (a) at the cell: one hidden layer of 32, alpha 4, the random split, seed 0
const H = 32;
const ALPHA = 4;

/**
 * Times the real-data case on `engine` (one thread): one FPE trial of (a) on Fashion-MNIST, then
 * training epochs of the dense network and of its split, alternated so a busy spell of another
 * process skews both. `--shapes small` runs 1 + 1 epochs, a check of the harness, not of the speed.
 * A missing dataset is not an error: the run says where widen looked and how to get the data.
 */
export async function timeRealdata(options: BenchOptions, engine: Engine, log: (line: string) => void): Promise<RealdataRun> {
  let data: LoadedDataset;
  try {
    data = await loadDataset({ kind: 'fashion-mnist' });
  } catch (err) {
    if (err instanceof DataError) return { ok: false, reason: err.message };
    throw err;
  }
  const epochs = options.shapes === 'full' ? 25 : 1;
  const config = resolveExperimentConfig({
    name: 'bench',
    task: { kind: 'dataset', data: { kind: 'fashion-mnist' } },
    model: { h: H },
    methods: ['fpe-random'],
    alpha: ALPHA,
    seeds: [0],
    training: { warmupEpochs: epochs, afterSplitEpochs: epochs },
  });
  const trial = expandTrials(config)[0].config as DatasetTrialConfig;
  log(`realdata: one trial of (a), fpe-random h=${H} alpha=${ALPHA}, ${epochs} + ${epochs} epochs, 1 thread`);
  const record = runDatasetTrial(trial, data, { engine });
  log(`realdata: trial ${record.timings.seconds.toFixed(1)} s, test accuracy ${(record.metrics.accuracy * 100).toFixed(2)}%`);

  // training epochs alone, with the trial's batch and optimizer: dense h = 32 after one warm-up
  // epoch, then FPE alpha = 4 split from it; epoch e of either model uses the same batch order
  // 9 alternated epochs: on this noisy 2-core machine the median of 5 moved the ratio by ±0.1 between runs
  const runs = options.quick || options.shapes === 'small' ? 3 : 9;
  const dense = MLP.create({ sizes: [data.features, H, data.classes], activation: trial.activation, seed: 1 }, engine);
  const denseOpt = createOptimizer(dense, trial.optimizer);
  // [wall, CPU] seconds of epoch e; the engine runs on this thread, so CPU time is the epoch's work.
  // CPU from the end of the first step to the end of the epoch, scaled by steps / (steps - 1): fit's
  // set-up before the first step (the set's NaN scan, its copy into the engine) is not the epoch's
  const steps = Math.ceil(data.train.size / trial.batchSize);
  const epoch = (model: MLP, optimizer: Optimizer, e: number): [number, number] => {
    let cpu: NodeJS.CpuUsage | null = null;
    let used = 0;
    const { seconds } = fit(model, data.train, {
      epochs: e + 1,
      initialEpoch: e,
      batchSize: trial.batchSize,
      optimizer,
      loss: 'cross-entropy',
      seed: 1,
      callbacks: {
        onStep: () => {
          cpu ??= process.cpuUsage();
        },
        onEpoch: () => {
          const u = process.cpuUsage(cpu ?? undefined);
          used = (u.user + u.system) / 1e6;
        },
      },
    });
    return [seconds[0], steps > 1 ? (used * steps) / (steps - 1) : used];
  };
  epoch(dense, denseOpt, 0);
  const split = splitNeurons(dense, { alpha: ALPHA, strategy: 'random', seed: 2 }, denseOpt);
  const fpeOpt = split.optimizer as Optimizer;
  try {
    const times = { dense: [] as Array<[number, number]>, fpe: [] as Array<[number, number]> };
    for (let e = 1; e <= runs; e++) {
      times.dense.push(epoch(dense, denseOpt, e));
      times.fpe.push(epoch(split.model, fpeOpt, e));
    }
    const [d, f] = [median(times.dense.map((t) => t[0])), median(times.fpe.map((t) => t[0]))];
    const [dc, fc] = [median(times.dense.map((t) => t[1])), median(times.fpe.map((t) => t[1]))];
    log(`realdata: training epoch dense h=${H} ${d.toFixed(3)} s, FPE alpha=${ALPHA} ${f.toFixed(3)} s (medians of ${runs})`);
    return {
      ok: true,
      timing: {
        trial_seconds: round(record.timings.seconds),
        trial_phases: Object.fromEntries(
          Object.entries(record.timings)
            .filter(([k]) => k !== 'seconds')
            .map(([k, v]) => [k, round(v)]),
        ),
        warmup_epochs: epochs,
        after_split_epochs: epochs,
        accuracy: record.metrics.accuracy,
        train_size: data.train.size,
        batch_size: trial.batchSize,
        epoch_dense_seconds: round(d),
        epoch_fpe_seconds: round(f),
        epoch_ratio: Number((f / d).toFixed(3)),
        epoch_dense_cpu_seconds: round(dc),
        epoch_fpe_cpu_seconds: round(fc),
        epoch_cpu_ratio: Number((fc / dc).toFixed(3)),
        epoch_runs: runs,
        nnz_dense: dense.nnz(),
        nnz_fpe: split.model.nnz(),
        fpe_layers: split.model.layers.map((l) => `${l.outFeatures}x${l.inFeatures} ${l.path} ${l.nnz}`).join(', '),
      },
    };
  } finally {
    for (const o of [fpeOpt, denseOpt]) o.dispose();
    for (const m of [split.model, dense]) m.dispose();
  }
}

/** The readable lines of the real-data case. */
export function formatRealdata(run: RealdataRun): string {
  if (!run.ok) return `Real data: skipped. ${run.reason}`;
  const t = run.timing;
  const phases = Object.entries(t.trial_phases)
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(', ');
  const rows = [
    ['', 'wall', 'CPU', ''],
    [`dense h=${H}`, `${t.epoch_dense_seconds.toFixed(3)} s`, `${t.epoch_dense_cpu_seconds.toFixed(3)} s`, `nnz ${t.nnz_dense}`],
    [
      `FPE alpha=${ALPHA} (width ${H * ALPHA})`,
      `${t.epoch_fpe_seconds.toFixed(3)} s`,
      `${t.epoch_fpe_cpu_seconds.toFixed(3)} s`,
      `nnz ${t.nnz_fpe}   layers ${t.fpe_layers}`,
    ],
    ['ratio FPE / dense', t.epoch_ratio.toFixed(2), t.epoch_cpu_ratio.toFixed(2), ''],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  return [
    'Real data: Fashion-MNIST, experiment (a), 1 thread',
    `  one trial, fpe-random h=${H} alpha=${ALPHA}, ${t.warmup_epochs} + ${t.after_split_epochs} epochs, a test pass after each: ` +
      `${t.trial_seconds.toFixed(1)} s (${phases}); test accuracy ${(t.accuracy * 100).toFixed(2)}%`,
    `  training epoch (${t.train_size} images, batch ${t.batch_size}, no evaluation; median of ${t.epoch_runs}):`,
    ...rows.map(([what, wall, cpu, rest]) => `    ${what.padEnd(width)}  ${wall.padStart(7)}  ${cpu.padStart(7)}   ${rest}`.trimEnd()),
  ].join('\n');
}

function round(x: number): number {
  return Number(x.toFixed(4));
}
