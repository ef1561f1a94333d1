import { FIGURE_SIZE, type FigureRow, type FigureSpec, type MarkSpec } from './figure-spec.js';
import type { SeriesStyle } from './method-style.js';

// Mark builders shared by the report's figures: a named series is drawn through the color and
// symbol scales (field `series`), so its legend entry and its marks share one colour and shape.

/** A named series and how it looks. */
export interface Series {
  name: string;
  style: SeriesStyle;
}

const SERIES = 'series';

// JSON has no NaN or ±Infinity (a gain over a dense accuracy of 0): such values become null,
// which Plot leaves out, as it would the non-finite number
const finite = (row: FigureRow): FigureRow =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' && !Number.isFinite(v) ? null : v]));

/** A spec at the reports' size from its title, scales and marks, every value JSON-safe. */
export function plotSpec(s: Omit<FigureSpec, 'kind' | 'width' | 'height'>): FigureSpec {
  return { kind: 'plot', ...s, marks: s.marks.map((m) => ({ ...m, data: m.data.map(finite) })), ...FIGURE_SIZE };
}

// absent, not undefined: a spec is compared and sent as JSON
const dashed = (dash: string | undefined): { dash?: string } => (dash === undefined ? {} : { dash });
const tag = (s: Series, rows: FigureRow[]): FigureRow[] => rows.map((r) => ({ ...r, [SERIES]: s.name }));

/**
 * The color scale of the series and, when they carry markers, their symbol scale. The legend
 * sits on the symbols then (Plot colours them), otherwise on the colours.
 */
export function seriesScales(series: readonly Series[], markers: boolean, legend = true): Pick<FigureSpec, 'color' | 'symbol'> {
  const domain = series.map((s) => s.name);
  const color = { domain, range: series.map((s) => s.style.color), legend: legend && !markers };
  if (!markers) return { color };
  return { color, symbol: { domain, range: series.map((s) => s.style.shape ?? 'circle'), legend } };
}

/** Markers of one series at (x, y); hollow styles draw white-filled markers. */
export function dots(s: Series, rows: FigureRow[], o: { x: string; y: string; dx?: number; title?: string }): MarkSpec {
  return {
    type: 'dot',
    data: tag(s, rows),
    ...o,
    stroke: SERIES,
    fill: s.style.hollow ? 'white' : SERIES,
    symbol: SERIES,
    r: 4,
    strokeWidth: 1.5,
  };
}

/** Vertical whiskers of one series at x, from y1 to y2 (confidence intervals, min–max ranges). */
export function whiskers(s: Series, rows: FigureRow[], o: { x: string; y1: string; y2: string; dx?: number }): MarkSpec {
  return { type: 'ruleX', data: tag(s, rows), ...o, stroke: SERIES, strokeWidth: 1.5 };
}

/** A line through one series' points, dashed as its style says. */
export function line(s: Series, rows: FigureRow[], o: { x: string; y: string; dx?: number }): MarkSpec {
  return { type: 'line', data: tag(s, rows), ...o, stroke: SERIES, ...dashed(s.style.dash), strokeWidth: 2 };
}

/** A step outline with a light fill: one histogram over `edges`, heights per bin. */
export function steps(s: Series, edges: number[], heights: number[]): MarkSpec[] {
  // step-after holds each bin's height from its left edge; the last edge repeats the last height
  const rows = tag(
    s,
    edges.map((x, i) => ({ x, y: heights[Math.min(i, heights.length - 1)] })),
  );
  return [
    { type: 'areaY', data: rows, x: 'x', y: 'y', fill: SERIES, fillOpacity: 0.12, curve: 'step-after' },
    { type: 'line', data: rows, x: 'x', y: 'y', stroke: SERIES, ...dashed(s.style.dash), strokeWidth: 2, curve: 'step-after' },
  ];
}

/** A horizontal reference rule at y in a constant colour (zero lines, the dense model). */
export function ruleAtY(y: number, color: string, dash?: string): MarkSpec {
  return { type: 'ruleY', data: [{ y }], y: 'y', stroke: color, ...dashed(dash) };
}

/** A vertical rule at x with a label at the top of the frame (the split epoch). */
export function ruleAtX(x: number, label: string, color: string, dash: string): MarkSpec[] {
  return [
    { type: 'ruleX', data: [{ x }], x: 'x', stroke: color, dash, strokeWidth: 1.5 },
    { type: 'text', data: [{ x, label }], x: 'x', text: 'label', fill: color, frameAnchor: 'top', textAnchor: 'start', dx: 4, dy: 4 },
  ];
}
