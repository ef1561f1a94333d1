import type { Block } from './block.js';
import { reportBlocks } from './blocks.js';
import { escapeXml as esc } from './escape.js';
import type { FigureRenderer } from './figure-spec.js';
import type { Report } from './report-types.js';
import type { Table } from './tables.js';

// Inline and offline: no fonts, scripts or images to fetch; the page opens from a file anywhere.
const CSS = `
:root { color-scheme: light; }
body { margin: 0; background: #fafafa; color: #222; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 24px 28px 64px; background: #fff; }
h1 { font-size: 1.7rem; margin: 0.2em 0; }
h2 { font-size: 1.3rem; margin: 2em 0 0.5em; padding-top: 0.6em; border-top: 1px solid #ddd; }
h3 { font-size: 1rem; margin: 1.2em 0 0.4em; }
.meta { color: #555; margin: 0; }
nav ol { columns: 2; padding-left: 1.4em; }
nav a, a { color: #0061a8; }
.note { background: #fff7e0; border-left: 4px solid #e69f00; padding: 6px 12px; margin: 0.6em 0; }
figure { margin: 1em 0; }
figure svg { max-width: 100%; height: auto; display: block; }
.widen-plot-figure { margin: 0; }
.widen-plot-figure h2 { font-size: 0.95rem; margin: 0 0 0.3em; padding: 0; border: 0; }
.widen-plot-swatches { font-size: 12px; }
figcaption { color: #444; font-size: 0.9rem; max-width: 72ch; }
table { border-collapse: collapse; margin: 0.4em 0 1em; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid #e6e6e6; text-align: right; }
th { background: #f2f2f2; }
th.t, td.t { text-align: left; }
tr.highlight td { background: #eaf3fb; font-weight: 600; }
details summary { cursor: pointer; color: #0061a8; }
`;

// Numbers line up on the right; a column holding any word (a method, a cell label) reads from the left.
const NUMERIC = /^([[(]?[−+±-]?\d|–$)/;

function table(t: Table): string {
  const text = t.head.map((_, j) => t.rows.some((r) => !NUMERIC.test(r[j] ?? '')));
  const cls = (j: number): string => (text[j] ? ' class="t"' : '');
  const head = `<tr>${t.head.map((h, j) => `<th${cls(j)}>${esc(h)}</th>`).join('')}</tr>`;
  const cells = (r: string[]): string => r.map((c, j) => `<td${cls(j)}>${esc(c)}</td>`).join('');
  const rows = t.rows.map((r, i) => `<tr${i === t.highlight ? ' class="highlight"' : ''}>${cells(r)}</tr>`);
  return `<table><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function section(b: Block, draw: FigureRenderer): string {
  const parts = [`<section id="${esc(b.id)}">`, `<h2>${esc(b.title)}</h2>`];
  if (b.note) parts.push(`<p class="note">${esc(b.note)}</p>`);
  for (const p of b.paragraphs) parts.push(`<p>${esc(p)}</p>`);
  // the drawing is DOM-serialised markup (Plot escapes its text); captions are escaped here
  for (const f of b.figures()) parts.push(`<figure>${draw(f.spec)}<figcaption>${esc(f.caption)}</figcaption></figure>`);
  for (const t of b.tables) {
    const body = `<h3>${esc(t.title)}</h3>${table(t.table)}`;
    parts.push(t.collapsed ? `<details><summary>${esc(t.title)} (${t.table.rows.length} rows)</summary>${table(t.table)}</details>` : body);
  }
  parts.push('</section>');
  return parts.join('\n');
}

/**
 * The report as one self-contained HTML page: inline CSS and inline SVG charts, no scripts and
 * no external references, so it opens offline. `draw` turns each figure spec into markup.
 *
 * @example
 * renderHtml(report, renderFigureSvg); // Node: figures drawn with linkedom
 */
export function renderHtml(report: Report, draw: FigureRenderer): string {
  const meta = [
    `${report.trials} trial${report.trials === 1 ? '' : 's'}`,
    `experiments: ${report.experiments.join(', ') || '–'}`,
    `methods: ${report.methods.join(', ') || '–'}`,
    report.generatedAt ? `generated ${report.generatedAt}` : '',
  ];
  return renderPage(report.title, meta, reportBlocks(report), draw);
}

/** Any study's blocks as one self-contained HTML page (see renderHtml), under `title` and a line of `meta` facts. */
export function renderPage(title: string, meta: readonly string[], blocks: readonly Block[], draw: FigureRenderer): string {
  const toc = blocks
    .map((b) => `<li><a href="#${esc(b.id)}">${esc(b.title)}</a>${b.note && !b.tables.length ? ' (absent)' : ''}</li>`)
    .join('');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<header><h1>${esc(title)}</h1><p class="meta">${esc(meta.filter(Boolean).join(' · '))}</p></header>`,
    `<nav><ol>${toc}</ol></nav>`,
    ...blocks.map((b) => section(b, draw)),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
