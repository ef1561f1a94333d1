export { nnzOf, type SparseInitConfig, shareBudget, sparseInit } from './baselines.js';
export { type MaskedLayer, pruneSmallest } from './budget.js';
export type { Provenance } from './carry-state.js';
export { type AllocateChildrenOptions, allocateChildren } from './children.js';
export type { GramDistance } from './gram-clusters.js';
export {
  type FpeOptions,
  OUTGOING_MODES,
  OUTGOING_ROUTES,
  type OutgoingMode,
  type OutgoingRoute,
  RESTORE_MODES,
  type ResolvedFpeOptions,
  type RestoreMode,
  resolveFpeOptions,
  SPLIT_STRATEGIES,
  type SplitStrategy,
} from './options.js';
export { type FpeResult, type SplitNetwork, splitBeforeRestore, splitNeurons } from './split-neurons.js';
