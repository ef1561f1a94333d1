export { nnzOf, type SparseInitConfig, shareBudget, sparseInit } from './baselines.js';
export { type MaskedLayer, pruneSmallest } from './budget.js';
export type { Provenance } from './carry-state.js';
export type { GramDistance } from './gram-clusters.js';
export {
  type FpeOptions,
  type ResolvedFpeOptions,
  resolveFpeOptions,
  SPLIT_STRATEGIES,
  type SplitStrategy,
} from './options.js';
export { type FpeResult, type SplitNetwork, splitBeforeRestore, splitNeurons } from './split-neurons.js';
