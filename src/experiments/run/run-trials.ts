import type { PlannedTrial, TrialConfig } from '../trials/experiment-grid.js';
import type { TrialRecord } from '../trials/trial-record.js';
import type { TrialPool } from './trial-pool.js';
import type { TrialStore } from './trial-store.js';

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

/** Options of runTrials. */
export interface RunTrialsOptions {
  /** Name of the experiment, passed to the pool with every trial. */
  experiment: string;
  store: TrialStore;
  /**
   * Makes the pool once there is something to run (never when every trial is stored), given how
   * many trials it will have in flight at once; runTrials destroys it at the end.
   */
  pool: (concurrency: number) => TrialPool;
  /** Trials in flight at once, at most the trials to run. */
  concurrency: number;
  onProgress?: (progress: RunProgress) => void;
}

/** What runTrials resolves to. */
export interface RunTrialsResult {
  total: number;
  /** Trials found already finished in the store. */
  skipped: number;
  /** Trials run and stored by this call. */
  ran: number;
  /** Trials that threw; they are not stored, so the next run retries them. */
  failed: TrialFailure[];
}

/**
 * Runs every trial not yet in the store on the pool, `concurrency` at a time, storing each record
 * as it finishes (in finishing order); a trial that throws is reported and left out of the store.
 * Platform-free: the store and the pool come in. Example:
 * `await runTrials(expandTrials(config), { experiment: config.name, store, pool: (n) => createTrialPool(n), concurrency: 2 })`.
 */
export async function runTrials(trials: readonly PlannedTrial[], options: RunTrialsOptions): Promise<RunTrialsResult> {
  const { store } = options;
  const failed: TrialFailure[] = [];
  let ran = 0;
  const finished = store.ids();
  const todo = trials.filter((t) => !finished.has(t.id));
  const skipped = trials.length - todo.length;
  const progress = (extra: Partial<RunProgress> = {}): void =>
    options.onProgress?.({ total: trials.length, done: skipped + ran, skipped, failed: failed.length, ...extra });
  progress();
  if (todo.length > 0) {
    const session = store.beginSession();
    const lanes = Math.min(options.concurrency, todo.length);
    const pool = options.pool(lanes);
    let next = 0;
    // one lane per pool slot: a trial is logged as started only when a slot takes it
    const lane = async (): Promise<void> => {
      while (next < todo.length) {
        const trial = todo[next++];
        store.logAttempt(trial.id, session);
        try {
          const record = await pool.run({ id: trial.id, experiment: options.experiment, config: trial.config });
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
      await Promise.all(Array.from({ length: lanes }, lane));
    } finally {
      await pool.destroy();
    }
  }
  return { total: trials.length, skipped, ran, failed };
}
