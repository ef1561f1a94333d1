// Entry of the trial pool's worker threads (local-pool.ts resolves this file as .ts or .js).
import { workerData } from 'node:worker_threads';
import type { LoadedDataset, ResolvedDatasetSpec } from '../../data/index.js';
import { createEngine, type Engine } from '../../engine/index.js';
import type { TrialTask } from '../../experiments/run/trial-pool.js';
import { runBooleanTrial } from '../../experiments/trials/boolean-trial.js';
import { runDatasetTrial } from '../../experiments/trials/dataset-trial.js';
import { canonicalJson } from '../../experiments/trials/experiment-grid.js';
import type { TrialRecord } from '../../experiments/trials/trial-record.js';
import { loadDataset } from '../data/registry.js';
import { useNodePlatform } from '../platform.js';
import type { TrialWorkerData } from './local-pool.js';

useNodePlatform();

let engine: Engine | undefined;
// Datasets this worker loaded, by canonical spec: each is read once per worker, not once per trial.
// Two entries cover a study that alternates two sets (Fashion-MNIST and MNIST: ~220 MB each).
const datasets = new Map<string, Promise<LoadedDataset>>();
const MAX_DATASETS = 2;

function cachedDataset(spec: ResolvedDatasetSpec): Promise<LoadedDataset> {
  const key = canonicalJson(spec);
  let hit = datasets.get(key);
  if (hit === undefined) {
    hit = loadDataset(spec);
    hit.catch(() => datasets.delete(key));
  } else datasets.delete(key); // re-inserted below as the most recent
  datasets.set(key, hit);
  if (datasets.size > MAX_DATASETS) datasets.delete(datasets.keys().next().value as string);
  return hit;
}

/** Runs one trial on this worker's engine (made on the first task, single-threaded: the pool is the parallelism). */
export default async function runTrialTask(task: TrialTask): Promise<TrialRecord> {
  const data = workerData as TrialWorkerData | null;
  engine ??= createEngine({ backend: data?.backend, kernels: data?.kernels, threads: 1 });
  const options = { engine, id: task.id, experiment: task.experiment };
  if (task.config.task === 'dataset') return runDatasetTrial(task.config, await cachedDataset(task.config.dataset), options);
  return runBooleanTrial(task.config, options);
}
