import { bootstrapMeanCi, type MeanCi, meanCi } from '../../../math/index.js';
import type { StudyAblation, StudyResults } from './study-results.js';

/** A sample's mean with its 95% CI, plus its min and max. */
export interface Spread extends MeanCi {
  min: number;
  max: number;
}

/**
 * The spread of a non-empty list of values; `bounded` values (accuracies) get the percentile
 * bootstrap interval (bootstrapMeanCi, inside [min, max]), others the Student-t one (meanCi).
 */
export function spread(values: readonly number[], bounded = false): Spread {
  return { ...(bounded ? bootstrapMeanCi(values) : meanCi(values)), min: Math.min(...values), max: Math.max(...values) };
}

/** One (pruner, sparsity, K) point of the grid over its calibration draws. */
export interface ExpansionRow {
  pruner: string;
  sparsity: number;
  k: number;
  accuracy: Spread;
  /** Test accuracy per draw, in draw order. */
  perDraw: number[];
  loss: number;
  nnzStored: number;
  nnzPerInput: number;
  routingFlops: number;
}

/** The grid as rows per (pruner, sparsity, K), means over draws (accuracy with its spread). */
export function expansionRows(r: StudyResults): ExpansionRow[] {
  const rows: ExpansionRow[] = [];
  const s = r.settings;
  for (const pruner of s.pruners)
    for (const sparsity of s.sparsities)
      for (const k of s.ks) {
        const cells = r.expansion
          .filter((c) => c.pruner === pruner && c.sparsity === sparsity && c.k === k)
          .sort((a, b) => a.draw - b.draw);
        if (cells.length === 0) continue;
        const avg = (pick: (c: (typeof cells)[number]) => number): number => cells.reduce((t, c) => t + pick(c), 0) / cells.length;
        rows.push({
          pruner,
          sparsity,
          k,
          accuracy: spread(
            cells.map((c) => c.accuracy),
            true,
          ),
          perDraw: cells.map((c) => c.accuracy),
          loss: avg((c) => c.loss),
          nnzStored: avg((c) => c.nnzStored),
          nnzPerInput: avg((c) => c.nnzPerInput),
          routingFlops: avg((c) => c.routingFlops),
        });
      }
  return rows;
}

/** The acceptance comparison for one pruner: largest K vs K = 1 at the highest sparsity, draw by draw. */
export interface AcceptanceRow {
  pruner: string;
  sparsity: number;
  kLow: number;
  kHigh: number;
  low: Spread;
  high: Spread;
  /** Draws in which the larger K was more accurate, of the draws both have. */
  wins: number;
  draws: number;
  /** Every draw won (and at least one draw): the criterion. */
  pass: boolean;
}

/** Issue 5's acceptance: at the highest sparsity, the largest K beats K = 1 on test accuracy in every calibration draw, per pruner. */
export function acceptanceRows(r: StudyResults): AcceptanceRow[] {
  const s = r.settings;
  const sparsity = Math.max(...s.sparsities);
  const [kLow, kHigh] = [Math.min(...s.ks), Math.max(...s.ks)];
  if (kLow === kHigh) return [];
  const at = (pruner: string, k: number) => r.expansion.filter((c) => c.pruner === pruner && c.sparsity === sparsity && c.k === k);
  return s.pruners.flatMap((pruner) => {
    const [low, high] = [at(pruner, kLow), at(pruner, kHigh)];
    if (low.length === 0 || high.length === 0) return [];
    const paired = low.map((l) => [l.accuracy, high.find((h) => h.draw === l.draw)?.accuracy] as const).filter(([, h]) => h !== undefined);
    const wins = paired.filter(([l, h]) => (h as number) > l).length;
    const row: AcceptanceRow = {
      pruner,
      sparsity,
      kLow,
      kHigh,
      low: spread(
        low.map((c) => c.accuracy),
        true,
      ),
      high: spread(
        high.map((c) => c.accuracy),
        true,
      ),
      wins,
      draws: paired.length,
      pass: paired.length > 0 && wins === paired.length,
    };
    return [row];
  });
}

/** One selection of the importance test: its accuracy drop (random: the spread over draws). */
export interface ImportanceRow {
  selection: string;
  p: number;
  units: number[];
  drop: Spread;
}

/** The importance test as one row per selection; the random draws are pooled into one row with their spread. */
export function importanceRows(r: StudyResults): ImportanceRow[] {
  const rows = r.importance ?? [];
  const names = [...new Set(rows.map((x) => x.selection))];
  return names.map((selection) => {
    const of = rows.filter((x) => x.selection === selection); // non-empty: the name came from a row
    return { selection, p: of[0].p, units: of[0].units, drop: spread(of.map((x) => x.accuracyDrop)) };
  });
}

/** One selection of the ablation at one p: accuracy and loss (random: spreads over draws) and per-class accuracy change. */
export interface AblationRow {
  selection: string;
  p: number;
  units: number[];
  accuracy: Spread;
  loss: Spread;
  /** Mean over draws of the per-class accuracy change from the unclamped model. */
  perClassChange: number[];
  matched?: boolean;
  /** Matched control only: the top-WD loss increase it had to reach (<= 0: nothing to match, 0 units). */
  matchTarget?: number;
}

/** The ablation as one row per (p, selection); random draws pooled with their spread. */
export function ablationRows(r: StudyResults): AblationRow[] {
  const rows = r.ablation ?? [];
  const base = rows.find((x) => x.selection === 'none');
  const keys = [...new Set(rows.map((x) => `${x.p}|${x.selection}`))];
  return keys.map((key) => {
    const of = rows.filter((x) => `${x.p}|${x.selection}` === key);
    const classes = of[0].perClass.length;
    const change = Array.from(
      { length: classes },
      (_, c) => of.reduce((t, x) => t + x.perClass[c] - (base?.perClass[c] ?? 0), 0) / of.length,
    );
    const row: AblationRow = {
      selection: of[0].selection,
      p: of[0].p,
      units: of[0].units,
      accuracy: spread(
        of.map((x) => x.accuracy),
        true,
      ),
      loss: spread(of.map((x) => x.loss)),
      perClassChange: change,
    };
    const matched = of.find((x: StudyAblation) => x.matched !== undefined)?.matched;
    if (matched !== undefined) {
      row.matched = matched;
      row.matchTarget = rows.find((x) => x.p === row.p && x.selection === 'top-wd')?.lossIncrease;
    }
    return row;
  });
}

/**
 * The study in the JSON shape `widen reproduce sparse-expansion --json` prints (issue 5): accuracies
 * as fractions, means over draws with their spread beside them.
 */
export function studyJson(r: StudyResults): Record<string, unknown> {
  return {
    dense: r.model && { accuracy: r.model.accuracy, loss: r.model.loss, nnz: r.model.nnz, sizes: r.model.sizes },
    expansion: expansionRows(r).map((x) => ({
      pruner: x.pruner,
      sparsity: x.sparsity,
      K: x.k,
      accuracy: x.accuracy.mean,
      nnz_stored: Math.round(x.nnzStored),
      nnz_per_input: x.nnzPerInput,
      draws: x.accuracy.n,
      accuracy_min: x.accuracy.min,
      accuracy_max: x.accuracy.max,
      accuracy_sd: x.accuracy.sd,
      loss: x.loss,
      routing_flops: x.routingFlops,
    })),
    acceptance: acceptanceRows(r).map((a) => ({
      pruner: a.pruner,
      sparsity: a.sparsity,
      k_low: a.kLow,
      k_high: a.kHigh,
      accuracy_low: a.low.mean,
      accuracy_high: a.high.mean,
      wins: a.wins,
      draws: a.draws,
      pass: a.pass,
    })),
    importance: importanceRows(r).map((x) => ({
      selection: x.selection,
      p: x.p,
      accuracy_drop: x.drop.mean,
      draws: x.drop.n,
      accuracy_drop_min: x.drop.min,
      accuracy_drop_max: x.drop.max,
      accuracy_drop_sd: x.drop.sd,
      accuracy_drop_ci95: x.drop.ci95,
    })),
    ablation: ablationRows(r).map((x) => ({
      selection: x.selection,
      p: x.p,
      accuracy: x.accuracy.mean,
      loss: x.loss.mean,
      draws: x.accuracy.n,
      units: x.units,
      accuracy_min: x.accuracy.min,
      accuracy_max: x.accuracy.max,
      per_class_change: x.perClassChange,
      ...(x.matched !== undefined ? { matched: x.matched, match_target_loss_increase: x.matchTarget ?? null } : {}),
    })),
    wd: (r.wd ?? []).map((l) => ({
      layer: l.layer,
      units: l.units,
      mapping_difficulty: l.difficulty,
      top_fraction_dropped: l.top.fractionDropped,
      top_median_change: l.top.medianChange,
      all_fraction_dropped: l.all.fractionDropped,
      all_median_change: l.all.medianChange,
    })),
    seconds: r.seconds,
  };
}
