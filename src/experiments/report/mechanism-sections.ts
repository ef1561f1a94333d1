import { histogram, linearFit, meanCi, sharedBinEdges } from '../../math/index.js';
import type { TrialRecord } from '../trials/trial-record.js';
import { mean, TITLES } from './accuracy-sections.js';
import { bySeed, compareMethods, type TrialIndex } from './cells.js';
import type { CellKey, CollisionData, CollisionGroup, CurvesData, FoldData, FoldPoint, Section, WassersteinData } from './report-types.js';

// Mean over seeds of one metric, or null when no trial has it finite.
function seedMean(records: readonly TrialRecord[], pick: (r: TrialRecord) => number | undefined): number | null {
  const values = [...bySeed(records, pick).values()];
  return values.length === 0 ? null : mean(values);
}

// A ratio only reads as a fold change when the baseline is positive.
function fold(num: number | null, den: number | null): number | null {
  return num === null || den === null || !(den > 0) ? null : num / den;
}

/** Fold change (FPE method / dense) of capacity and cosine against relative accuracy gain, per cell, with least-squares lines. */
export function foldSection(index: TrialIndex): Section<FoldData> {
  const title = TITLES.fold;
  const points: FoldPoint[] = [];
  for (const cell of index.cells()) {
    const methods = index.methodsAt(cell);
    const dense = methods.get('dense') ?? [];
    const denseAcc = seedMean(dense, (r) => r.metrics.accuracy);
    if (denseAcc === null || !(denseAcc > 0)) continue;
    for (const [method, records] of methods) {
      if (!method.startsWith('fpe-')) continue;
      const acc = seedMean(records, (r) => r.metrics.accuracy);
      if (acc === null) continue;
      points.push({
        cell,
        method,
        relativeGain: (acc - denseAcc) / denseAcc,
        capacityFold: fold(
          seedMean(records, (r) => r.metrics.capacityMean),
          seedMean(dense, (r) => r.metrics.capacityMean),
        ),
        cosineFold: fold(
          seedMean(records, (r) => r.metrics.cosineMean),
          seedMean(dense, (r) => r.metrics.cosineMean),
        ),
      });
    }
  }
  if (points.length === 0) return { title, available: false, note: 'No cell has both a dense baseline and an FPE method.' };
  const fit = (key: 'capacityFold' | 'cosineFold') => {
    const usable = points.filter((p) => p[key] !== null);
    // two points always fit exactly (R² = 1), which says nothing
    return usable.length < 3
      ? null
      : linearFit(
          usable.map((p) => p.relativeGain),
          usable.map((p) => p[key]!),
        );
  };
  const data = { points, capacityFit: fit('capacityFold'), cosineFit: fit('cosineFold') };
  const note = data.capacityFit && data.cosineFit ? undefined : 'A least-squares line needs at least 3 points with distinct gains.';
  return { title, available: true, data, note };
}

/** Measured after-split collisions per unit against α, beside the exact prediction and α^−(2k−1). */
export function collisionSection(index: TrialIndex): Section<CollisionData> {
  const title = TITLES.collisions;
  const groups = new Map<string, CollisionGroup>();
  for (const cell of index.cells()) {
    const { alpha, ...base } = cell;
    for (const [method, records] of index.methodsAt(cell)) {
      const measured = [...bySeed(records, (r) => r.metrics.collisionsPerUnitAfterSplit).values()];
      if (measured.length === 0 || method === 'dense') continue;
      const id = JSON.stringify(base);
      const group = groups.get(id) ?? { base, rows: [] };
      group.rows.push({
        method,
        alpha,
        measured: meanCi(measured),
        predicted: seedMean(records, (r) => r.metrics.collisionsPredicted),
        asymptotic: alpha ** -(2 * cell.k - 1),
      });
      groups.set(id, group);
    }
  }
  if (groups.size === 0) return { title, available: false, note: 'No trial recorded collisions right after a split.' };
  for (const g of groups.values()) g.rows.sort((a, b) => compareMethods(a.method, b.method) || a.alpha - b.alpha);
  return { title, available: true, data: { groups: [...groups.values()] } };
}

/** Histograms of per-unit Wasserstein distances in the focus cell, one per method, on shared bins. */
export function wassersteinSection(index: TrialIndex, focus: CellKey): Section<WassersteinData> {
  const title = TITLES.wasserstein;
  const pooled = [...index.methodsAt(focus)]
    .map(([method, records]) => ({
      method,
      seeds: new Set(records.filter((r) => (r.metrics.wasserstein ?? []).length > 0).map((r) => r.config.seed)).size,
      values: records.flatMap((r) => (r.metrics.wasserstein ?? []).filter(Number.isFinite)),
    }))
    .filter((g) => g.values.length > 0);
  if (pooled.length === 0) return { title, available: false, note: 'No trial in the focus cell recorded per-unit Wasserstein distances.' };
  const edges = sharedBinEdges(pooled.map((g) => g.values));
  const groups = pooled.map((g) => ({
    method: g.method,
    units: g.values.length,
    seeds: g.seeds,
    counts: histogram(g.values, edges),
    mean: mean(g.values),
  }));
  const note =
    pooled.some((g) => g.method === 'dense') && pooled.length > 1 ? undefined : 'Dense and expanded networks are not both present.';
  return { title, available: true, data: { cell: focus, edges, groups }, note };
}

/** Mean test accuracy per epoch of each method in the focus cell, and the median split epoch. */
export function curvesSection(index: TrialIndex, focus: CellKey): Section<CurvesData> {
  const title = TITLES.curves;
  const series: CurvesData['series'] = [];
  const splits: number[] = [];
  for (const [method, records] of index.methodsAt(focus)) {
    // epochs can differ between trials (a shorter run); average whichever trials reached each epoch
    const sums = new Map<number, { sum: number; count: number }>();
    const seeds = new Set<number>();
    for (const r of records) {
      const { epoch, testAccuracy, splitEpoch } = r.curves;
      if (splitEpoch !== undefined && method !== 'dense') splits.push(splitEpoch);
      for (let i = 0; i < Math.min(epoch.length, testAccuracy.length); i++) {
        if (!Number.isFinite(testAccuracy[i])) continue;
        const s = sums.get(epoch[i]) ?? { sum: 0, count: 0 };
        s.sum += testAccuracy[i];
        s.count++;
        sums.set(epoch[i], s);
        seeds.add(r.config.seed);
      }
    }
    const epochs = [...sums.keys()].sort((a, b) => a - b);
    if (epochs.length > 0)
      series.push({ method, seeds: seeds.size, epoch: epochs, accuracy: epochs.map((e) => sums.get(e)!.sum / sums.get(e)!.count) });
  }
  if (series.length === 0) return { title, available: false, note: 'No trial in the focus cell recorded a test-accuracy curve.' };
  splits.sort((a, b) => a - b);
  const splitEpoch = splits.length === 0 ? null : splits[Math.floor((splits.length - 1) / 2)];
  return { title, available: true, data: { cell: focus, series, splitEpoch } };
}
