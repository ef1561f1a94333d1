/** The committed experiments (a) and (b) of the real-data study, by name under experiments/realdata/. */
export const REALDATA_STUDY = ['fashion-mnist-1layer', 'deep-fashion-mnist', 'deep-mnist'] as const;
/** One of REALDATA_STUDY. */
export type RealDataStudyName = (typeof REALDATA_STUDY)[number];

/**
 * `--quick`: 3 seeds, 10 + 10 epochs and fewer widths, at α = 4 only (the larger expansion, where
 * a gain should show first); about 12 minutes on 2 cores. The full study is the committed configs.
 */
const QUICK: Record<RealDataStudyName, number[]> = {
  'fashion-mnist-1layer': [8, 32, 128],
  'deep-fashion-mnist': [16, 64],
  'deep-mnist': [16],
};

/** The raw config the real-data study runs for experiment `name`: the committed `config` itself, or its quick variant. */
export function realDataStudyConfig(name: RealDataStudyName, config: Record<string, unknown>, quick: boolean): Record<string, unknown> {
  if (!quick) return config;
  return {
    ...config,
    name: `${name}-quick`,
    seeds: 3,
    training: { ...(config.training as object), warmupEpochs: 10, afterSplitEpochs: 10 },
    grid: { 'model.h': QUICK[name], alpha: [4] },
  };
}

/** The title of the real-data study's report. */
export function realDataStudyTitle(quick: boolean): string {
  return quick ? 'Real-data study (quick)' : 'Real-data study';
}
