export { ActivationStep, parseActivation } from './activation.js';
export { CHECKPOINT_FORMAT, type Checkpoint, type CheckpointInput, decodeCheckpoint, encodeCheckpoint } from './checkpoint.js';
export { compactDense, expandCompact } from './compact.js';
export { checkConfigDepth, parseConfig } from './config.js';
export { checkDataset, type Dataset, LOSSES, type LossName, parseLoss } from './dataset.js';
export {
  entryToF32,
  FLOAT_DTYPES,
  type FloatDType,
  f32ToEntry,
  floatToBfloat16,
  floatToHalf,
  halfToFloat,
  isFloatDType,
} from './float-dtypes.js';
export { forwardInChunks, layerInputs, type ModelInputs } from './layer-inputs.js';
export { applyLoss, lossCount } from './loss.js';
export { copyMask, randomMask } from './mask.js';
export { type ForwardHooks, type ForwardOptions, type LayerWeights, MLP, type MlpConfig } from './mlp.js';
export {
  Adam,
  BaseOptimizer,
  createOptimizer,
  OPTIMIZERS,
  type Optimizer,
  type OptimizerConfig,
  type OptimizerKind,
  type OptimizerState,
  type ResolvedOptimizerConfig,
  resolveOptimizerConfig,
  restoreOptimizer,
  Sgd,
  type StateSlot,
  slotsFor,
} from './optim/index.js';
export {
  decodeSafetensors,
  decodeSafetensorsHeader,
  encodeSafetensors,
  entryF32,
  entryU8,
  SAFETENSORS_DTYPES,
  type SafetensorsDType,
  type SafetensorsEntry,
  type SafetensorsFile,
  type SafetensorsHeader,
  type SafetensorsInput,
  safetensorsHeaderLength,
} from './safetensors.js';
export { createSchedule, type LrSchedule, SCHEDULES, type ScheduleConfig } from './schedule.js';
export { CSR_MAX_DENSITY, type LayerPath, type Param, SparseLinear, type SparseLinearOptions } from './sparse-linear.js';
export {
  type EpochInfo,
  type Evaluation,
  evaluate,
  type FitOptions,
  fit,
  type History,
  lossAndGradients,
  type StepInfo,
  trainStep,
} from './train.js';
export { Workspace } from './workspace.js';
