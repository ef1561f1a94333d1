import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, defaultEngine, type Engine, Rng } from '../../engine/index.js';
import type { Dataset, MLP } from '../../nn/index.js';
import { loadCheckpoint } from '../../node/files.js';
import { type Calibration, evaluateExpanded, type RouterCache, sparseExpand } from '../../prune/index.js';
import { resolveTrainConfig, type TrainConfig } from '../train-config.js';
import { loadTrainTask, runTraining, type TrainTaskData } from '../train-run.js';
import { analyseUnits } from './analyse-units.js';
import { type ExpansionCell, readResults, type StudyModel, type StudyProgress, type StudyResults, writeResults } from './study-results.js';
import { resolveStudySettings, type StudySettings, type StudySettingsInput } from './study-settings.js';

/** Options of runSparseExpansionStudy. */
export interface SparseExpansionStudyOptions {
  /** Folder of model.safetensors, results.json and report.html; rerunning resumes from them. */
  out: string;
  quick?: boolean;
  /** Overrides of the study settings (quick or full defaults below them). */
  settings?: StudySettingsInput;
  engine?: Engine;
  onProgress?: (p: StudyProgress) => void;
}

/**
 * The Sparse Expansion study of issue 5: trains (or reuses) the dense GELU MLP, runs Sparse
 * Expansion over K x per-expert sparsity x pruner for each calibration draw, then the Wasserstein
 * analysis (WD per unit, WD before/after expansion), the importance test and the negative
 * pre-activation ablation. Every finished step is saved to `out/results.json` at once, so a killed
 * run resumes where it stopped. Example: `await runSparseExpansionStudy({ out: 'runs/se', quick: true })`.
 */
export async function runSparseExpansionStudy(options: SparseExpansionStudyOptions): Promise<StudyResults> {
  const settings = resolveStudySettings(options.settings, options.quick === true);
  const engine = options.engine ?? defaultEngine();
  const progress = options.onProgress ?? (() => {});
  // the data first: a missing dataset fails before anything is written
  const config = trainConfig(settings);
  const data = await loadTrainTask(config.task);
  if (settings.calibration > data.train.size) {
    throw new ConfigError(
      `study calibration: ${settings.calibration} samples asked for but the training set holds ${data.train.size}; use at most ${data.train.size}`,
      { where: 'calibration', got: settings.calibration, allowed: `1..${data.train.size}` },
    );
  }
  mkdirSync(options.out, { recursive: true });
  const resultsPath = join(options.out, 'results.json');
  const results = readResults(resultsPath, settings);
  const model = await trainedModel(config, data, join(options.out, 'model.safetensors'), results, engine, progress);
  writeResults(resultsPath, results);
  try {
    runGrid(model, data, settings, results, (cell, done, total) => {
      writeResults(resultsPath, results);
      progress({ phase: 'expansion', done, total, label: cell });
    });
    if (results.wd === null || results.importance === null || results.ablation === null) {
      const t0 = performance.now();
      Object.assign(results, analyseUnits(model, drawCalibration(data.train, settings, 0), data.test, settings, progress));
      results.seconds.analysis = (performance.now() - t0) / 1000;
      writeResults(resultsPath, results);
    }
  } finally {
    model.dispose();
  }
  return results;
}

/** The `widen train` config of the study's dense model (full density: the study prunes it afterwards). */
export function trainConfig(s: StudySettings): TrainConfig {
  return resolveTrainConfig({
    task: s.task,
    model: { hidden: s.hidden, activation: s.activation, density: 1 },
    optimizer: { kind: 'adam', lr: s.lr },
    epochs: s.epochs,
    batchSize: s.batchSize,
    seed: s.seed,
  });
}

/**
 * Calibration draw `draw`: `s.calibration` training samples chosen at random (stream draw of the
 * study seed), in ascending order. Draws are independent; the same draw always picks the same samples.
 */
export function drawCalibration(train: Required<Dataset<Int32Array>>, s: StudySettings, draw: number): Calibration {
  const rng = new Rng(s.seed).fork(100 + draw);
  const picked = rng
    .shuffle(Array.from({ length: train.size }, (_, i) => i))
    .slice(0, s.calibration)
    .sort((a, b) => a - b);
  const f = train.x.length / train.size;
  const x = new Float32Array(picked.length * f);
  picked.forEach((r, i) => {
    x.set(train.x.subarray(r * f, (r + 1) * f), i * f);
  });
  return { x, size: picked.length };
}

// Reuses a finished checkpoint of the same config, resumes an unfinished one, else trains from scratch.
async function trainedModel(
  config: TrainConfig,
  data: TrainTaskData,
  path: string,
  results: StudyResults,
  engine: Engine,
  progress: (p: StudyProgress) => void,
): Promise<MLP> {
  let resume: string | undefined;
  if (existsSync(path)) {
    const ckpt = loadCheckpoint(path, engine);
    const stored = ckpt.config as { config?: unknown; epochsDone?: number } | undefined;
    const same = JSON.stringify(stored?.config) === JSON.stringify(config);
    if (same && results.model !== null && (stored?.epochsDone ?? 0) >= config.epochs) return ckpt.model;
    ckpt.model.dispose();
    if (same && ckpt.optimizerState !== undefined) resume = path;
  }
  const run = await runTraining(config, {
    engine,
    out: path,
    resume,
    data,
    onEpoch: (e) => progress({ phase: 'training', done: e.epoch + 1, total: config.epochs, label: `loss ${e.trainLoss.toFixed(4)}` }),
  });
  const model: StudyModel = {
    sizes: run.model.sizes(),
    accuracy: run.test.accuracy,
    loss: run.test.loss,
    nnz: run.nnz,
    seconds: run.seconds,
    curve: run.history.epochs.map((e, i) => ({
      epoch: e + 1,
      trainLoss: run.history.trainLoss[i],
      testAccuracy: run.history.valAccuracy[i],
    })),
  };
  results.model = model;
  results.seconds.training = run.seconds;
  return run.model;
}

function runGrid(
  model: MLP,
  data: TrainTaskData,
  s: StudySettings,
  results: StudyResults,
  saved: (cell: string, done: number, total: number) => void,
): void {
  const key = (c: Pick<ExpansionCell, 'pruner' | 'sparsity' | 'k' | 'draw'>): string => `${c.pruner}|${c.sparsity}|${c.k}|${c.draw}`;
  const done = new Set(results.expansion.map(key));
  const total = s.draws * s.pruners.length * s.sparsities.length * s.ks.length;
  for (let draw = 0; draw < s.draws; draw++) {
    const calibration = drawCalibration(data.train, s, draw);
    const routers: RouterCache = new WeakMap(); // the first layer's router is shared by every pruner and sparsity of a draw
    for (const pruner of s.pruners)
      for (const sparsity of s.sparsities)
        for (const k of s.ks) {
          const cell = { pruner, sparsity, k, draw };
          if (done.has(key(cell))) continue;
          const t0 = performance.now();
          // k-means seeds differ per draw, so draws vary both the samples and the clustering
          const expanded = sparseExpand(model, calibration, {
            k,
            sparsity,
            pruner,
            reduce: s.reduce,
            restarts: s.restarts,
            seed: s.seed + 1000 * draw,
            routers,
          });
          const e = evaluateExpanded(expanded, data.test);
          results.expansion.push({
            ...cell,
            accuracy: e.accuracy,
            loss: e.loss,
            nnzStored: expanded.nnzStored(),
            nnzPerInput: e.nnzPerInput,
            routingFlops: expanded.routingFlops(),
            seconds: (performance.now() - t0) / 1000,
          });
          results.seconds.expansion += (performance.now() - t0) / 1000;
          expanded.dispose();
          saved(
            `${pruner} ${Math.round(sparsity * 100)}% K=${k} draw ${draw}: ${(100 * e.accuracy).toFixed(1)}%`,
            results.expansion.length,
            total,
          );
        }
  }
}
