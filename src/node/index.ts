// widen's Node shell (package entry "widen/node"): what needs Node's file system, threads and
// process. Named re-exports only; importing it has no side effects.

export { type DownloadOptions, downloadVerified } from './data/download.js';
export { type EmbeddingData, type EmbeddingFiles, readEmbeddings, readTextLabels } from './data/embeddings.js';
export { readCsv, readIdx, readNpy, readSafetensorsData, readSafetensorsFile } from './data/files.js';
export { type DataEnvironment, imageSetPlaces, type LocateOptions, locateImageSet, readImageSet } from './data/image-sets.js';
export { loadDataset } from './data/registry.js';
export { type DoctorCheck, type DoctorOptions, doctor } from './doctor.js';
export {
  loadCheckpoint,
  loadExpanded,
  readSafetensors,
  saveCheckpoint,
  saveExpanded,
  writeFileAtomic,
  writeSafetensors,
} from './files.js';
export {
  EXPORT_FORMATS,
  type ExportFormat,
  exportModelFile,
  importTorchFile,
  loadLayerFile,
  readInputsFile,
  readSafetensorsTensors,
  refusePickle,
} from './interop.js';
export { packageRoot } from './package-info.js';
export {
  defaultWasmPath,
  enableRelaxedSimd,
  type NodePlatformOptions,
  nodePlatform,
  relaxedWasmPath,
  useNodePlatform,
} from './platform.js';
export { type BuildId, buildId } from './queue/build-id.js';
export { cleanQueue, type QueueSummary, queueStatus, retryFailedJobs } from './queue/queue-admin.js';
export { createQueuePool, type QueuePoolOptions, type QueueProgress } from './queue/queue-pool.js';
export { type QueueWorker, type QueueWorkerEvent, type QueueWorkerOptions, startQueueWorker } from './queue/queue-worker.js';
export { redactRedisUrl, redisOptions } from './queue/redis-connection.js';
export { nodeDocument, renderFigureSvg } from './report/node-document.js';
export { readRecords, type WriteReportOptions, writeReport } from './report/write-report.js';
export { checkData, checkDataAvailable } from './run/check-data.js';
export { loadExperimentConfig } from './run/load-experiment-config.js';
export { createTrialPool, type TrialWorkerData } from './run/local-pool.js';
export { type RunExperimentOptions, type RunSummary, runExperiment } from './run/run-experiment.js';
export { type OpenStoreOptions, openStore, STORE_FILE } from './run/sqlite-store.js';
export { createServer, defaultWebDir, type ServeOptions } from './serve/index.js';
export { type ReproduceBeyondOptions, type ReproduceBeyondResult, reproduceBeyond, writeBeyondReport } from './studies/reproduce-beyond.js';
export { type ReproduceBooleanOptions, type ReproduceBooleanResult, reproduceBoolean } from './studies/reproduce-boolean.js';
export { type ReproduceRealDataOptions, type ReproduceRealDataResult, reproduceRealData } from './studies/reproduce-realdata.js';
export {
  type ReproduceSparseExpansionOptions,
  type ReproduceSparseExpansionResult,
  reproduceSparseExpansion,
} from './studies/reproduce-sparse-expansion.js';
export { runSparseExpansionStudy, type SparseExpansionStudyOptions } from './studies/run-sparse-expansion-study.js';
export { loadTrainTask, runTraining, type TrainRunOptions } from './train/train-run.js';
