import type { FpeOptions } from '../../expand/index.js';
import type { Method } from './trial-record.js';

/** How a unit is ranked for the selective split: Wasserstein distance of its pre-activations, or weighted clause collisions. */
export type UnitRanking = 'wasserstein' | 'collisions';

/**
 * What a split method does beyond its strategy (the variants of issue 11; the paper's FPE is
 * none of them): splitNeurons options, a selective split, or a schedule of repeated splits.
 */
export interface SplitVariant {
  /** Passed to splitNeurons as they are. */
  options?: Pick<FpeOptions, 'outgoing' | 'outgoingScale' | 'outgoingRoute' | 'restore'>;
  /**
   * Selective split: rank the units of every split layer on the training set, split the top half
   * (allocateChildren's default fraction), more children for higher scores, alpha·h children in all.
   */
  select?: UnitRanking;
  /** Repeated alpha = 2 splits (log2 alpha of them) at evenly spaced epochs E1·t/T, t = 1..T, so the final network trains E2 epochs like one split's. */
  schedule?: boolean;
}

/**
 * The variants of issue 11, each on top of the random split (the clause-routed one on the clause
 * split), all at the dense network's nnz:
 * - fpe-partition / fpe-partition-scaled: the children divide the parent's outgoing weights at
 *   random (scaled: times the children count), so the restore prunes nothing;
 * - fpe-layer-restore: outgoing copies, restore per layer (the input layer keeps its count; with a
 *   disjoint split this is the same as restoring from the copied outgoing weights first);
 * - fpe-selective-wd / fpe-selective-collisions: the top half of units by Wasserstein distance or
 *   weighted clause collisions split, into more children the higher they rank;
 * - fpe-schedule: alpha = 2 splits repeated to reach alpha (2h at E1/2, 4h at E1);
 * - fpe-clause-routed: clause split, outgoing partition with output r kept by the child holding
 *   clause r (which-clause: output r is clause r).
 */
export const SPLIT_VARIANTS: Partial<Record<Method, SplitVariant>> = {
  'fpe-partition': { options: { outgoing: 'partition' } },
  'fpe-partition-scaled': { options: { outgoing: 'partition', outgoingScale: true } },
  'fpe-layer-restore': { options: { restore: 'per-layer' } },
  'fpe-selective-wd': { select: 'wasserstein' },
  'fpe-selective-collisions': { select: 'collisions' },
  'fpe-schedule': { schedule: true },
  'fpe-clause-routed': { options: { outgoing: 'partition', outgoingRoute: 'clause' } },
};
