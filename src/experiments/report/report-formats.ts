import type { FigureRenderer } from './figure-spec.js';
import { renderCsv } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderJson } from './render-json.js';
import { renderMarkdown } from './render-markdown.js';
import type { Report } from './report-types.js';

/** Renderers of a Report, by file extension; `draw` turns a figure spec into SVG markup (used by html). */
export const REPORT_FORMATS = {
  html: renderHtml,
  md: (r: Report) => renderMarkdown(r),
  json: (r: Report) => renderJson(r),
  csv: (r: Report) => renderCsv(r),
} as const satisfies Record<string, (r: Report, draw: FigureRenderer) => string>;
/** One of REPORT_FORMATS. */
export type ReportFormat = keyof typeof REPORT_FORMATS;
