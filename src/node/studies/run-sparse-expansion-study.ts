import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, DataError, defaultEngine, type Engine } from '../../engine/index.js';
import type { TrialStore } from '../../experiments/run/trial-store.js';
import { analyseUnits } from '../../experiments/studies/sparse-expansion/analyse-units.js';
import { drawCalibration, runExpansionGrid, trainConfig } from '../../experiments/studies/sparse-expansion/expansion-grid.js';
import {
  analysisRecord,
  modelRecord,
  SPARSE_EXPANSION_EXPERIMENT,
  type StudyRecord,
  settingsRecord,
  studyResults,
} from '../../experiments/studies/sparse-expansion/study-records.js';
import type { StudyModel, StudyProgress, StudyResults } from '../../experiments/studies/sparse-expansion/study-results.js';
import { resolveStudySettings, type StudySettingsInput } from '../../experiments/studies/sparse-expansion/study-settings.js';
import type { TrainConfig, TrainTaskData } from '../../experiments/trials/train-config.js';
import type { MLP } from '../../nn/index.js';
import { loadCheckpoint } from '../files.js';
import { openStore, STORE_FILE } from '../run/sqlite-store.js';
import { loadTrainTask, runTraining } from '../train/train-run.js';

/** Options of runSparseExpansionStudy. */
export interface SparseExpansionStudyOptions {
  /** Folder of model.safetensors, trials.sqlite and report.html; rerunning resumes from them. */
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
 * pre-activation ablation. Every finished step is stored at once as a StudyRecord in the folder's
 * TrialStore (`out/trials.sqlite`), so a killed run resumes where it stopped. Example: `await runSparseExpansionStudy({ out: 'runs/se', quick: true })`.
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
  const store = openStudyStore(options.out);
  try {
    store.insert(settingsRecord(settings));
    const results = studyResults(store.trials(), settings);
    const model = await trainedModel(config, data, join(options.out, 'model.safetensors'), results, store, engine, progress);
    try {
      runExpansionGrid(model, data, settings, results, store, (cell, done, total) => {
        progress({ phase: 'expansion', done, total, label: cell });
      });
      if (results.wd === null || results.importance === null || results.ablation === null) {
        const t0 = performance.now();
        const analysis = analyseUnits(model, drawCalibration(data.train, settings, 0), data.test, settings, progress);
        Object.assign(results, analysis);
        results.seconds.analysis = (performance.now() - t0) / 1000;
        store.insert(analysisRecord(settings, analysis, results.seconds.analysis));
      }
    } finally {
      model.dispose();
    }
    return results;
  } finally {
    store.close();
  }
}

/**
 * Opens the TrialStore of study folder `out`, refusing one that holds records of something else
 * (a `widen run` folder): the study adds to its own store only.
 */
function openStudyStore(out: string): TrialStore<StudyRecord> {
  const store = openStore<StudyRecord>(out);
  const other = store.trials().find((r) => r.experiment !== SPARSE_EXPANSION_EXPERIMENT);
  if (other !== undefined) {
    store.close();
    const file = join(out, STORE_FILE);
    throw new DataError(
      `${file} holds trials of experiment '${other.experiment}', not the Sparse Expansion study's; choose another --out`,
      { where: file, got: other.experiment, allowed: SPARSE_EXPANSION_EXPERIMENT },
    );
  }
  return store;
}

// Reuses a finished checkpoint of the same config, resumes an unfinished one, else trains from scratch.
async function trainedModel(
  config: TrainConfig,
  data: TrainTaskData,
  path: string,
  results: StudyResults,
  store: TrialStore<StudyRecord>,
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
  store.insert(modelRecord(results.settings, model));
  return run.model;
}
