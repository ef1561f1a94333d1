// Charts of the web app: FigureSpecs (the reports' figure data), drawn by the core's renderFigure
// with the page's document, so the page and the HTML reports share one renderer.

import { type FigureSpec, renderFigure } from 'widen';

type Row = Record<string, number | string | null>;

/** A line chart of `rows` (y against x, one line per series), each point with a hover title. */
export function lineSpec(title: string, rows: Row[], x: string, y: string, series: string, labels: { x: string; y: string }): FigureSpec {
  const titled = rows.map((r) => ({ ...r, tip: `${r[series]}: ${labels.y} ${fmt(r[y])} at ${labels.x} ${fmt(r[x])}` }));
  const names = [...new Set(rows.map((r) => String(r[series])))];
  return {
    kind: 'plot',
    title,
    x: { label: labels.x, type: 'linear' },
    y: { label: labels.y, type: 'linear' },
    color: {
      domain: names,
      range: ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'].slice(0, names.length),
      legend: true,
    },
    marks: [
      { type: 'line', data: titled, x, y, stroke: series },
      { type: 'dot', data: titled, x, y, fill: series, r: 2, title: 'tip' },
    ],
    width: 460,
    height: 240,
  };
}

const fmt = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : String(v));

/** The SVG markup of a spec, drawn in this page. */
export function draw(spec: FigureSpec): string {
  return renderFigure(spec, document);
}
