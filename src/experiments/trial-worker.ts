// Entry of the trial pool's worker threads (pool.ts resolves this file as .ts or .js).
import { workerData } from 'node:worker_threads';
import { createEngine, type Engine } from '../engine/index.js';
import { runBooleanTrial } from './boolean-trial.js';
import type { TrialTask, TrialWorkerData } from './pool.js';
import type { TrialRecord } from './trial-record.js';

let engine: Engine | undefined;

/** Runs one trial on this worker's engine (made on the first task, single-threaded: the pool is the parallelism). */
export default function runTrialTask(task: TrialTask): TrialRecord {
  engine ??= createEngine({ backend: (workerData as TrialWorkerData | null)?.backend, threads: 1 });
  return runBooleanTrial(task.config, { engine, id: task.id, experiment: task.experiment });
}
