import { el, text } from './escape.js';
import { type SeriesStyle, symbol } from './marks.js';

/** One legend entry: a swatch drawn like its series (line, marker or both) and a label. */
export interface LegendItem {
  label: string;
  style: SeriesStyle;
  swatch: 'dot' | 'line' | 'both' | 'box';
}

const ROW = 18;
// An estimate of label width at 12 px; no font metrics offline, so err on the wide side.
const itemWidth = (item: LegendItem): number => 30 + item.label.length * 6.8 + 14;

/** Lays the items out left to right from (x, y), wrapping at `width`; returns markup and the rows used. */
export function legend(items: readonly LegendItem[], x: number, y: number, width: number): { svg: string; rows: number } {
  let cx = x;
  let row = 0;
  const parts: string[] = [];
  for (const item of items) {
    const w = itemWidth(item);
    if (cx > x && cx + w > x + width) {
      cx = x;
      row++;
    }
    const cy = y + row * ROW;
    const s = item.style;
    if (item.swatch === 'box') {
      parts.push(
        el('rect', {
          x: cx + 4,
          y: cy - 6,
          width: 16,
          height: 12,
          fill: s.color,
          'fill-opacity': 0.85,
          stroke: s.color,
          'stroke-dasharray': s.dash,
        }),
      );
    }
    if (item.swatch === 'line' || item.swatch === 'both') {
      parts.push(el('line', { x1: cx, x2: cx + 24, y1: cy, y2: cy, stroke: s.color, 'stroke-width': 2, 'stroke-dasharray': s.dash }));
    }
    if (item.swatch === 'dot' || item.swatch === 'both') {
      parts.push(
        el('path', {
          d: symbol(s.shape ?? 'circle', cx + 12, cy, 4.5),
          fill: s.hollow ? 'white' : s.color,
          stroke: s.color,
          'stroke-width': 1.5,
        }),
      );
    }
    parts.push(text(cx + 30, cy + 4, item.label));
    cx += w;
  }
  return items.length === 0 ? { svg: '', rows: 0 } : { svg: el('g', { class: 'legend' }, parts.join('')), rows: row + 1 };
}
