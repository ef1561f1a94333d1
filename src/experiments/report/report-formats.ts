import { renderCsv } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderJson } from './render-json.js';
import { renderMarkdown } from './render-markdown.js';
import type { Report } from './report-types.js';

/** Renderers of a Report, by file extension. */
export const REPORT_FORMATS = { html: renderHtml, md: renderMarkdown, json: renderJson, csv: renderCsv } as const satisfies Record<
  string,
  (r: Report) => string
>;
/** One of REPORT_FORMATS. */
export type ReportFormat = keyof typeof REPORT_FORMATS;
