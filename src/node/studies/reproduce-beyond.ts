import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beyondBlocks } from '../../experiments/report/beyond-blocks.js';
import { renderPage } from '../../experiments/report/render-html.js';
import {
  BEYOND_STUDY,
  type BeyondCell,
  type BeyondStudyName,
  beyondCells,
  beyondStudyConfig,
  beyondStudyTitle,
} from '../../experiments/studies/beyond.js';
import { resolveExperimentConfig } from '../../experiments/trials/experiment-config.js';
import { METHODS } from '../../experiments/trials/trial-record.js';
import { writeFileAtomic } from '../files.js';
import { packageRoot } from '../package-info.js';
import { renderFigureSvg } from '../report/node-document.js';
import { readRecords } from '../report/write-report.js';
import { checkData } from '../run/check-data.js';
import { checkWorkers, type RunSummary, runExperiment } from '../run/run-experiment.js';
import type { ReproduceBooleanOptions } from './reproduce-boolean.js';

/** Options of reproduceBeyond: those of reproduceBoolean (out default `runs/reproduce-beyond[-quick]`). */
export type ReproduceBeyondOptions = ReproduceBooleanOptions;

/** What reproduceBeyond returns: every cell, where the report was written, and each experiment's summary. */
export interface ReproduceBeyondResult {
  cells: BeyondCell[];
  reportPath: string;
  runs: RunSummary[];
  seconds: number;
}

/** A committed experiment config of the study, as written under experiments/beyond/. */
function studyConfig(name: BeyondStudyName): Record<string, unknown> {
  return parse(readFileSync(join(packageRoot(), 'experiments', 'beyond', `${name}.yaml`), 'utf8'));
}

/**
 * Runs the study of issue 11 end to end (experiments/beyond/: the Boolean α = 4 target cells,
 * Fashion-MNIST, Boolean m = 24 and α = 2), then writes report.html over every finished trial.
 * The data set is located before the first trial. Resumable: rerunning with the same `out`
 * skips finished trials. Example: `await reproduceBeyond({ quick: true, out: 'runs/beyond-quick' })`.
 */
export async function reproduceBeyond(options: ReproduceBeyondOptions = {}): Promise<ReproduceBeyondResult> {
  const t0 = performance.now();
  const quick = options.quick === true;
  const out = options.out ?? join('runs', quick ? 'reproduce-beyond-quick' : 'reproduce-beyond');
  checkWorkers(options.workers);
  const configs = BEYOND_STUDY.flatMap((name) => {
    const raw = beyondStudyConfig(name, studyConfig(name), quick);
    return raw === null ? [] : [resolveExperimentConfig(raw)];
  });
  for (const config of configs) await checkData(config);
  const runs: RunSummary[] = [];
  for (const config of configs) {
    options.onExperiment?.(config.name);
    runs.push(await runExperiment(config, { ...options, out: join(out, config.name) }));
  }
  const { cells, reportPath } = writeBeyondReport(
    out,
    configs.map((c) => c.name),
    quick,
  );
  return { cells, reportPath, runs, seconds: (performance.now() - t0) / 1000 };
}

/** Builds the cells and writes `<out>/report.html` from the run folders of `names` under `out` that exist (a partial run reports what finished). */
export function writeBeyondReport(out: string, names: readonly string[], quick: boolean): { cells: BeyondCell[]; reportPath: string } {
  const dirs = names.map((n) => join(out, n)).filter((d) => existsSync(join(d, 'trials.sqlite')));
  const records = readRecords(dirs);
  const cells = beyondCells(records, METHODS);
  const reportPath = join(out, 'report.html');
  const meta = [`${records.length} trials`, `experiments: ${names.join(', ')}`, `generated ${new Date().toISOString()}`];
  writeFileAtomic(reportPath, new TextEncoder().encode(renderPage(beyondStudyTitle(quick), meta, beyondBlocks(cells), renderFigureSvg)));
  return { cells, reportPath };
}
