// Node-only: a small DOM (linkedom) for drawing figures outside a browser. Pages pass their own
// `document` to renderFigure instead; keep this file out of the platform-free core.
import { parseHTML } from 'linkedom';
import type { FigureSpec } from '../../experiments/report/figure-spec.js';
import { renderFigure } from '../../experiments/report/render-svg.js';

let shared: Document | null = null;

/** A DOM document made by linkedom, enough for Observable Plot; one per process, made on first use. */
export function nodeDocument(): Document {
  // linkedom's document implements the parts of the DOM that Plot uses (createElementNS,
  // attributes, outerHTML); its type is its own, hence the cast
  shared ??= parseHTML('<!doctype html><html><body></body></html>').document as unknown as Document;
  return shared;
}

/** A figure spec as SVG markup, drawn in Node (renderFigure with linkedom's document). */
export function renderFigureSvg(spec: FigureSpec): string {
  return renderFigure(spec, nodeDocument());
}
