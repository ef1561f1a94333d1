import type { StoredRecord } from '../../run/trial-store.js';
import { trialId } from '../../trials/experiment-grid.js';
import {
  type ExpansionCell,
  emptyResults,
  type StudyAblation,
  type StudyImportance,
  type StudyModel,
  type StudyResults,
  type StudyWdLayer,
} from './study-results.js';
import type { StudySettings } from './study-settings.js';

/** The `experiment` of every record the Sparse Expansion study stores. */
export const SPARSE_EXPANSION_EXPERIMENT = 'sparse-expansion';

/**
 * One stored step of the study, told apart by `config.kind`: the settings it ran with, the trained
 * dense model, one expansion cell (pruner x sparsity x K x calibration draw), or the unit analysis.
 * Every record but the settings names its study by `config.study` (the settings' id), so a store
 * that saw other settings keeps their records apart. Ids hash the config (trialId), so a step
 * already stored is not run again.
 */
export type StudyRecord =
  | StudyRecordOf<{ kind: 'settings'; settings: StudySettings }, Record<string, never>>
  | StudyRecordOf<{ kind: 'model'; study: string }, Omit<StudyModel, 'curve' | 'seconds'>, { curve: StudyModel['curve'] }>
  | StudyRecordOf<
      { kind: 'expansion'; study: string } & Pick<ExpansionCell, 'pruner' | 'sparsity' | 'k' | 'draw'>,
      Omit<ExpansionCell, 'pruner' | 'sparsity' | 'k' | 'draw' | 'seconds'>
    >
  | StudyRecordOf<{ kind: 'analysis'; study: string }, { wd: StudyWdLayer[]; importance: StudyImportance[]; ablation: StudyAblation[] }>;

/** A StoredRecord with the given config and metrics (curves empty unless given). */
interface StudyRecordOf<C, M extends object, V extends object = Record<string, never>> extends StoredRecord {
  config: C & Record<string, unknown>;
  metrics: M;
  curves: V;
}

/** What a study record is made from: its config, metrics, curves and seconds; the id and the rest are filled in. */
function record<R extends StudyRecord>(config: R['config'], metrics: R['metrics'], curves: R['curves'], seconds: number): R {
  return {
    id: trialId(config),
    experiment: SPARSE_EXPANSION_EXPERIMENT,
    config,
    metrics,
    curves,
    timings: { seconds },
    finishedAt: new Date().toISOString(),
  } as R;
}

/** The id of a study's settings: its records' `config.study`. */
export function studyId(settings: StudySettings): string {
  return trialId({ kind: 'settings', settings });
}

/** The record of the settings a study runs with (stored first, so the store says what it holds). */
export function settingsRecord(settings: StudySettings): StudyRecord {
  return record({ kind: 'settings', settings }, {}, {}, 0);
}

/** The record of the trained dense model. */
export function modelRecord(settings: StudySettings, model: StudyModel): StudyRecord {
  const { curve, seconds, ...metrics } = model;
  return record({ kind: 'model', study: studyId(settings) }, metrics, { curve }, seconds);
}

/** The record of one expansion cell. */
export function expansionRecord(settings: StudySettings, cell: ExpansionCell): StudyRecord {
  const { pruner, sparsity, k, draw, seconds, ...metrics } = cell;
  return record({ kind: 'expansion', study: studyId(settings), pruner, sparsity, k, draw }, metrics, {}, seconds);
}

/** The id of the expansion cell (pruner, sparsity, k, draw) of a study. */
export function expansionId(settings: StudySettings, cell: Pick<ExpansionCell, 'pruner' | 'sparsity' | 'k' | 'draw'>): string {
  const { pruner, sparsity, k, draw } = cell;
  return trialId({ kind: 'expansion', study: studyId(settings), pruner, sparsity, k, draw });
}

/** The record of the unit analysis (WD per unit and its shift, the importance test, the ablation). */
export function analysisRecord(
  settings: StudySettings,
  analysis: { wd: StudyWdLayer[]; importance: StudyImportance[]; ablation: StudyAblation[] },
  seconds: number,
): StudyRecord {
  return record({ kind: 'analysis', study: studyId(settings) }, analysis, {}, seconds);
}

/**
 * The results the stored records of `settings` add up to, in the order they were stored (a
 * store that holds none of them gives empty results). Example: `studyResults(store.trials(), settings)`.
 */
export function studyResults(records: readonly StudyRecord[], settings: StudySettings): StudyResults {
  const results = emptyResults(settings);
  const study = studyId(settings);
  for (const r of records) {
    if (r.experiment !== SPARSE_EXPANSION_EXPERIMENT || r.config.kind === 'settings' || r.config.study !== study) continue;
    const seconds = r.timings.seconds;
    switch (r.config.kind) {
      case 'model': {
        const m = r as Extract<StudyRecord, { config: { kind: 'model' } }>;
        results.model = { ...m.metrics, seconds, curve: m.curves.curve };
        results.seconds.training = seconds;
        break;
      }
      case 'expansion': {
        const e = r as Extract<StudyRecord, { config: { kind: 'expansion' } }>;
        const { pruner, sparsity, k, draw } = e.config;
        results.expansion.push({ pruner, sparsity, k, draw, ...e.metrics, seconds });
        results.seconds.expansion += seconds;
        break;
      }
      case 'analysis': {
        const a = r as Extract<StudyRecord, { config: { kind: 'analysis' } }>;
        Object.assign(results, { wd: a.metrics.wd, importance: a.metrics.importance, ablation: a.metrics.ablation });
        results.seconds.analysis = seconds;
        break;
      }
    }
  }
  return results;
}

/** The settings of the last study whose records a store holds, or undefined when it holds no study record. */
export function storedStudySettings(records: readonly StoredRecord[]): StudySettings | undefined {
  let settings: StudySettings | undefined;
  for (const r of records) {
    if (r.experiment === SPARSE_EXPANSION_EXPERIMENT && r.config.kind === 'settings') settings = r.config.settings as StudySettings;
  }
  return settings;
}
