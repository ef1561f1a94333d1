// Entanglement and task metrics: pure functions of weights, masks and activations. Named re-exports only (STYLE.md).
export { type FeatureCapacity, featureCapacity } from './capacity.js';
export { clusterWeightedWasserstein, type WassersteinShift, wassersteinShift } from './cluster-wasserstein.js';
export {
  asymptoticCollisionProbability,
  collisionProbability,
  type ExpectedCollisions,
  expectedCollisions,
  roundRobinGroupSizes,
} from './collision-probability.js';
export { type ClauseCoverage, clauseCoverage, weightedClauseCollisions } from './collisions.js';
export { meanPairwiseCosine } from './cosine.js';
export { type MappingDifficultyOptions, mappingDifficulty } from './mapping-difficulty.js';
export { hiddenPreActivations, modelOutputs } from './model-activations.js';
export {
  type AblationLayer,
  type AblationResult,
  type AblationSelectionName,
  type AblationSpread,
  type MatchedControl,
  type NegativeAblation,
  type NegativeAblationOptions,
  negativeAblation,
  type RandomSummary,
} from './negative-ablation.js';
export {
  argmaxAccuracy,
  binaryAccuracy,
  type MultiLabelMetrics,
  multiLabelMetrics,
  type TaskMetrics,
  type TaskMode,
  taskMetrics,
} from './task-metrics.js';
export { normalQuantiles, unitWasserstein, wassersteinToNormal, zScores } from './wasserstein.js';
export {
  linearLayerNeurons,
  type NeuronLayer,
  rankDescending,
  spearman,
  type WassersteinNeuronsOptions,
  wassersteinNeurons,
} from './wasserstein-neurons.js';
