import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../engine/index.js';
import { writeFileAtomic } from '../../nn/index.js';
import { openStore, STORE_FILE } from '../store.js';
import type { TrialRecord } from '../trial-record.js';
import { buildReport, type ReportOptions } from './build-report.js';
import { renderFigureSvg } from './node-document.js';
import { renderCsv } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderJson } from './render-json.js';
import { renderMarkdown } from './render-markdown.js';
import type { Report } from './report-types.js';

/** Output formats of writeReport, by file extension. */
export const REPORT_FORMATS = {
  html: (r: Report) => renderHtml(r, renderFigureSvg),
  md: renderMarkdown,
  json: renderJson,
  csv: renderCsv,
} as const satisfies Record<string, (r: Report) => string>;
/** One of REPORT_FORMATS. */
export type ReportFormat = keyof typeof REPORT_FORMATS;

/** Options of writeReport: the format, the output path (default `<runDir>/report.<format>`) and buildReport's options. */
export interface WriteReportOptions extends ReportOptions {
  format: ReportFormat;
  out?: string;
}

/**
 * Reads the trials of one or more run folders, builds the report and writes it atomically (readers see
 * the old file or the whole new one) to `out` (default: in the first folder); returns the path written. `generatedAt` defaults to now.
 *
 * @example
 * writeReport('runs/headline', { format: 'html' }); // → 'runs/headline/report.html'
 */
export function writeReport(runDirs: string | readonly string[], options: WriteReportOptions): string {
  const render = REPORT_FORMATS[options.format];
  if (!render) {
    throw new ConfigError(
      `unknown report format ${JSON.stringify(options.format)}; pass one of ${Object.keys(REPORT_FORMATS).join(', ')}`,
      {
        where: 'format',
        got: options.format,
        allowed: Object.keys(REPORT_FORMATS).join(', '),
      },
    );
  }
  const dirs = typeof runDirs === 'string' ? [runDirs] : runDirs;
  const report = buildReport(readRecords(dirs), { generatedAt: new Date().toISOString(), ...options });
  const out = options.out ?? join(dirs[0], `report.${options.format}`);
  writeFileAtomic(out, new TextEncoder().encode(render(report)));
  return out;
}

/** The trials stored in each run folder, each trial once (folders of one study may share trials). */
export function readRecords(runDirs: readonly string[]): TrialRecord[] {
  const byId = new Map<string, TrialRecord>();
  for (const runDir of runDirs) {
    // openStore would create an empty store; a report of a mistyped folder should fail instead
    if (!existsSync(join(runDir, STORE_FILE))) {
      throw new ConfigError(`${runDir} holds no ${STORE_FILE}; pass the folder of a run (the one given to widen run)`, { where: runDir });
    }
    const store = openStore(runDir);
    try {
      for (const r of store.trials()) if (!byId.has(r.id)) byId.set(r.id, r);
    } finally {
      store.close();
    }
  }
  return [...byId.values()];
}
