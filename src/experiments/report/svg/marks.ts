import { el, escapeXml, px, text } from './escape.js';
import type { ContinuousScale, Scale } from './scale.js';

/** Marker shapes; with colour, the shape tells series apart for readers who cannot see the hue. */
export type Shape = 'circle' | 'square' | 'triangle' | 'diamond' | 'cross' | 'star';

/** How a series looks: colour, marker shape, line dash (SVG dasharray) and whether markers are hollow. */
export interface SeriesStyle {
  color: string;
  shape?: Shape;
  dash?: string;
  hollow?: boolean;
}

/** A position on x: a number on a continuous scale or a category on a band scale; `dx` nudges it by pixels. */
export interface XPos {
  x: number | string;
  dx?: number;
}

/** The marks a plot can draw; each is plain data, rendered by renderMark. */
export type Mark =
  | { type: 'dot'; style: SeriesStyle; data: (XPos & { y: number; title?: string })[] }
  | { type: 'line'; style: SeriesStyle; data: { x: number; dx?: number; y: number }[] }
  | { type: 'errorbar'; style: SeriesStyle; data: (XPos & { lo: number; hi: number })[] }
  | { type: 'bar'; data: { x: string; y: number; style: SeriesStyle }[] }
  | { type: 'histogram'; style: SeriesStyle; edges: number[]; heights: number[] }
  | { type: 'ruleX'; style: SeriesStyle; x: number; label?: string }
  | { type: 'ruleY'; style: SeriesStyle; y: number };

/** The x and y data values a mark spans (used to infer domains). */
export function markExtent(mark: Mark): { x: number[]; y: number[] } {
  const nums = (xs: (number | string)[]): number[] => xs.filter((v): v is number => typeof v === 'number');
  switch (mark.type) {
    case 'dot':
      return { x: nums(mark.data.map((d) => d.x)), y: mark.data.map((d) => d.y) };
    case 'line':
      return { x: mark.data.map((d) => d.x), y: mark.data.map((d) => d.y) };
    case 'errorbar':
      return { x: nums(mark.data.map((d) => d.x)), y: mark.data.flatMap((d) => [d.lo, d.hi]) };
    case 'bar':
      return { x: [], y: [0, ...mark.data.map((d) => d.y)] };
    case 'histogram':
      return { x: mark.edges, y: [0, ...mark.heights] };
    case 'ruleX':
      return { x: [mark.x], y: [] };
    case 'ruleY':
      return { x: [], y: [mark.y] };
  }
}

// Unit outlines of the polygon markers (radius 1, y down).
const OUTLINES: Record<Exclude<Shape, 'circle'>, [number, number][]> = {
  square: [
    [-0.85, -0.85],
    [0.85, -0.85],
    [0.85, 0.85],
    [-0.85, 0.85],
  ],
  triangle: [
    [0, -1.15],
    [1, 0.75],
    [-1, 0.75],
  ],
  diamond: [
    [0, -1.2],
    [1, 0],
    [0, 1.2],
    [-1, 0],
  ],
  cross: [
    [-0.35, -1],
    [0.35, -1],
    [0.35, -0.35],
    [1, -0.35],
    [1, 0.35],
    [0.35, 0.35],
    [0.35, 1],
    [-0.35, 1],
    [-0.35, 0.35],
    [-1, 0.35],
    [-1, -0.35],
    [-0.35, -0.35],
  ],
  // five points, alternating outer radius 1.2 and inner 0.5
  star: Array.from({ length: 10 }, (_, i): [number, number] => {
    const r = i % 2 ? 0.5 : 1.2;
    return [r * Math.sin((i * Math.PI) / 5), -r * Math.cos((i * Math.PI) / 5)];
  }),
};

/** Path of a marker of radius r centred at (cx, cy). */
export function symbol(shape: Shape, cx: number, cy: number, r: number): string {
  if (shape === 'circle') return `M${px(cx - r)},${px(cy)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0Z`;
  return `M${OUTLINES[shape].map(([x, y]) => `${px(cx + x * r)},${px(cy + y * r)}`).join('L')}Z`;
}

/** The frame a mark draws into: scales plus the plot area's pixel box. */
export interface Frame {
  x: Scale;
  y: ContinuousScale;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const xOf = (f: Frame, p: XPos): number => (f.x.kind === 'band' ? f.x.map(String(p.x)) : f.x.map(Number(p.x))) + (p.dx ?? 0);
// continuous x only: band scales have no numeric positions, so those marks are skipped there
const xNum = (f: Frame, v: number): number => (f.x.kind === 'band' ? Number.NaN : f.x.map(v));
const stroke = (s: SeriesStyle) => ({ stroke: s.color, 'stroke-dasharray': s.dash });

/** SVG markup of one mark in a frame. */
export function renderMark(mark: Mark, f: Frame): string {
  switch (mark.type) {
    case 'dot':
      return mark.data
        .map((d) => {
          const path = symbol(mark.style.shape ?? 'circle', xOf(f, d), f.y.map(d.y), 4.5);
          const fill = mark.style.hollow ? 'white' : mark.style.color;
          return el(
            'path',
            { d: path, fill, stroke: mark.style.color, 'stroke-width': 1.5 },
            d.title === undefined ? undefined : el('title', {}, escapeXml(d.title)),
          );
        })
        .join('');
    case 'line': {
      if (mark.data.length < 2) return '';
      const d = mark.data.map((p, i) => `${i ? 'L' : 'M'}${px(xOf(f, p))},${px(f.y.map(p.y))}`).join('');
      return el('path', { d, fill: 'none', 'stroke-width': 2, ...stroke(mark.style) });
    }
    case 'errorbar':
      return mark.data
        .map((e) => {
          const x = xOf(f, e);
          const [y0, y1] = [f.y.map(e.lo), f.y.map(e.hi)];
          const d = `M${px(x - 4)},${px(y0)}H${px(x + 4)}M${px(x)},${px(y0)}V${px(y1)}M${px(x - 4)},${px(y1)}H${px(x + 4)}`;
          return el('path', { d, fill: 'none', 'stroke-width': 1.5, stroke: mark.style.color });
        })
        .join('');
    case 'bar': {
      const w = f.x.kind === 'band' ? f.x.bandwidth : 10;
      return mark.data
        .map((d) => {
          const [y0, y1] = [f.y.map(0), f.y.map(d.y)];
          return el('rect', {
            x: xOf(f, d) - w / 2,
            y: Math.min(y0, y1),
            width: w,
            height: Math.abs(y0 - y1),
            fill: d.style.color,
            'fill-opacity': 0.85,
          });
        })
        .join('');
    }
    case 'histogram': {
      // an outline that steps along the bin tops: overlapping groups stay readable
      const y0 = px(f.y.map(0));
      const steps = mark.heights.map((h, i) => `H${px(xNum(f, mark.edges[i]))}V${px(f.y.map(h))}H${px(xNum(f, mark.edges[i + 1]))}`);
      const d = `M${px(xNum(f, mark.edges[0]))},${y0}${steps.join('')}V${y0}`;
      return el('path', { d, fill: mark.style.color, 'fill-opacity': 0.12, 'stroke-width': 2, ...stroke(mark.style) });
    }
    case 'ruleX': {
      const x = xNum(f, mark.x);
      const line = el('line', { x1: x, x2: x, y1: f.top, y2: f.bottom, 'stroke-width': 1.5, ...stroke(mark.style) });
      return mark.label === undefined ? line : line + text(x + 4, f.top + 12, mark.label, { fill: mark.style.color });
    }
    case 'ruleY': {
      const y = f.y.map(mark.y);
      return el('line', { x1: f.left, x2: f.right, y1: y, y2: y, 'stroke-width': 1, ...stroke(mark.style) });
    }
  }
}
