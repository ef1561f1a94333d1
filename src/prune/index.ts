// One-shot pruners: named re-exports only (STYLE.md).
export { globalMagnitudePrune, magnitudePrune } from './magnitude-prune.js';
export { PRUNE_METHODS, type PruneMethod, type PruneModelOptions, pruneModel } from './prune-model.js';
export { reconstructionError } from './reconstruction-error.js';
export { type SparseGptOptions, sparseGptPrune } from './sparse-gpt-prune.js';
export type {
  Calibration,
  LayerPruneOptions,
  NmPattern,
  PruneLayer,
  PruneResult,
  PruneTarget,
} from './target.js';
export { wandaPrune } from './wanda-prune.js';
