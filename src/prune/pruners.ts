import { magnitudePrune } from './magnitude-prune.js';
import { checkSparseGptSettings, SPARSE_GPT_SETTINGS, sparseGptPrune } from './sparse-gpt-prune.js';
import type { Calibration, LayerPruneOptions, PruneLayer, PruneResult, ResolvedTarget } from './target.js';
import { wandaPrune } from './wanda-prune.js';

/** Names of the one-layer pruners, in the order option lists show them. */
export const PRUNER_NAMES = ['sparsegpt', 'wanda', 'magnitude'] as const;
/** Name of a one-layer pruner. */
export type PrunerName = (typeof PRUNER_NAMES)[number];

/** Settings a pruner reads besides the target and the layer name (only SparseGPT has any). */
export interface PrunerSettings {
  percdamp?: number;
  blockSize?: number;
}

/** A one-layer pruner as pruneModel, sparseExpand and sparsifyUnits call it. */
export interface Pruner {
  /** Whether it reads calibration inputs (magnitude reads the weights only). */
  calibrated: boolean;
  /** Its settings as a zod shape (callers' option schemas include it). */
  settings: typeof SPARSE_GPT_SETTINGS | Record<string, never>;
  /** Checks its settings for a layer's resolved target before any work; ConfigError naming `where`. */
  check(settings: PrunerSettings, target: ResolvedTarget, where: string): void;
  /** Prunes one layer; `calibration` holds that layer's inputs (magnitude ignores it). */
  prune(layer: PruneLayer, calibration: Calibration, options: LayerPruneOptions, settings: PrunerSettings): PruneResult;
}

/** The pruners by name: the one place that maps a name to its code and settings. */
export const PRUNERS: Readonly<Record<PrunerName, Pruner>> = {
  sparsegpt: {
    calibrated: true,
    settings: SPARSE_GPT_SETTINGS,
    check: (settings, target, where) => {
      checkSparseGptSettings(settings, target, where);
    },
    prune: (layer, calibration, options, settings) => sparseGptPrune(layer, calibration, { ...options, ...settings }),
  },
  wanda: {
    calibrated: true,
    settings: {},
    check: () => {},
    prune: (layer, calibration, options) => wandaPrune(layer, calibration, options),
  },
  magnitude: {
    calibrated: false,
    settings: {},
    check: () => {},
    prune: (layer, _calibration, options) => magnitudePrune(layer, options),
  },
};
