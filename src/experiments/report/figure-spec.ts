// A figure as data: scales, marks and their rows, in Observable Plot's vocabulary but with no
// functions, so a spec survives JSON.stringify and can be drawn in Node (render-svg.ts with
// linkedom) or in a browser (render-svg.ts with the page's document) by the same renderer.

/** One cell of a mark's data row: numbers, category names or tooltip text (null: no value). */
export type FigureValue = number | string | null;

/** One data row of a mark; channels name its fields. */
export type FigureRow = Record<string, FigureValue>;

/** Marker shapes (Plot symbol names); with colour, the shape tells series apart for readers who cannot see the hue. */
export type Shape = 'circle' | 'square' | 'triangle' | 'diamond' | 'cross' | 'star';

/** A position scale: its label (with units), type, and optionally a fixed domain or tick values. */
export interface AxisSpec {
  label: string;
  type: 'linear' | 'log' | 'band';
  /** Numbers for linear and log scales, category names (in order) for band scales. */
  domain?: number[] | string[];
  ticks?: number[];
  /** Pixels kept free at both ends, so markers at the domain's ends are not cut by the frame. */
  inset?: number;
  /** Values outside the domain sit on its ends (a log scale's zeros on the floor) instead of being dropped. */
  clamp?: boolean;
  /** Degrees to turn the tick labels (x axis: -30 keeps long category names from running into each other). */
  tickRotate?: number;
}

/** An ordinal scale from series names to colours or marker shapes, with an optional legend. */
export interface OrdinalSpec<T extends string> {
  domain: string[];
  range: T[];
  legend: boolean;
}

/** The kinds of mark a figure draws; each is the Plot mark of that name. */
export type MarkType = 'line' | 'areaY' | 'dot' | 'ruleX' | 'ruleY' | 'barY' | 'text';

/**
 * One mark: its type, its rows, channels (field names of the rows) and constant options.
 * `stroke` and `fill` follow Plot: a CSS colour is a constant, any other string a field
 * mapped through the color scale.
 */
export interface MarkSpec {
  type: MarkType;
  data: FigureRow[];
  x?: string;
  y?: string;
  y1?: string;
  y2?: string;
  stroke?: string;
  fill?: string;
  symbol?: string;
  /** Field holding each row's tooltip (drawn as an SVG <title>). */
  title?: string;
  /** Field holding each row's label (text marks). */
  text?: string;
  /** SVG stroke-dasharray, e.g. '4 3'. */
  dash?: string;
  /** Pixel nudge along x, so series sharing an x position keep their whiskers apart. */
  dx?: number;
  /** Pixel nudge along y (text marks: lift a label off its line). */
  dy?: number;
  /** Dot radius in pixels. */
  r?: number;
  strokeWidth?: number;
  fillOpacity?: number;
  curve?: 'linear' | 'step-after';
  /** Text marks: where in the frame the label sits, and how it is aligned. */
  frameAnchor?: 'top' | 'bottom';
  textAnchor?: 'start' | 'middle' | 'end';
}

/** A whole chart as data: title, scales, marks; JSON-serialisable, drawn late by renderFigure. */
export interface FigureSpec {
  kind: 'plot';
  title: string;
  x: AxisSpec;
  y: AxisSpec;
  color?: OrdinalSpec<string>;
  symbol?: OrdinalSpec<Shape>;
  marks: MarkSpec[];
  width: number;
  height: number;
}

/** A chart spec with the caption that says what it shows and over how many seeds. */
export interface Figure {
  spec: FigureSpec;
  caption: string;
}

/** Draws a spec as markup (inline SVG with its legend); renderFigure bound to a document. */
export type FigureRenderer = (spec: FigureSpec) => string;

/** The reports' chart size in pixels: wide enough for a legend row, drawn 1:1 in the page's 920 px column. */
export const FIGURE_SIZE = { width: 800, height: 380 } as const;
