// One-shot pruners: named re-exports only (STYLE.md).
export { globalMagnitudePrune, magnitudePrune } from './magnitude-prune.js';
export { PRUNE_METHODS, type PruneMethod, type PruneModelOptions, pruneModel } from './prune-model.js';
export { PRUNER_NAMES, PRUNERS, type Pruner, type PrunerName, type PrunerSettings } from './pruners.js';
export { reconstructionError } from './reconstruction-error.js';
export {
  decodeExpanded,
  EXPANDED_FORMAT,
  EXPANSION_PRUNERS,
  type ExpandedEvaluation,
  type ExpandedLayer,
  ExpandedMLP,
  type ExpansionPruner,
  encodeExpanded,
  evaluateExpanded,
  type LayerPass,
  type LayerRouter,
  type LoadedExpanded,
  projectRows,
  type RouterCache,
  routeRows,
  routingFlops,
  type SparseExpansionOptions,
  sparseExpand,
} from './sparse-expansion/index.js';
export { type SparseGptOptions, sparseGptPrune } from './sparse-gpt-prune.js';
export type {
  Calibration,
  LayerPruneOptions,
  NmPattern,
  PruneLayer,
  PruneResult,
  PruneTarget,
} from './target.js';
export {
  type ImportanceResult,
  type ImportanceTestOptions,
  importanceTest,
  type SparsifyUnitsOptions,
  sparsifyUnits,
} from './unit-importance.js';
export { wandaPrune } from './wanda-prune.js';
