import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { ResolvedDatasetSpec } from '../data/index.js';
import { type BackendName, ConfigError } from '../engine/index.js';
import { writeFileAtomic } from '../node/files.js';
import { checkDataAvailable } from './dataset-task.js';
import { type ExperimentConfig, gridPoints, loadExperimentConfig, resolveExperimentConfig } from './experiment-config.js';
import { canonicalJson, expandTrials, type TrialConfig } from './experiment-grid.js';
import { createTrialPool } from './pool.js';
import { openStore } from './store.js';
import type { TrialRecord } from './trial-record.js';

/** File name of the resolved experiment config inside a run folder. */
const RUN_CONFIG_FILE = 'config.json';

/** Options of runExperiment. */
export interface RunExperimentOptions {
  /** The run folder: config.json and trials.sqlite go here; finished trials in it are skipped. */
  out: string;
  /** Worker threads (default: the machine's cores, at most the trials to run). */
  workers?: number;
  /** Kernel table of the workers' engines (default: the engine's own default, 'auto'). */
  backend?: BackendName;
  onProgress?: (progress: RunProgress) => void;
}

/** What onProgress receives: once before the first trial starts, then after every trial. */
export interface RunProgress {
  /** Trials in the experiment. */
  total: number;
  /** Trials finished, including those found in the store. */
  done: number;
  /** Trials found in the store at the start. */
  skipped: number;
  failed: number;
  /** The trial that just finished, or the one that just failed. */
  record?: TrialRecord;
  error?: TrialFailure;
}

/** A trial that threw: its id and config, and the error's message. */
export interface TrialFailure {
  id: string;
  config: TrialConfig;
  message: string;
}

/** What runExperiment resolves to. */
export interface RunSummary {
  runDir: string;
  experiment: string;
  total: number;
  /** Trials found already finished in the store. */
  skipped: number;
  /** Trials run and stored by this call. */
  ran: number;
  /** Trials that threw; they are not stored, so the next run retries them. */
  failed: TrialFailure[];
  seconds: number;
}

/**
 * Runs every trial of an experiment not yet in the run folder's store, in parallel over a worker
 * pool, storing each as it finishes; safe to kill and rerun at any point. Example:
 * `await runExperiment('headline.yaml', { out: 'runs/headline', workers: 2 })`.
 */
export async function runExperiment(config: string | unknown, options: RunExperimentOptions): Promise<RunSummary> {
  const t0 = performance.now();
  const { workers: asked } = options;
  if (asked !== undefined && !(Number.isInteger(asked) && asked >= 1)) {
    throw new ConfigError(`workers must be an integer >= 1, got ${asked}; pass --workers 2`, {
      where: 'workers',
      got: asked,
      allowed: '>= 1',
    });
  }
  const resolved = typeof config === 'string' ? loadExperimentConfig(config) : resolveExperimentConfig(config);
  const runDir = options.out;
  await checkData(resolved);
  claimRunFolder(runDir, resolved);
  const trials = expandTrials(resolved);
  const store = openStore(runDir);
  const failed: RunSummary['failed'] = [];
  let ran = 0;
  try {
    const finished = store.ids();
    const todo = trials.filter((t) => !finished.has(t.id));
    const skipped = trials.length - todo.length;
    const progress = (extra: Partial<RunProgress> = {}): void =>
      options.onProgress?.({ total: trials.length, done: skipped + ran, skipped, failed: failed.length, ...extra });
    progress();
    if (todo.length > 0) {
      const session = store.beginSession();
      const workers = Math.min(asked ?? availableParallelism(), todo.length);
      const pool = createTrialPool(workers, { backend: options.backend });
      let next = 0;
      // one lane per worker: a trial is logged as started only when a worker takes it
      const lane = async (): Promise<void> => {
        while (next < todo.length) {
          const trial = todo[next++];
          store.logAttempt(trial.id, session);
          try {
            const record = await pool.run({ id: trial.id, experiment: resolved.name, config: trial.config });
            store.insert(record);
            ran++;
            progress({ record });
          } catch (err) {
            const error = { id: trial.id, config: trial.config, message: err instanceof Error ? err.message : String(err) };
            failed.push(error);
            progress({ error });
          }
        }
      };
      try {
        await Promise.all(Array.from({ length: workers }, lane));
      } finally {
        await pool.destroy();
      }
    }
    return { runDir, experiment: resolved.name, total: trials.length, skipped, ran, failed, seconds: (performance.now() - t0) / 1000 };
  } finally {
    store.close();
  }
}

/** Refuses a real-data experiment whose dataset (any grid point's) cannot be found, before any folder or trial. */
export async function checkData(config: ExperimentConfig): Promise<void> {
  const specs = new Map<string, ResolvedDatasetSpec>();
  for (const point of gridPoints(config)) {
    if (point.task.kind === 'dataset') specs.set(canonicalJson(point.task.data), point.task.data as ResolvedDatasetSpec);
  }
  for (const spec of specs.values()) await checkDataAvailable(spec);
}

/**
 * Makes `runDir` the home of `config`: writes config.json on first use, and refuses a folder
 * whose config.json holds a different experiment or a different config of the same one.
 */
function claimRunFolder(runDir: string, config: ExperimentConfig): void {
  mkdirSync(runDir, { recursive: true });
  const file = join(runDir, RUN_CONFIG_FILE);
  if (existsSync(file)) {
    let stored: Record<string, unknown>;
    try {
      stored = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(
        `run folder ${runDir} has an unreadable ${RUN_CONFIG_FILE} (${(err as Error).message}); pass a new --out folder`,
        {
          where: file,
        },
      );
    }
    if (stored.name !== config.name) {
      throw new ConfigError(
        `run folder ${runDir} holds experiment '${String(stored.name)}', not '${config.name}'; pass a new --out folder or rerun '${String(stored.name)}'`,
        { where: file, got: stored.name, allowed: config.name },
      );
    }
    const diff = firstDifference(stored, config, '');
    if (diff !== undefined) {
      throw new ConfigError(
        `run folder ${runDir} holds a different config of experiment '${config.name}' (${diff}); pass a new --out folder to run this config`,
        { where: file },
      );
    }
    return;
  }
  writeFileAtomic(file, Buffer.from(`${JSON.stringify(config, null, 2)}\n`));
}

/** The first path where `a` (stored) and `b` (new) differ, as `path: stored -> new`; undefined when equal. */
function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (canonicalJson(a) === canonicalJson(b)) return undefined;
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const d = firstDifference(a[k], b[k], path === '' ? k : `${path}.${k}`);
      if (d !== undefined) return d;
    }
  }
  return `${path}: ${JSON.stringify(a) ?? 'nothing'} -> ${JSON.stringify(b) ?? 'nothing'}`;
}
