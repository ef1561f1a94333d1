import type { LinearFit, MeanCi, PairedDifference } from '../../math/index.js';

/** The task and model coordinates that define a cell of the experiment grid. */
export interface CellKey {
  mode: string;
  n: number;
  m: number;
  k: number;
  h: number;
  alpha: number;
}

/** One row of the cells table: a cell × method, accuracies as fractions in [0, 1]. */
export interface CellSummary extends CellKey {
  method: string;
  /** Distinct seeds (repeated seeds are averaged first). */
  seeds: number;
  mean: number;
  /** The 95% interval of the mean over seeds (seeded percentile bootstrap, inside [0, 1]); null with one seed. */
  lo: number | null;
  hi: number | null;
  sd: number | null;
}

/** Accuracy of one method in one cell; lo and hi are its percentile-bootstrap 95% interval (ci95 is null). */
export interface MethodAccuracy extends MeanCi {
  method: string;
}

/** A report section: its data, or a one-line note saying why it is absent. */
export type Section<T> = { title: string; available: true; data: T; note?: string } | { title: string; available: false; note: string };

/** Accuracy by method in the headline cell. */
export interface HeadlineData {
  cell: CellKey;
  methods: MethodAccuracy[];
}

/** Our m = 8 cell beside the published figures for that cell. */
export interface PublishedData {
  cell: CellKey;
  rows: { method: string; ours: MethodAccuracy | null; published: number | null }[];
  /** Whether our methods rank in the published order (over methods present in both); null with < 2 such methods. */
  sameOrdering: boolean | null;
}

/** A paired difference a − b of accuracy in one cell. */
export interface PairedRow {
  cell: CellKey;
  diff: PairedDifference;
}

/** clause − random accuracy differences, paired over seeds, per cell. */
export interface PairedData {
  a: string;
  b: string;
  rows: PairedRow[];
  /** The row of the headline cell, when present. */
  headline: PairedRow | null;
}

/** Accuracy gain over dense in one cell, with its load m/h. */
export interface GainPoint {
  cell: CellKey;
  method: string;
  load: number;
  /** acc_method − acc_dense as a fraction; paired over seeds when the seeds overlap. */
  gain: number;
  ci95: number | null;
  pairs: number;
}

/** Gain over dense against polysemantic load, for every cell with a dense baseline. */
export interface GainData {
  points: GainPoint[];
}

/** One (cell, FPE method) point of Figure 3c. */
export interface FoldPoint {
  cell: CellKey;
  method: string;
  /** (acc_fpe − acc_dense) / acc_dense, from the means over seeds. */
  relativeGain: number;
  capacityFold: number | null;
  cosineFold: number | null;
}

/** Fold change of capacity and cosine against relative accuracy gain, with least-squares lines. */
export interface FoldData {
  points: FoldPoint[];
  capacityFit: LinearFit | null;
  cosineFit: LinearFit | null;
}

/** Collisions right after the split, per method and α, for one (mode, n, m, k, h) group. */
export interface CollisionGroup {
  base: Omit<CellKey, 'alpha'>;
  rows: { method: string; alpha: number; measured: MeanCi; predicted: number | null; asymptotic: number }[];
}

/** Collision rate against α: measured, exact prediction and the asymptotic α^−(2k−1). */
export interface CollisionData {
  groups: CollisionGroup[];
}

/** Histograms of per-unit Wasserstein distances on shared bin edges. */
export interface WassersteinData {
  cell: CellKey;
  edges: number[];
  groups: { method: string; units: number; seeds: number; counts: number[]; mean: number }[];
}

/** Mean test accuracy per epoch of each method in one cell. */
export interface CurvesData {
  cell: CellKey;
  series: { method: string; seeds: number; epoch: number[]; accuracy: number[] }[];
  /** Median split epoch of the FPE trials; null when no trial split. */
  splitEpoch: number | null;
}

/** One (dataset, depth, h, α, method) cell of a real-data study; accuracies as fractions. */
export interface RealDataCell {
  dataset: string;
  hiddenLayers: number;
  h: number;
  /** 1 for dense (no expansion). */
  alpha: number;
  method: string;
  seeds: number;
  mean: number;
  /** The 95% interval of the mean over seeds (seeded percentile bootstrap, inside [0, 1]); null with one seed. */
  lo: number | null;
  hi: number | null;
  /** Non-zero weights (mean over seeds; equal across methods at one h by construction). */
  nnz: number;
  /** First hidden layer's width at the end. */
  width: number;
  /** Mean wall-clock seconds per trial. */
  seconds: number;
}

/** Relative gain over dense at one width: (acc − acc_dense) / acc_dense, paired over seeds. */
export interface RealDataGain {
  h: number;
  alpha: number;
  method: string;
  gain: number;
  /** Half-width of the paired 95% CI of the relative gain; null without two pairs. */
  ci95: number | null;
  pairs: number;
}

/** Mean test accuracy per epoch of one method at one (h, α). */
export interface RealDataCurve {
  method: string;
  seeds: number;
  epoch: number[];
  accuracy: number[];
}

/** Everything shown for one dataset and depth. */
export interface RealDataGroup {
  dataset: string;
  hiddenLayers: number;
  cells: RealDataCell[];
  gains: RealDataGain[];
  /** Curves at the smallest width and largest α (where the gain should be largest), with the split epoch. */
  curves: { h: number; alpha: number; splitEpoch: number | null; series: RealDataCurve[] };
}

/** The real-data section's data: one group per (dataset, hidden layers). */
export interface RealDataData {
  groups: RealDataGroup[];
}

/** Everything a report shows, as data; the renderers only lay it out. */
export interface Report {
  title: string;
  generatedAt: string | null;
  trials: number;
  experiments: string[];
  methods: string[];
  headlineCell: CellKey;
  cells: CellSummary[];
  headline: Section<HeadlineData>;
  published: Section<PublishedData>;
  paired: Section<PairedData>;
  gain: Section<GainData>;
  fold: Section<FoldData>;
  collisions: Section<CollisionData>;
  wasserstein: Section<WassersteinData>;
  curves: Section<CurvesData>;
  /** Real-data trials (task kind 'dataset'), which the Boolean sections above leave out; absent in reports of older builds. */
  realData?: Section<RealDataData>;
}
