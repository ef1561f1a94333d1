import { pairedDifference } from '../../math/index.js';
import type { TrialRecord } from '../trials/trial-record.js';
import { accuracyOf, bySeed, cellLabel, compareMethods, sameCell, type TrialIndex } from './cells.js';
import type { CellKey, GainData, GainPoint, HeadlineData, PairedData, PairedRow, PublishedData, Section } from './report-types.js';

/** Section titles, shared by every renderer and the tests. */
export const TITLES = {
  headline: 'Accuracy by method (headline cell)',
  published: 'Published figures beside ours (m = 8 cell)',
  paired: 'Clause split − random split, paired over seeds',
  gain: 'Accuracy gain over dense vs polysemantic load',
  fold: 'Capacity and cosine fold change vs relative accuracy gain',
  collisions: 'Collisions right after the split vs α',
  wasserstein: 'Per-unit Wasserstein distance to a Gaussian',
  curves: 'Training curves',
} as const;

/**
 * Published accuracies of the m = 8, h = 8, α = 2 Boolean cell ("Expand Neurons, Not
 * Parameters", as quoted by the paper notes), as fractions.
 */
export const PUBLISHED_M8: Readonly<Record<string, number>> = { dense: 0.787, 'fpe-random': 0.887, 'fpe-clause': 0.994 };

const accuracy = (r: TrialRecord): number => r.metrics.accuracy;

/** Accuracy by method in the focus cell (the headline cell, or a stand-in named in the note). */
export function headlineSection(index: TrialIndex, focus: CellKey, note?: string): Section<HeadlineData> {
  const title = TITLES.headline;
  const methods = [...index.methodsAt(focus)].flatMap(([m, rs]) => accuracyOf(m, rs) ?? []);
  if (methods.length === 0) return { title, available: false, note: 'No trial has a finite accuracy; nothing to tabulate.' };
  return { title, available: true, data: { cell: focus, methods }, note };
}

/** Our m = 8 cell beside PUBLISHED_M8, with whether the methods rank in the same order. */
export function publishedSection(index: TrialIndex, headline: CellKey): Section<PublishedData> {
  const title = TITLES.published;
  const cell = { ...headline, m: 8 };
  const ours = index.methodsAt(cell);
  const names = [...new Set([...Object.keys(PUBLISHED_M8), ...ours.keys()])].sort(compareMethods);
  const rows = names.map((method) => ({
    method,
    ours: accuracyOf(method, ours.get(method) ?? []),
    published: PUBLISHED_M8[method] ?? null,
  }));
  if (rows.every((r) => r.ours === null)) return { title, available: false, note: `No trials in the m = 8 cell (${cellLabel(cell)}).` };
  const both = rows.filter((r) => r.ours !== null && r.published !== null);
  const order = (key: (r: (typeof both)[number]) => number): string =>
    [...both]
      .sort((a, b) => key(a) - key(b))
      .map((r) => r.method)
      .join();
  const sameOrdering = both.length < 2 ? null : order((r) => r.ours!.mean) === order((r) => r.published!);
  return { title, available: true, data: { cell, rows, sameOrdering } };
}

/** Paired difference of accuracy `a` − `b` in every cell that has both methods on shared seeds. */
export function pairedSection(index: TrialIndex, focus: CellKey, a = 'fpe-clause', b = 'fpe-random'): Section<PairedData> {
  const title = TITLES.paired;
  const rows: PairedRow[] = [];
  for (const cell of index.cells()) {
    const diff = pairedDifference(bySeed(index.at(cell, a), accuracy), bySeed(index.at(cell, b), accuracy));
    if (diff) rows.push({ cell, diff });
  }
  if (rows.length === 0) return { title, available: false, note: `No cell has both ${a} and ${b} trials on shared seeds.` };
  return { title, available: true, data: { a, b, rows, headline: rows.find((r) => sameCell(r.cell, focus)) ?? null } };
}

/** Gain over dense (paired over seeds where they overlap) against load m/h, in every cell with a dense baseline. */
export function gainSection(index: TrialIndex): Section<GainData> {
  const title = TITLES.gain;
  const points: GainPoint[] = [];
  for (const cell of index.cells()) {
    const methods = index.methodsAt(cell);
    const dense = bySeed(methods.get('dense') ?? [], accuracy);
    if (dense.size === 0) continue;
    for (const [method, records] of methods) {
      if (method === 'dense') continue;
      const own = bySeed(records, accuracy);
      if (own.size === 0) continue;
      const diff = pairedDifference(own, dense);
      // without shared seeds, fall back to the difference of means (no CI: the samples are unpaired)
      const unpaired = () => mean([...own.values()]) - mean([...dense.values()]);
      points.push({
        cell,
        method,
        load: cell.m / cell.h,
        gain: diff ? diff.mean : unpaired(),
        ci95: diff ? diff.ci95 : null,
        pairs: diff ? diff.n : 0,
      });
    }
  }
  if (points.length === 0) return { title, available: false, note: 'No cell has both a dense baseline and another method.' };
  return { title, available: true, data: { points } };
}

/** Arithmetic mean of a non-empty list. */
export function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}
