import { bootstrapMeanCi } from '../../math/index.js';
import { METHODS, type TrialRecord } from '../trials/trial-record.js';
import type { CellKey, CellSummary, MethodAccuracy } from './report-types.js';

// The cell coordinates of a trial, read from its config.
function cellKeyOf(r: TrialRecord): CellKey {
  const { mode, n, m, k, h, alpha } = r.config;
  return { mode, n, m, k, h, alpha };
}

// A stable string id of a cell (map key), e.g. `which-clause|32|16|3|8|2`.
function cellId(c: CellKey): string {
  return [c.mode, c.n, c.m, c.k, c.h, c.alpha].join('|');
}

/** A human label of a cell, e.g. `which-clause, n=32, m=16, k=3, h=8, α=2`. */
export function cellLabel(c: CellKey): string {
  return `${c.mode}, n=${c.n}, m=${c.m}, k=${c.k}, h=${c.h}, α=${c.alpha}`;
}

// Orders cells by mode, then n, m, k, h, α.
function compareCells(a: CellKey, b: CellKey): number {
  if (a.mode !== b.mode) return a.mode < b.mode ? -1 : 1;
  return a.n - b.n || a.m - b.m || a.k - b.k || a.h - b.h || a.alpha - b.alpha;
}

/** Orders methods as METHODS lists them; unknown names follow, alphabetically. */
export function compareMethods(a: string, b: string): number {
  const rank = (m: string): number => {
    const i = (METHODS as readonly string[]).indexOf(m);
    return i < 0 ? METHODS.length : i;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Whether two cells are equal. */
export function sameCell(a: CellKey, b: CellKey): boolean {
  return cellId(a) === cellId(b);
}

/**
 * One value per seed: the mean over a seed's trials (a seed can repeat when two experiments
 * share a cell), skipping trials where `pick` gives undefined or a non-finite number.
 */
export function bySeed(records: readonly TrialRecord[], pick: (r: TrialRecord) => number | undefined): Map<number, number> {
  const sums = new Map<number, { sum: number; count: number }>();
  for (const r of records) {
    const v = pick(r);
    if (v === undefined || !Number.isFinite(v)) continue;
    const s = sums.get(r.config.seed) ?? { sum: 0, count: 0 };
    s.sum += v;
    s.count++;
    sums.set(r.config.seed, s);
  }
  return new Map([...sums].sort((a, b) => a[0] - b[0]).map(([seed, s]) => [seed, s.sum / s.count]));
}

/**
 * Accuracy over seeds of one method's trials, with a percentile-bootstrap 95% interval (bounded
 * in [0, 1], unlike a t interval near 100%); null when none has a finite accuracy.
 */
export function accuracyOf(method: string, records: readonly TrialRecord[]): MethodAccuracy | null {
  const values = [...bySeed(records, (r) => r.metrics.accuracy).values()];
  return values.length === 0 ? null : { method, ...bootstrapMeanCi(values) };
}

/** Trials indexed by cell and method. */
export class TrialIndex {
  private readonly byCell = new Map<string, { key: CellKey; methods: Map<string, TrialRecord[]> }>();

  constructor(records: readonly TrialRecord[]) {
    for (const r of records) {
      const key = cellKeyOf(r);
      const id = cellId(key);
      const entry = this.byCell.get(id) ?? { key, methods: new Map<string, TrialRecord[]>() };
      const list = entry.methods.get(r.config.method) ?? [];
      list.push(r);
      entry.methods.set(r.config.method, list);
      this.byCell.set(id, entry);
    }
  }

  /** Every cell with at least one trial, ordered by compareCells. */
  cells(): CellKey[] {
    return [...this.byCell.values()].map((e) => e.key).sort(compareCells);
  }

  /** Trials of `method` recorded exactly at `cell`. */
  at(cell: CellKey, method: string): TrialRecord[] {
    return this.byCell.get(cellId(cell))?.methods.get(method) ?? [];
  }

  /**
   * The trials each method contributes to `cell`. Dense has no expansion, so a runner may record
   * it at α = 1: when no dense trial sits at the cell's own α, the α = 1 dense trials of the same
   * task and width stand in as its baseline.
   */
  methodsAt(cell: CellKey): Map<string, TrialRecord[]> {
    const own = this.byCell.get(cellId(cell))?.methods ?? new Map<string, TrialRecord[]>();
    const out = new Map(own);
    if (!out.has('dense')) {
      const dense = this.at({ ...cell, alpha: 1 }, 'dense');
      if (dense.length > 0) out.set('dense', dense);
    }
    return new Map([...out].sort((a, b) => compareMethods(a[0], b[0])));
  }

  /** One row per cell × method with trials there, accuracy mean and 95% CI over seeds. */
  summaries(): CellSummary[] {
    const rows: CellSummary[] = [];
    for (const key of this.cells()) {
      const methods = [...this.byCell.get(cellId(key))!.methods].sort((a, b) => compareMethods(a[0], b[0]));
      for (const [method, records] of methods) {
        const acc = accuracyOf(method, records);
        if (acc) rows.push({ ...key, method, seeds: acc.n, mean: acc.mean, lo: acc.lo, hi: acc.hi, sd: acc.sd });
      }
    }
    return rows;
  }
}
