import { Piscina } from 'piscina';
import type { BackendName, KernelChoice } from '../../engine/index.js';
import type { TrialPool, TrialTask } from '../../experiments/run/trial-pool.js';
import type { TrialRecord } from '../../experiments/trials/trial-record.js';

/** What every worker of a pool is started with. */
export interface TrialWorkerData {
  /** Kernel table of the workers' engines (each has threads: 1, the pool supplies the parallelism). */
  backend?: BackendName;
  /** Kernel build of the wasm engines ('plain' or 'relaxed'), resolved once by the caller so every worker runs the same one. */
  kernels?: KernelChoice;
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
 * The local TrialPool: starts `workers` threads running `trial-worker`, one trial at a time per worker. Under tsx the workers inherit the parent's
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
