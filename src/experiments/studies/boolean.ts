/** The committed experiment configs of the Boolean study (spec section 5), by name under experiments/boolean/. */
export const BOOLEAN_STUDY = ['headline', 'sweeps'] as const;

/**
 * The raw experiment configs the Boolean study runs, from the committed `headline` and `sweeps`
 * configs: both in full, or with `quick` the headline cell only, 5 seeds, 300 + 300 epochs
 * instead of the spec's 1000 + 1000. Example: `booleanStudyPlan({ headline, sweeps }, true)`.
 */
export function booleanStudyPlan(
  configs: Record<(typeof BOOLEAN_STUDY)[number], Record<string, unknown>>,
  quick: boolean,
): Record<string, unknown>[] {
  const { headline, sweeps } = configs;
  if (!quick) return [headline, sweeps];
  return [
    {
      ...headline,
      name: 'headline-quick',
      seeds: 5,
      training: { ...(headline.training as object), warmupEpochs: 300, afterSplitEpochs: 300 },
    },
  ];
}

/** The title of the Boolean study's report. */
export function booleanStudyTitle(quick: boolean): string {
  return quick ? 'Boolean study (quick)' : 'Boolean study';
}
