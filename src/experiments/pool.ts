import { Piscina } from 'piscina';
import type { BackendName } from '../engine/index.js';
import type { TrialConfig } from './experiment-grid.js';
import type { TrialRecord } from './trial-record.js';

/** What a pool worker receives for one trial. */
export interface TrialTask {
  id: string;
  experiment: string;
  config: TrialConfig;
}

/** What every worker of a pool is started with. */
export interface TrialWorkerData {
  /** Kernel table of the workers' engines (each has threads: 1, the pool supplies the parallelism). */
  backend?: BackendName;
}

/** A pool of worker threads that run trials, one at a time per worker. */
export interface TrialPool {
  run(task: TrialTask): Promise<TrialRecord>;
  /** Stops the workers; a trial still running is abandoned. */
  destroy(): Promise<void>;
}

/**
 * The worker entry beside `moduleUrl`: `trial-worker.ts` when this module runs as TypeScript
 * (under tsx, in tests and from source), `trial-worker.js` when it runs compiled from dist/.
 */
export function workerFile(moduleUrl: string = import.meta.url): string {
  const ext = new URL(moduleUrl).pathname.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./trial-worker${ext}`, moduleUrl).href;
}

/**
 * Starts `workers` threads running `trial-worker`. Under tsx the workers inherit the parent's
 * `--import tsx` (Node passes process.execArgv on), so they can load the `.ts` entry.
 * Example: `const pool = createTrialPool(2); const rec = await pool.run(task); await pool.destroy()`.
 */
export function createTrialPool(workers: number, data: TrialWorkerData = {}): TrialPool {
  const piscina = new Piscina<TrialTask, TrialRecord>({
    filename: workerFile(),
    minThreads: workers,
    maxThreads: workers,
    concurrentTasksPerWorker: 1,
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData: data,
  });
  return {
    run: (task) => piscina.run(task),
    destroy: () => piscina.destroy(),
  };
}
