// widen/node: the Node shell's public API, named re-exports only.

export { readRecords, type WriteReportOptions, writeReport } from './report/write-report.js';
export { checkData, checkDataAvailable } from './run/check-data.js';
export { loadExperimentConfig } from './run/load-experiment-config.js';
export { createTrialPool, type TrialWorkerData } from './run/local-pool.js';
export { type RunExperimentOptions, type RunSummary, runExperiment } from './run/run-experiment.js';
export { openStore, STORE_FILE } from './run/sqlite-store.js';
export { type ReproduceBooleanOptions, type ReproduceBooleanResult, reproduceBoolean } from './studies/reproduce-boolean.js';
export { type ReproduceRealDataOptions, type ReproduceRealDataResult, reproduceRealData } from './studies/reproduce-realdata.js';
export {
  type ReproduceSparseExpansionOptions,
  type ReproduceSparseExpansionResult,
  reproduceSparseExpansion,
} from './studies/reproduce-sparse-expansion.js';
export { runSparseExpansionStudy, type SparseExpansionStudyOptions } from './studies/run-sparse-expansion-study.js';
export { loadTrainTask, runTraining, type TrainRunOptions } from './train/train-run.js';
