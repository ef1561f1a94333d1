import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type BackendName, backendId, ConfigError, createEngine, type KernelFlavour } from '../../engine/index.js';
import { type RunProgress, runTrials, type TrialFailure } from '../../experiments/run/run-trials.js';
import type { ExperimentConfig } from '../../experiments/trials/experiment-config.js';
import { resolveExperimentConfig } from '../../experiments/trials/experiment-config.js';
import { canonicalJson, expandTrials } from '../../experiments/trials/experiment-grid.js';
import { writeFileAtomic } from '../files.js';
import { nodePlatform } from '../platform.js';
import { createQueuePool, type QueuePoolOptions } from '../queue/queue-pool.js';
import { redisOptions } from '../queue/redis-connection.js';
import { checkData } from './check-data.js';
import { loadExperimentConfig } from './load-experiment-config.js';
import { createTrialPool } from './local-pool.js';
import { openStore } from './sqlite-store.js';

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
  /**
   * Run the trials on `widen worker` processes through the Redis queue at `queue.url` instead of
   * local threads (every trial is enqueued at once; `workers` and `backend` are then the workers' business).
   */
  queue?: Omit<QueuePoolOptions, 'experiment'>;
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

/** Refuses a worker count that is not an integer >= 1 (undefined: the default). */
export function checkWorkers(asked: number | undefined): void {
  if (asked !== undefined && !(Number.isInteger(asked) && asked >= 1)) {
    throw new ConfigError(`workers must be an integer >= 1, got ${asked}; pass --workers 2`, {
      where: 'workers',
      got: asked,
      allowed: '>= 1',
    });
  }
}

/**
 * Runs every trial of an experiment not yet in the run folder's store, in parallel over a worker
 * pool, storing each as it finishes; safe to kill and rerun at any point. Example:
 * `await runExperiment('headline.yaml', { out: 'runs/headline', workers: 2 })`.
 */
export async function runExperiment(config: string | unknown, options: RunExperimentOptions): Promise<RunSummary> {
  const t0 = performance.now();
  checkWorkers(options.workers);
  // a bad queue URL is refused before the run folder is made or claimed
  if (options.queue !== undefined) redisOptions(options.queue.url);
  const resolved = typeof config === 'string' ? loadExperimentConfig(config) : resolveExperimentConfig(config);
  const runDir = options.out;
  checkRunFolder(runDir);
  // a queue's workers load the data on their machines; this one need not have it
  if (options.queue === undefined) await checkData(resolved);
  const trials = expandTrials(resolved);
  claimRunFolder(runDir, resolved);
  const { backend, kernels, id } = effectiveBackend(options.backend);
  const store = openStore(runDir, { backend: id });
  const { queue } = options;
  try {
    const run = await runTrials(trials, {
      experiment: resolved.name,
      store,
      pool: (workers) =>
        queue === undefined
          ? createTrialPool(workers, { backend, ...(kernels === null ? {} : { kernels }) })
          : createQueuePool({ ...queue, experiment: resolved }),
      // through a queue every trial is in flight at once: the workers decide how many run
      concurrency: queue !== undefined ? Math.max(1, trials.length) : (options.workers ?? availableParallelism()),
      onProgress: options.onProgress,
    });
    return { runDir, experiment: resolved.name, ...run, seconds: (performance.now() - t0) / 1000 };
  } finally {
    store.close();
  }
}

/** Refuses a run folder path that names something other than a folder (a file, say) before anything is written. */
function checkRunFolder(runDir: string): void {
  if (existsSync(runDir) && !statSync(runDir).isDirectory()) {
    throw new ConfigError(`--out ${runDir} is an existing file, not a run folder; pass a folder path (new or of an earlier run)`, {
      where: runDir,
      got: runDir,
    });
  }
}

/**
 * The kernel table the workers will use: 'ref' or 'wasm' and, for wasm, the kernel build (plain or
 * relaxed SIMD), with 'auto' resolved here once, so a worker cannot fall back to another table or
 * build than the one the store records (id: 'ref', 'wasm' or 'wasm-relaxed').
 */
function effectiveBackend(asked: BackendName | undefined): { backend: BackendName; kernels: KernelFlavour | null; id: string } {
  const engine = createEngine({ backend: asked, threads: 1, platform: nodePlatform() });
  try {
    return { backend: engine.backend.name, kernels: engine.backend.flavour, id: backendId(engine.backend) };
  } finally {
    engine.dispose();
  }
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
