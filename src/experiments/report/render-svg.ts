import * as Plot from '@observablehq/plot';
import type { AxisSpec, FigureSpec, MarkSpec } from './figure-spec.js';

// The one place that turns figure specs into drawings. It needs a DOM `document`: a page passes
// its own, Node passes linkedom's (node-document.ts). Nothing here touches Node.

// Prefix of the classes Plot puts on the figure, its SVG and legend; render-html's CSS uses them.
const PLOT_CLASS = 'widen-plot';

// Attributes that hold pixel coordinates: Plot writes 17 digits (242.22222222222223); rounded to
// 0.01 px they draw the same, diff readably and save ~7% of a report. Text is left as Plot wrote it.
const PIXEL_ATTRS = ['d', 'transform', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'width', 'height', 'points'];
const round = (s: string): string =>
  s.replace(/-?\d*\.\d+(e-?\d+)?/g, (n) => {
    const r = Math.round(Number(n) * 100) / 100;
    return String(r === 0 ? 0 : r);
  });

// Legend options ride on the scale's options (Plot's types leave them out): the symbol legend
// draws each entry filled in its series' colour.
const FILLED_LEGEND: Partial<Plot.ScaleOptions> = Object.fromEntries([
  ['fill', 'color'],
  ['stroke', 'color'],
]);

function scale(a: AxisSpec, grid: boolean): Plot.ScaleOptions {
  const s: Plot.ScaleOptions = { type: a.type, label: a.label, grid };
  if (a.domain !== undefined) s.domain = a.domain;
  else if (a.type === 'linear') s.nice = true;
  if (a.ticks !== undefined) s.ticks = a.ticks;
  if (a.inset !== undefined) s.inset = a.inset;
  if (a.clamp !== undefined) s.clamp = a.clamp;
  if (a.tickRotate !== undefined) s.tickRotate = a.tickRotate;
  if (a.type === 'band') s.padding = 0.3;
  // plain numbers (0.001, 200) rather than Plot's SI default for logs (1m, 200)
  if (a.type === 'log') s.tickFormat = '~g';
  return s;
}

function mark(m: MarkSpec): Plot.Markish {
  const options = {
    x: m.x,
    y: m.y,
    y1: m.y1,
    y2: m.y2,
    stroke: m.stroke,
    fill: m.fill,
    symbol: m.symbol,
    title: m.title,
    text: m.text,
    strokeDasharray: m.dash,
    dx: m.dx,
    dy: m.dy,
    r: m.r,
    strokeWidth: m.strokeWidth,
    fillOpacity: m.fillOpacity,
    curve: m.curve,
    frameAnchor: m.frameAnchor,
    textAnchor: m.textAnchor,
  };
  // Plot reads an option that is present but undefined as "no channel", so absent keys are dropped
  const o = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  switch (m.type) {
    case 'line':
      return Plot.line(m.data, o);
    case 'areaY':
      return Plot.areaY(m.data, o);
    case 'dot':
      return Plot.dot(m.data, o);
    case 'ruleX':
      return Plot.ruleX(m.data, o);
    case 'ruleY':
      return Plot.ruleY(m.data, o);
    case 'barY':
      return Plot.barY(m.data, o);
    case 'text':
      return Plot.text(m.data, o);
  }
}

/**
 * A figure spec drawn by Observable Plot into `document`, returned as markup: a <figure> holding
 * the title, the legend (HTML swatches) and an inline <svg>, with no scripts or external references.
 *
 * @example
 * renderFigure(spec, window.document); // in a page
 * renderFigure(spec, nodeDocument()); // in Node, see node-document.ts
 */
export function renderFigure(spec: FigureSpec, document: Document): string {
  const el = Plot.plot({
    document,
    className: PLOT_CLASS,
    title: spec.title,
    width: spec.width,
    height: spec.height,
    // 12 px text reads at the page's body size; the margins leave room for it (Plot sizes its
    // automatic margins for 10 px)
    style: { fontSize: '12px' },
    marginLeft: 60,
    // turned x tick labels hang below the axis: room for ~24 characters at 30 degrees
    marginBottom: spec.x.tickRotate ? 110 : 42,
    marginTop: 30,
    x: scale(spec.x, false),
    y: scale(spec.y, true),
    color: spec.color && { type: 'ordinal', ...spec.color },
    symbol: spec.symbol && { type: 'ordinal', ...spec.symbol, ...FILLED_LEGEND },
    marks: spec.marks.map(mark),
  });
  for (const node of el.querySelectorAll('svg *'))
    for (const name of PIXEL_ATTRS) {
      const v = node.getAttribute(name);
      if (v !== null) node.setAttribute(name, round(v));
    }
  return el.outerHTML;
}
