// The report generator's surface: build a Report from trial records and render it (widen/node writes it into a run folder).

export { PUBLISHED_M8, TITLES } from './accuracy-sections.js';
export { reportFigures } from './blocks.js';
export { buildReport, HEADLINE_CELL, type ReportOptions } from './build-report.js';
export type { Figure, FigureRenderer, FigureSpec, MarkSpec } from './figure-spec.js';
export { isDatasetRecord, REALDATA_TITLE, realDataSection } from './realdata-sections.js';
export { CSV_COLUMNS, renderCsv } from './render-csv.js';
export { renderHtml } from './render-html.js';
export { renderJson } from './render-json.js';
export { renderMarkdown } from './render-markdown.js';
export { renderFigure } from './render-svg.js';
export { REPORT_FORMATS, type ReportFormat } from './report-formats.js';
export type {
  CellKey,
  CellSummary,
  CollisionData,
  CurvesData,
  FoldData,
  GainData,
  HeadlineData,
  MethodAccuracy,
  PairedData,
  PublishedData,
  RealDataCell,
  RealDataCurve,
  RealDataData,
  RealDataGain,
  RealDataGroup,
  Report,
  Section,
  WassersteinData,
} from './report-types.js';
