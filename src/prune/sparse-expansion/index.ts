// Sparse Expansion: PCA + k-means routing to per-cluster pruned experts. Named re-exports only (STYLE.md).
export { type ExpandedEvaluation, evaluateExpanded } from './evaluate-expanded.js';
export { decodeExpanded, EXPANDED_FORMAT, encodeExpanded, type LoadedExpanded } from './expanded-checkpoint.js';
export { type ExpandedLayer, ExpandedMLP, type LayerPass } from './expanded-mlp.js';
export { type LayerRouter, projectRows, routeRows, routingFlops } from './router.js';
export { EXPANSION_PRUNERS, type ExpansionPruner, type RouterCache, type SparseExpansionOptions, sparseExpand } from './sparse-expand.js';
