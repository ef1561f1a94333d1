import { el, escapeXml, text } from './escape.js';
import { type LegendItem, legend } from './legend.js';
import { type Frame, type Mark, markExtent, renderMark } from './marks.js';
import { bandScale, type ContinuousScale, linearScale, logScale, niceDomain, type Scale } from './scale.js';

/** A continuous axis: its label (with units) and optionally a fixed domain or tick values. */
export interface ContinuousAxis {
  type: 'linear' | 'log';
  label: string;
  domain?: [number, number];
  ticks?: number[];
  /** Pixels kept free at both ends, so markers at the domain's ends are not cut by the frame. */
  inset?: number;
}

/** A categorical axis over the given categories. */
export interface BandAxis {
  type: 'band';
  label: string;
  domain: string[];
}

/** A whole chart as data: axes, marks and legend; `plot` turns it into SVG. */
export interface PlotSpec {
  title: string;
  x: ContinuousAxis | BandAxis;
  y: ContinuousAxis;
  marks: Mark[];
  legend?: LegendItem[];
  width?: number;
  height?: number;
}

const MARGIN = { left: 68, right: 24, bottom: 52 };
const GRID = '#e3e3e3';
const INK = '#333';

// Data extent of the marks, then rounded outward so the axis starts and ends on ticks.
function continuous(axis: ContinuousAxis, values: number[], range: [number, number]): ContinuousScale {
  if (axis.type === 'log') {
    const pos = values.filter((v) => v > 0 && Number.isFinite(v));
    const domain: [number, number] =
      axis.domain ??
      (pos.length === 0 ? [0.1, 1] : [10 ** Math.floor(Math.log10(Math.min(...pos))), 10 ** Math.ceil(Math.log10(Math.max(...pos)))]);
    if (domain[0] === domain[1]) domain[1] = domain[0] * 10;
    return logScale(domain, range);
  }
  const finite = values.filter(Number.isFinite);
  const domain = axis.domain ?? (finite.length === 0 ? [0, 1] : niceDomain(Math.min(...finite), Math.max(...finite)));
  return linearScale(domain, range, axis.ticks);
}

function xAxis(x: Scale, f: Frame, label: string): string {
  const ticks =
    x.kind === 'band' ? x.domain.map((c) => ({ at: x.map(c), text: c })) : x.ticks().map((v) => ({ at: x.map(v), text: x.format(v) }));
  const parts = ticks.map(
    (t) =>
      el('line', { x1: t.at, x2: t.at, y1: f.bottom, y2: f.bottom + 5, stroke: INK }) +
      text(t.at, f.bottom + 18, t.text, { 'text-anchor': 'middle' }),
  );
  parts.push(el('line', { x1: f.left, x2: f.right, y1: f.bottom, y2: f.bottom, stroke: INK }));
  parts.push(text((f.left + f.right) / 2, f.bottom + 40, label, { 'text-anchor': 'middle', 'font-weight': 600 }));
  return el('g', { class: 'x-axis' }, parts.join(''));
}

function yAxis(y: ContinuousScale, f: Frame, label: string): string {
  const parts = y.ticks().map((v) => {
    const at = y.map(v);
    return (
      el('line', { x1: f.left, x2: f.right, y1: at, y2: at, stroke: GRID }) +
      text(f.left - 8, at + 4, y.format(v), { 'text-anchor': 'end' })
    );
  });
  parts.push(el('line', { x1: f.left, x2: f.left, y1: f.top, y2: f.bottom, stroke: INK }));
  const cy = (f.top + f.bottom) / 2;
  parts.push(text(16, cy, label, { 'text-anchor': 'middle', 'font-weight': 600, transform: `rotate(-90 16 ${Math.round(cy)})` }));
  return el('g', { class: 'y-axis' }, parts.join(''));
}

/**
 * An SVG chart (no xmlns or external references: it is meant to sit inline in an HTML page).
 *
 * @example
 * plot({ title: 'Accuracy', x: { type: 'band', label: 'method', domain: ['dense'] },
 *        y: { type: 'linear', label: 'accuracy (%)', domain: [0, 100] },
 *        marks: [{ type: 'bar', data: [{ x: 'dense', y: 80, style: { color: '#000' } }] }] });
 */
export function plot(spec: PlotSpec): string {
  const width = spec.width ?? 860;
  const height = spec.height ?? 400;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const key = legend(spec.legend ?? [], MARGIN.left, 44, plotWidth);
  const top = 44 + key.rows * 18 + 8;
  const extents = spec.marks.map(markExtent);
  const range: [number, number] = [MARGIN.left, width - MARGIN.right];
  const inset = spec.x.type === 'band' ? 0 : (spec.x.inset ?? 0);
  const x: Scale =
    spec.x.type === 'band'
      ? bandScale(spec.x.domain, range)
      : continuous(
          spec.x,
          extents.flatMap((e) => e.x),
          [range[0] + inset, range[1] - inset],
        );
  const y = continuous(
    spec.y,
    extents.flatMap((e) => e.y),
    [height - MARGIN.bottom, top],
  );
  const frame: Frame = { x, y, left: MARGIN.left, right: width - MARGIN.right, top, bottom: height - MARGIN.bottom };
  const body = [
    el('title', {}, escapeXml(spec.title)),
    text(MARGIN.left, 22, spec.title, { 'font-size': 15, 'font-weight': 700 }),
    yAxis(y, frame, spec.y.label),
    xAxis(x, frame, spec.x.label),
    el('g', { class: 'marks' }, spec.marks.map((m) => renderMark(m, frame)).join('')),
    key.svg,
  ];
  return el(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      'font-family': 'system-ui, -apple-system, Segoe UI, sans-serif',
      'font-size': 12,
      fill: INK,
    },
    body.join(''),
  );
}
