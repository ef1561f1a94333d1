import type { TrialConfig } from '../trials/experiment-grid.js';
import type { TrialRecord } from '../trials/trial-record.js';

/** What a pool receives for one trial: its id, its experiment's name and its config. */
export interface TrialTask {
  id: string;
  experiment: string;
  config: TrialConfig;
}

/**
 * Something that runs trials: a worker-thread pool in Node (widen/node's createTrialPool), a
 * queue of remote workers, or a page's Web Workers. runTrials keeps at most its `concurrency`
 * tasks in flight and awaits each record; the pool decides where and how they run.
 */
export interface TrialPool {
  /** Runs one trial; rejects when the trial throws (the runner records the failure and goes on). */
  run(task: TrialTask): Promise<TrialRecord>;
  /** Stops the pool; a trial still running is abandoned. */
  destroy(): Promise<void>;
}
