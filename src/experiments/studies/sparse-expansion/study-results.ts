import type { StudySettings } from './study-settings.js';

/** Where the study is: training epochs, expansion cells or analysis steps done of their total. */
export interface StudyProgress {
  phase: 'training' | 'expansion' | 'analysis';
  done: number;
  total: number;
  label?: string;
}

/** One expansion of the grid: pruner, per-expert sparsity, experts K and calibration draw, with its test metrics. */
export interface ExpansionCell {
  pruner: string;
  sparsity: number;
  k: number;
  draw: number;
  accuracy: number;
  loss: number;
  /** Non-zero weights over all experts of all layers. */
  nnzStored: number;
  /** Mean non-zero weights of the experts an input was routed to. */
  nnzPerInput: number;
  /** Multiply-adds per input of the routers (PCA projection + nearest centroid); 0 at K = 1. */
  routingFlops: number;
  seconds: number;
}

/** The trained dense model: its layer sizes, test metrics, non-zeros and per-epoch curve. */
export interface StudyModel {
  sizes: number[];
  accuracy: number;
  loss: number;
  nnz: number;
  seconds: number;
  curve: { epoch: number; trainLoss: number; testAccuracy: number }[];
}

/** One hidden layer of the WD analysis: per-unit WD, mapping difficulty and the shift after Sparse Expansion. */
export interface StudyWdLayer {
  layer: number;
  units: number;
  wd: number[];
  /** Units by decreasing WD. */
  ranking: number[];
  difficulty: number;
  wdDifficultySpearman: number;
  /** Cluster-weighted WD after the `shift` expansion of the settings. */
  after: number[];
  top: { units: number; fractionDropped: number; medianChange: number };
  all: { units: number; fractionDropped: number; medianChange: number };
}

/** One sparsified selection of the importance test (random: one row per draw). */
export interface StudyImportance {
  selection: string;
  draw: number | null;
  p: number;
  units: number[];
  accuracy: number;
  accuracyDrop: number;
}

/** One clamp selection of the negative pre-activation ablation at fraction p. */
export interface StudyAblation {
  selection: string;
  draw: number | null;
  p: number;
  units: number[];
  accuracy: number;
  loss: number;
  lossIncrease: number;
  accuracyDrop: number;
  perClass: number[];
  /** Matched control only: whether the bottom-WD clamp reached the top-WD loss increase. */
  matched?: boolean;
}

/** Everything the study measured: what its StudyRecords in the study folder's TrialStore add up to (studyResults). */
export interface StudyResults {
  version: 1;
  settings: StudySettings;
  model: StudyModel | null;
  expansion: ExpansionCell[];
  wd: StudyWdLayer[] | null;
  importance: StudyImportance[] | null;
  ablation: StudyAblation[] | null;
  seconds: { training: number; expansion: number; analysis: number };
}

/** Empty results for `settings`. */
export function emptyResults(settings: StudySettings): StudyResults {
  return {
    version: 1,
    settings,
    model: null,
    expansion: [],
    wd: null,
    importance: null,
    ablation: null,
    seconds: { training: 0, expansion: 0, analysis: 0 },
  };
}
