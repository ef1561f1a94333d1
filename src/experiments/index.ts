// The experiments layer's surface (platform-free): trials (config -> record), the runner core with
// its TrialPool and TrialStore interfaces, the study definitions and report building. src/index.ts
// and the Node shell import the layer through this file.

export {
  buildReport,
  type CellSummary,
  type Figure,
  type FigureRenderer,
  type FigureSpec,
  isDatasetRecord,
  type MarkSpec,
  REALDATA_TITLE,
  REPORT_FORMATS,
  type RealDataCell,
  type RealDataData,
  type RealDataGroup,
  type Report,
  type ReportFormat,
  type ReportOptions,
  renderCsv,
  renderFigure,
  renderHtml,
  renderJson,
  renderMarkdown,
  reportFigures,
} from './report/index.js';
export { renderPage } from './report/render-html.js';
export { sparseExpansionBlocks } from './report/sparse-expansion-blocks.js';
export {
  type RunProgress,
  type RunTrialsOptions,
  type RunTrialsResult,
  runTrials,
  type TrialFailure,
} from './run/run-trials.js';
export type { TrialPool, TrialTask } from './run/trial-pool.js';
export { type Attempt, createMemoryStore, type StoredRecord, type TrialStore } from './run/trial-store.js';
export {
  BEYOND_STUDY,
  type BeyondCell,
  type BeyondMechanism,
  type BeyondStudyName,
  beyondCells,
  beyondStudyConfig,
  beyondStudyTitle,
  beyondTarget,
  type PairedCi,
} from './studies/beyond.js';
export { BOOLEAN_STUDY, booleanStudyPlan, booleanStudyTitle } from './studies/boolean.js';
export { REALDATA_STUDY, type RealDataStudyName, realDataStudyConfig, realDataStudyTitle } from './studies/realdata.js';
export { analyseUnits } from './studies/sparse-expansion/analyse-units.js';
export { drawCalibration, runExpansionGrid, trainConfig as studyTrainConfig } from './studies/sparse-expansion/expansion-grid.js';
export {
  analysisRecord,
  modelRecord,
  SPARSE_EXPANSION_EXPERIMENT,
  type StudyRecord,
  settingsRecord,
  storedStudySettings,
  studyResults,
} from './studies/sparse-expansion/study-records.js';
export type { ExpansionCell, StudyModel, StudyProgress, StudyResults } from './studies/sparse-expansion/study-results.js';
export {
  QUICK_SETTINGS as QUICK_STUDY_SETTINGS,
  resolveStudySettings,
  type StudySettings,
  type StudySettingsInput,
  StudySettingsSchema,
} from './studies/sparse-expansion/study-settings.js';
export { studyJson } from './studies/sparse-expansion/summarise.js';
export {
  expansionWassersteinShift,
  importanceScores,
  type LayerWassersteinShift,
} from './studies/sparse-expansion/wasserstein-shift.js';
export { type BooleanTrialOptions, runBooleanTrial } from './trials/boolean-trial.js';
export { DATASET_ALLOWED, DATASET_METHODS, DATASET_TRAINING } from './trials/dataset-task.js';
export { type DatasetTrialOptions, runDatasetTrial } from './trials/dataset-trial.js';
export {
  type BooleanExperimentConfig,
  type DatasetExperimentConfig,
  DatasetExperimentConfigSchema,
  type ExperimentConfig,
  ExperimentConfigSchema,
  gridPoints,
  parseExperimentConfigText,
  resolveExperimentConfig,
} from './trials/experiment-config.js';
export {
  type BooleanTrialConfig,
  canonicalJson,
  type DatasetTrialConfig,
  expandTrials,
  type PlannedTrial,
  type TrialConfig,
  trialId,
} from './trials/experiment-grid.js';
export { runTrial, SPLIT_STRATEGY, type TrialClock, type TrialKind, type TrialOptions } from './trials/run-trial.js';
export { SPLIT_VARIANTS, type SplitVariant, type UnitRanking } from './trials/split-variants.js';
export { resolveTrainConfig, type TrainConfig, TrainConfigSchema, type TrainTask, type TrainTaskData } from './trials/train-config.js';
export { type TrainModelOptions, type TrainRunResult, type TrainStart, trainModel } from './trials/train-model.js';
export { booleanTrialKind, datasetTrialKind } from './trials/trial-kinds.js';
export {
  METHODS,
  type Method,
  type TrialConfigSummary,
  type TrialCurves,
  type TrialMetrics,
  type TrialRecord,
} from './trials/trial-record.js';
