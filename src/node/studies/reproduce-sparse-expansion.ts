import { join } from 'node:path';
import type { Engine } from '../../engine/index.js';
import { studyPage } from '../../experiments/studies/sparse-expansion/study-page.js';
import type { StudyProgress, StudyResults } from '../../experiments/studies/sparse-expansion/study-results.js';
import type { StudySettingsInput } from '../../experiments/studies/sparse-expansion/study-settings.js';
import { studyJson } from '../../experiments/studies/sparse-expansion/summarise.js';
import { writeFileAtomic } from '../files.js';
import { renderFigureSvg } from '../report/node-document.js';
import { runSparseExpansionStudy } from './run-sparse-expansion-study.js';

/** Options of reproduceSparseExpansion. */
export interface ReproduceSparseExpansionOptions {
  /** Folder of model.safetensors, trials.sqlite and report.html (default `runs/reproduce-sparse-expansion[-quick]`). */
  out?: string;
  quick?: boolean;
  /** Overrides of the study settings (see StudySettingsSchema), e.g. a smaller task in tests. */
  settings?: StudySettingsInput;
  engine?: Engine;
  onProgress?: (p: StudyProgress) => void;
}

/** What reproduceSparseExpansion returns: the measured results, their JSON summary and the report's path. */
export interface ReproduceSparseExpansionResult {
  results: StudyResults;
  json: Record<string, unknown>;
  reportPath: string;
  seconds: number;
}

/**
 * Runs the Sparse Expansion study of issue 5 (runSparseExpansionStudy) and writes its HTML report:
 * accuracy vs K per sparsity, WD histograms, WD before/after, importance-test bars and the
 * ablation. Resumable: rerunning with the same `out` reuses the model and every finished step.
 * Example: `await reproduceSparseExpansion({ quick: true })`.
 */
export async function reproduceSparseExpansion(options: ReproduceSparseExpansionOptions = {}): Promise<ReproduceSparseExpansionResult> {
  const t0 = performance.now();
  const quick = options.quick === true;
  const out = options.out ?? join('runs', quick ? 'reproduce-sparse-expansion-quick' : 'reproduce-sparse-expansion');
  const results = await runSparseExpansionStudy({ ...options, out, quick });
  const reportPath = join(out, 'report.html');
  writeFileAtomic(reportPath, new TextEncoder().encode(studyPage(results, quick, new Date().toISOString(), renderFigureSvg)));
  return { results, json: studyJson(results), reportPath, seconds: (performance.now() - t0) / 1000 };
}
