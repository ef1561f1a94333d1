import { bootstrapMeanCi, pairedDifference } from '../../math/index.js';
import type { TrialRecord } from '../trials/trial-record.js';

/** The committed experiments of the issue-11 study, by name under experiments/beyond/, in run order (the target cells first). */
export const BEYOND_STUDY = ['boolean-alpha4', 'fashion-mnist', 'boolean-alpha4-more', 'boolean-m24', 'boolean-alpha2'] as const;
/** One of BEYOND_STUDY. */
export type BeyondStudyName = (typeof BEYOND_STUDY)[number];

/**
 * The raw config the study runs for experiment `name`: the committed `config`, or with `quick` a
 * smoke run of the same methods in about a minute on 2 cores: the Boolean m = 16, alpha = 4 cell
 * with 2 seeds and 100 + 100 epochs, Fashion-MNIST h = 8 with 2 seeds and 1 + 1 epochs; the other
 * experiments are left out (null).
 */
export function beyondStudyConfig(name: BeyondStudyName, config: Record<string, unknown>, quick: boolean): Record<string, unknown> | null {
  if (!quick) return config;
  if (name !== 'boolean-alpha4' && name !== 'fashion-mnist') return null;
  const epochs = name === 'fashion-mnist' ? 1 : 100;
  return {
    ...config,
    name: `${config.name as string}-quick`,
    seeds: [0, 1],
    training: { ...(config.training as object), warmupEpochs: epochs, afterSplitEpochs: epochs },
    grid: name === 'fashion-mnist' ? { 'model.h': [8] } : { 'task.m': [16] },
  };
}

/** The title of the study's report. */
export function beyondStudyTitle(quick: boolean): string {
  return quick ? 'Beyond the paper: expansions at α = 4 (quick)' : 'Beyond the paper: expansions at α = 4';
}

/** A paired difference of accuracies (method − reference) over the seeds both ran: mean and 95% CI (Student t), null below 2 seeds. */
export interface PairedCi {
  seeds: number;
  mean: number;
  lo: number | null;
  hi: number | null;
}

/** The mechanism beside accuracy: each the mean over seeds (null when no trial of the cell measured it). */
export interface BeyondMechanism {
  /** Colliding clause pairs per unit right after the split, before the restore (Boolean). */
  collisionsAfterSplit: number | null;
  /** Colliding clause pairs per unit and fraction of clauses covered, at the end (Boolean). */
  collisionsEnd: number | null;
  coverageEnd: number | null;
  /** Fraction of first-hidden-layer units dead at the end. */
  deadUnits: number | null;
  /** Frobenius norms of the input and the output weight matrix at the end. */
  inputNorm: number | null;
  outputNorm: number | null;
  /** Fraction of the nnz right after the split that the restore removed, and fraction of the input layer's weights it removed. */
  restoreFraction: number | null;
  restoreInputFraction: number | null;
  /** Test accuracy right after the split (and restore), before further training. */
  accuracyAfterSplit: number | null;
}

/** One (task, m, h, alpha, method) cell of the study. */
export interface BeyondCell {
  /** 'boolean' or the dataset's name. */
  task: string;
  m: number;
  h: number;
  alpha: number;
  method: string;
  seeds: number;
  /** Mean test accuracy over seeds, and its 95% CI [lo, hi] (seeded percentile bootstrap, inside [min, max] of the seeds; null below 2 seeds). */
  mean: number;
  ci95: [number, number] | null;
  paired_vs_fpe_random: PairedCi | null;
  paired_vs_sparse_init: PairedCi | null;
  paired_vs_dense: PairedCi | null;
  nnz: number;
  mechanism: BeyondMechanism;
}

const taskOf = (r: TrialRecord): string => (r.config.task === 'dataset' ? String(r.config.datasetName) : 'boolean');
const meanOf = (values: number[]): number | null => {
  const v = values.filter((x) => Number.isFinite(x));
  return v.length === 0 ? null : v.reduce((s, x) => s + x, 0) / v.length;
};

function paired(a: Map<number, number>, b: Map<number, number> | undefined): PairedCi | null {
  if (b === undefined) return null;
  const d = pairedDifference(a, b);
  return d === null ? null : { seeds: d.n, mean: d.mean, lo: d.lo, hi: d.hi };
}

/**
 * Every cell of the study's trials: per (task, m, h, alpha) and method, the mean accuracy with its
 * 95% bootstrap CI (an accuracy's interval never leaves [0, 1]), the paired differences against FPE random, sparse-init and dense of the same cell (dense
 * has alpha 1 and joins every alpha's cell), and the mechanism means. Cells in record order of
 * first appearance; methods in the order given by `order` (unknown ones last).
 */
export function beyondCells(records: readonly TrialRecord[], order: readonly string[] = []): BeyondCell[] {
  const groups = new Map<string, { task: string; m: number; h: number; alphas: Set<number> }>();
  const byMethod = new Map<string, TrialRecord[]>(); // `${task}|${m}|${h}|${alpha}|${method}`
  for (const r of records) {
    const c = r.config;
    const key = `${taskOf(r)}|${c.m}|${c.h}`;
    if (!groups.has(key)) groups.set(key, { task: taskOf(r), m: c.m, h: c.h, alphas: new Set() });
    if (c.method !== 'dense') groups.get(key)?.alphas.add(c.alpha);
    const at = `${key}|${c.alpha}|${c.method}`;
    byMethod.set(at, [...(byMethod.get(at) ?? []), r]);
  }
  const rank = (m: string): number => (order.includes(m) ? order.indexOf(m) : order.length);
  const cells: BeyondCell[] = [];
  for (const [key, g] of groups) {
    for (const alpha of [...g.alphas].sort((a, b) => a - b)) {
      const of = (method: string): TrialRecord[] | undefined => byMethod.get(`${key}|${method === 'dense' ? 1 : alpha}|${method}`);
      const acc = (rs: TrialRecord[] | undefined): Map<number, number> | undefined =>
        rs === undefined ? undefined : new Map(rs.map((r) => [r.config.seed, r.metrics.accuracy]));
      const methods = [...new Set([...byMethod.keys()].filter((k) => k.startsWith(`${key}|`)).map((k) => k.split('|')[4]))]
        .filter((m) => of(m) !== undefined)
        .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
      for (const method of methods) {
        const rs = of(method) as TrialRecord[];
        const mine = acc(rs) as Map<number, number>;
        const ci = bootstrapMeanCi([...mine.values()]);
        const metric = (f: (r: TrialRecord) => number | undefined): number | null => meanOf(rs.map((r) => f(r) ?? Number.NaN));
        cells.push({
          task: g.task,
          m: g.m,
          h: g.h,
          alpha,
          method,
          seeds: mine.size,
          mean: ci.mean,
          ci95: ci.lo === null || ci.hi === null ? null : [ci.lo, ci.hi],
          paired_vs_fpe_random: method === 'fpe-random' ? null : paired(mine, acc(of('fpe-random'))),
          paired_vs_sparse_init: method === 'sparse-init' ? null : paired(mine, acc(of('sparse-init'))),
          paired_vs_dense: method === 'dense' ? null : paired(mine, acc(of('dense'))),
          nnz: rs[0].metrics.nnz,
          mechanism: {
            collisionsAfterSplit: metric((r) => r.metrics.collisionsPerUnitAfterSplit),
            collisionsEnd: metric((r) => r.metrics.collisionsPerUnit),
            coverageEnd: metric((r) => r.metrics.coverage),
            deadUnits: metric((r) => r.metrics.deadUnits),
            inputNorm: metric((r) => r.metrics.weightNorms?.[0]),
            outputNorm: metric((r) => r.metrics.weightNorms?.[r.metrics.weightNorms.length - 1]),
            restoreFraction: metric((r) => r.metrics.restoreFraction),
            restoreInputFraction: metric((r) => r.metrics.restoreInputFraction),
            accuracyAfterSplit: metric((r) => r.metrics.accuracyAfterSplit),
          },
        });
      }
    }
  }
  return cells;
}

/**
 * The target for one variant: at alpha = 4 it beats FPE random with separated 95% CIs at
 * Boolean m = 16 and m = 32, and its paired CI against sparse-init does not lie below zero in any
 * alpha = 4 cell (Boolean and Fashion-MNIST). `missing` lists the cells without trials (a
 * clause variant never has real-data cells: it needs clauses).
 */
export function beyondTarget(cells: readonly BeyondCell[], method: string): { met: boolean; reasons: string[]; missing: string[] } {
  const reasons: string[] = [];
  const missing: string[] = [];
  const at = (task: string, m: number, alpha: number, meth: string): BeyondCell | undefined =>
    cells.find((c) => c.task === task && c.m === m && c.alpha === alpha && c.method === meth);
  for (const m of [16, 32]) {
    const [v, r] = [at('boolean', m, 4, method), at('boolean', m, 4, 'fpe-random')];
    if (v === undefined || r === undefined || v.ci95 === null || r.ci95 === null) {
      missing.push(`boolean m=${m}`);
      continue;
    }
    if (!(v.ci95[0] > r.ci95[1])) reasons.push(`m=${m}: CI [${pctText(v.ci95)}] does not clear FPE random's [${pctText(r.ci95)}]`);
  }
  // the real-data half: the variant must have run there (the clause variants cannot: no clauses)
  if (!cells.some((c) => c.task !== 'boolean' && c.alpha === 4 && c.method === method)) missing.push('Fashion-MNIST');
  for (const c of cells.filter((x) => x.alpha === 4 && x.method === method)) {
    const p = c.paired_vs_sparse_init;
    if (p?.hi !== null && p?.hi !== undefined && p.hi < 0)
      reasons.push(
        `${c.task} m=${c.m} h=${c.h}: below sparse-init (paired ${(p.mean * 100).toFixed(1)} points, CI to ${(p.hi * 100).toFixed(1)})`,
      );
  }
  return { met: reasons.length === 0 && missing.length === 0, reasons, missing };
}

const pctText = (ci: [number, number]): string => `${(ci[0] * 100).toFixed(1)}, ${(ci[1] * 100).toFixed(1)}`;
