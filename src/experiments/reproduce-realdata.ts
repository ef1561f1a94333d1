import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../engine/index.js';
import { writeFileAtomic } from '../nn/index.js';
import { resolveExperimentConfig } from './experiment-config.js';
import { buildReport } from './report/build-report.js';
import { renderFigureSvg } from './report/node-document.js';
import { renderHtml } from './report/render-html.js';
import type { RealDataCell, Report } from './report/report-types.js';
import { readRecords } from './report/write-report.js';
import type { ReproduceBooleanOptions } from './reproduce-boolean.js';
import { checkData, type RunSummary, runExperiment } from './run-experiment.js';

/** Options of reproduceRealData: those of reproduceBoolean (out default `runs/reproduce-realdata[-quick]`). */
export type ReproduceRealDataOptions = ReproduceBooleanOptions;

/** What reproduceRealData returns: the report data, its cells, where it was written, and each experiment's summary. */
export interface ReproduceRealDataResult {
  report: Report;
  /** Every (dataset, hidden layers, h, α, method) cell of the study. */
  cells: RealDataCell[];
  reportPath: string;
  runs: RunSummary[];
  seconds: number;
}

/** The committed experiments (a) and (b) of the real-data study, under experiments/realdata/. */
const STUDY = ['fashion-mnist-1layer', 'deep-fashion-mnist', 'deep-mnist'] as const;

/**
 * `--quick`: 3 seeds, 10 + 10 epochs and fewer widths, at α = 4 only (the larger expansion, where
 * a gain should show first); about 12 minutes on 2 cores. The full study is the committed configs.
 */
const QUICK: Record<(typeof STUDY)[number], number[]> = {
  'fashion-mnist-1layer': [8, 32, 128],
  'deep-fashion-mnist': [16, 64],
  'deep-mnist': [16],
};

function studyConfig(name: (typeof STUDY)[number], quick: boolean): Record<string, unknown> {
  const config = parse(readFileSync(join(packageRoot(), 'experiments', 'realdata', `${name}.yaml`), 'utf8'));
  if (!quick) return config;
  return {
    ...config,
    name: `${name}-quick`,
    seeds: 3,
    training: { ...config.training, warmupEpochs: 10, afterSplitEpochs: 10 },
    grid: { 'model.h': QUICK[name], alpha: [4] },
  };
}

/**
 * Runs the real-data study of issue 4 end to end: (a) one hidden layer on Fashion-MNIST and (b)
 * 4 hidden layers on Fashion-MNIST and MNIST, then writes one HTML report over them. Every
 * dataset is located before the first trial, so a missing one fails at once and says how to get
 * it. Resumable: rerunning with the same `out` skips finished trials.
 * Example: `await reproduceRealData({ quick: true, out: 'runs/realdata-quick' })`.
 */
export async function reproduceRealData(options: ReproduceRealDataOptions = {}): Promise<ReproduceRealDataResult> {
  const t0 = performance.now();
  const quick = options.quick === true;
  const out = options.out ?? join('runs', quick ? 'reproduce-realdata-quick' : 'reproduce-realdata');
  const configs = STUDY.map((name) => resolveExperimentConfig(studyConfig(name, quick)));
  for (const config of configs) await checkData(config);
  const runs: RunSummary[] = [];
  const dirs: string[] = [];
  for (const config of configs) {
    const dir = join(out, config.name);
    options.onExperiment?.(config.name);
    runs.push(await runExperiment(config, { ...options, out: dir }));
    dirs.push(dir);
  }
  const report = buildReport(readRecords(dirs), {
    title: quick ? 'Real-data study (quick)' : 'Real-data study',
    generatedAt: new Date().toISOString(),
  });
  const reportPath = join(out, 'report.html');
  writeFileAtomic(reportPath, new TextEncoder().encode(renderHtml(report, renderFigureSvg)));
  const cells = report.realData?.available ? report.realData.data.groups.flatMap((g) => g.cells) : [];
  return { report, cells, reportPath, runs, seconds: (performance.now() - t0) / 1000 };
}
