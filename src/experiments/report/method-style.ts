import type { Shape } from './figure-spec.js';

/** How a series looks: colour, marker shape, line dash (SVG dasharray) and whether markers are hollow. */
export interface SeriesStyle {
  color: string;
  shape?: Shape;
  dash?: string;
  hollow?: boolean;
}

/**
 * The Okabe–Ito palette (Okabe & Ito 2008), chosen to stay distinguishable under the common
 * colour-vision deficiencies; yellow is left out because it vanishes on white.
 */
const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
} as const;

// Fixed per method so a method looks the same in every chart; shapes and dashes repeat the
// distinction for readers (and printers) that lose the hue.
const KNOWN: Record<string, SeriesStyle> = {
  dense: { color: OKABE_ITO.black, shape: 'circle' },
  'sparse-init': { color: OKABE_ITO.orange, shape: 'square', dash: '2 3' },
  'fpe-random': { color: OKABE_ITO.blue, shape: 'triangle', dash: '8 4' },
  'fpe-clause': { color: OKABE_ITO.vermillion, shape: 'diamond' },
  'fpe-gram': { color: OKABE_ITO.green, shape: 'cross', dash: '8 3 2 3' },
  overlap: { color: OKABE_ITO.purple, shape: 'star', dash: '4 2' },
  // issue 11's variants: one colour per family (partition sky blue, restore purple, selective green,
  // schedule and routing the clause vermillion), the shape telling the members apart
  'fpe-partition': { color: OKABE_ITO.skyBlue, shape: 'circle' },
  'fpe-partition-scaled': { color: OKABE_ITO.skyBlue, shape: 'square', hollow: true },
  'fpe-layer-restore': { color: OKABE_ITO.purple, shape: 'triangle' },
  'fpe-selective-wd': { color: OKABE_ITO.green, shape: 'diamond' },
  'fpe-selective-collisions': { color: OKABE_ITO.green, shape: 'square', hollow: true },
  'fpe-schedule': { color: OKABE_ITO.black, shape: 'star' },
  'fpe-clause-routed': { color: OKABE_ITO.vermillion, shape: 'star' },
  // Sparse Expansion study: pruners, unit selections and layers
  sparsegpt: { color: OKABE_ITO.vermillion, shape: 'diamond' },
  wanda: { color: OKABE_ITO.blue, shape: 'triangle', dash: '8 4' },
  magnitude: { color: OKABE_ITO.green, shape: 'cross', dash: '8 3 2 3' },
  'top-wd': { color: OKABE_ITO.vermillion, shape: 'diamond' },
  random: { color: OKABE_ITO.black, shape: 'circle' },
  mean: { color: OKABE_ITO.orange, shape: 'square' },
  variance: { color: OKABE_ITO.purple, shape: 'star' },
  'bottom-wd': { color: OKABE_ITO.blue, shape: 'triangle' },
  'layers.0': { color: OKABE_ITO.blue, shape: 'circle' },
  'layers.1': { color: OKABE_ITO.orange, shape: 'square', dash: '6 3' },
  'layers.2': { color: OKABE_ITO.green, shape: 'triangle', dash: '2 3' },
};
const SPARE_SHAPES: Shape[] = ['circle', 'square', 'triangle', 'diamond'];

/** The style of a method's series; unknown methods get sky blue with a shape from their name. */
export function methodStyle(method: string): SeriesStyle {
  if (KNOWN[method]) return KNOWN[method];
  const hash = [...method].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 0);
  return { color: OKABE_ITO.skyBlue, shape: SPARE_SHAPES[hash % SPARE_SHAPES.length], dash: '1 3' };
}

/** A neutral style for reference lines (predictions, asymptotes, zero lines). */
export const REFERENCE: SeriesStyle = { color: '#777777', dash: '5 4', shape: 'circle', hollow: true };
