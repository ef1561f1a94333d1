/** Methods compared in the experiments, by their names in configs, stores and reports (real data runs a subset). */
export const METHODS = [
  'dense',
  'sparse-init',
  'fpe-random',
  'fpe-clause',
  'fpe-gram',
  'overlap',
  // the variants of issue 11 (SPLIT_VARIANTS)
  'fpe-partition',
  'fpe-partition-scaled',
  'fpe-layer-restore',
  'fpe-selective-wd',
  'fpe-selective-collisions',
  'fpe-schedule',
  'fpe-clause-routed',
] as const;
/** One of METHODS. */
export type Method = (typeof METHODS)[number];

/** Per-epoch curves of a trial (epochs counted over the whole run, warm-up included). */
export interface TrialCurves {
  epoch: number[];
  trainLoss: number[];
  testLoss: number[];
  testAccuracy: number[];
  /** Epoch after which FPE split the network (absent for methods without a split). */
  splitEpoch?: number;
}

/** Metrics of a finished trial, measured on the test set at the end of training. */
export interface TrialMetrics {
  /** Main accuracy of the mode, a fraction in [0, 1]. */
  accuracy: number;
  testLoss: number;
  /** multi-label only. */
  exactMatch?: number;
  macroF1?: number;
  /** Non-zero weights (biases excluded) at the end. */
  nnz: number;
  /** Hidden width at the end (α·h after FPE); the first hidden layer's when there are several. */
  width: number;
  /** Real-data trials: the width of every hidden layer at the end. */
  widths?: number[];
  capacityMean: number;
  capacitySum: number;
  cosineMean: number;
  /** Fraction of clauses covered by at least one unit, and colliding clause pairs per unit, at the end. */
  coverage: number;
  collisionsPerUnit: number;
  /** FPE only: the same right after the split, before the budget restore, and the exact random-split prediction. */
  coverageAfterSplit?: number;
  collisionsPerUnitAfterSplit?: number;
  collisionsPredicted?: number;
  /** FPE only: test accuracy right after the split and budget restore, before any further training. */
  accuracyAfterSplit?: number;
  /** Split methods: weights the budget restore removed (summed over the splits of fpe-schedule), as a fraction of the nnz right after the split. */
  restoreFraction?: number;
  /** Split methods: of the first layer's weights right after the split, the fraction the restore removed (summed over splits). */
  restoreInputFraction?: number;
  /** Selective split: the children count of each first-layer unit (parent order). */
  splitChildren?: number[];
  /** Fraction of first-hidden-layer units that are dead at the end: no input, no output weight, or a ReLU pre-activation <= 0 on every test sample. */
  deadUnits?: number;
  /** Frobenius norm of every weight matrix at the end. */
  weightNorms?: number[];
  /** Wasserstein distance to a Gaussian of each hidden unit's pre-activations (first hidden layer). */
  wasserstein: number[];
  mappingDifficulty: number;
}

/** Everything stored for one finished trial. */
export interface TrialRecord {
  /** Stable id: a hash of the canonical JSON of `config`. */
  id: string;
  /** Name of the experiment (config file) the trial belongs to. */
  experiment: string;
  /** The fully resolved trial config (task, model, method, alpha, strategy, seed, epochs, optimizer, ...). */
  config: TrialConfigSummary & Record<string, unknown>;
  metrics: TrialMetrics;
  curves: TrialCurves;
  /** Wall-clock seconds: total, and per phase when known. */
  timings: { seconds: number; [phase: string]: number };
  /** ISO time the trial finished. */
  finishedAt: string;
}

/** The fields of a trial config that reports group and plot by. */
export interface TrialConfigSummary {
  method: Method;
  mode: 'which-clause' | 'multi-label' | 'dnf';
  n: number;
  m: number;
  k: number;
  /** Hidden width before expansion. */
  h: number;
  /** Expansion factor (1 for dense). */
  alpha: number;
  seed: number;
}
