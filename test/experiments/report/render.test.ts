import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildReport,
  CSV_COLUMNS,
  renderCsv,
  renderHtml,
  renderJson,
  renderMarkdown,
  TITLES,
} from '../../../src/experiments/report/index.js';
import { renderFigureSvg } from '../../../src/node/index.js';
import { syntheticRun, trial } from './helpers.js';

const full = buildReport(syntheticRun(3, 40), { generatedAt: '2026-01-01T00:00:00Z' });
const denseOnly = buildReport([trial({ method: 'dense', seed: 0, accuracy: 0.8 })]);
// a chart's own <svg> (legend swatches are small <svg>s of their own)
const charts = (html: string): number => html.match(/<svg[^>]*class="widen-plot"/g)?.length ?? 0;
const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

describe('renderHtml', () => {
  const html = renderHtml(full, renderFigureSvg);

  it('is one self-contained page: no scripts, no external or src= references', () => {
    assert.ok(html.startsWith('<!doctype html>'));
    assert.doesNotMatch(html, /http/i);
    assert.doesNotMatch(html, /\ssrc=/i);
    assert.doesNotMatch(html, /<script|<link|@import|url\(/i);
  });

  it('closes every svg, section, figure and table it opens', () => {
    for (const tag of ['svg', 'section', 'figure', 'table', 'details', 'html', 'body']) {
      const open = html.match(new RegExp(`<${tag}[\\s>]`, 'g'))?.length ?? 0;
      const close = html.match(new RegExp(`</${tag}>`, 'g'))?.length ?? 0;
      assert.equal(open, close, `<${tag}> opened ${open} times, closed ${close} times`);
    }
    // headline, gain, 2 fold, 2 collision (α swept at m = 16 and 32), Wasserstein, curves
    assert.equal(charts(html), 8);
  });

  it('contains each section title and a caption per chart', () => {
    for (const title of Object.values(TITLES)) assert.ok(html.includes(`<h2>${escapeHtml(title)}</h2>`), `missing section "${title}"`);
    assert.equal(html.match(/<figcaption>/g)?.length, 8);
    assert.match(html, /different generators/i);
  });

  it('renders a dense-only run with one-line notes instead of charts', () => {
    const page = renderHtml(denseOnly, renderFigureSvg);
    assert.equal(page.match(/<p class="note">/g)?.length, 7);
    assert.equal(charts(page), 1);
    for (const title of Object.values(TITLES)) assert.ok(page.includes(escapeHtml(title)));
  });

  it('escapes method names and titles', () => {
    const r = buildReport([trial({ method: 'dense', seed: 0, accuracy: 0.8 }), trial({ method: '<b>&x', seed: 0, accuracy: 0.9 })], {
      title: 'a <i>b</i> & c',
    });
    const page = renderHtml(r, renderFigureSvg);
    assert.ok(!page.includes('<b>&x') && !page.includes('<i>b</i>'));
    assert.ok(page.includes('&lt;b&gt;&amp;x'));
    assert.ok(page.includes('<title>a &lt;i&gt;b&lt;/i&gt; &amp; c</title>'));
  });
});

describe('renderMarkdown, renderJson, renderCsv', () => {
  it('Markdown has every section, its tables and escaped labels', () => {
    const md = renderMarkdown(full);
    for (const title of Object.values(TITLES)) assert.ok(md.includes(`## ${title}`), `missing "${title}"`);
    assert.match(md, /\| method \| seeds \| mean accuracy \| 95% CI \| vs dense \|/);
    const odd = renderMarkdown(buildReport([trial({ method: 'a|<b>', seed: 0, accuracy: 0.5 })]));
    assert.ok(odd.includes('a\\|&lt;b&gt;') && !odd.includes('<b>'));
  });

  it('JSON is the Report, with a cells array of fractions', () => {
    const json = JSON.parse(renderJson(full));
    assert.equal(json.trials, full.trials);
    assert.equal(json.cells.length, full.cells.length);
    for (const c of json.cells) {
      for (const k of ['mode', 'n', 'm', 'k', 'h', 'alpha', 'method', 'seeds', 'mean', 'lo', 'hi']) assert.ok(k in c, `cell lacks ${k}`);
      assert.ok(c.mean >= 0 && c.mean <= 1);
    }
    assert.equal(JSON.parse(renderJson(denseOnly)).fold.note, 'No cell has both a dense baseline and an FPE method.');
  });

  it('CSV has a header and one row per cell × method, quoting odd fields', () => {
    const lines = renderCsv(full).trimEnd().split('\r\n');
    assert.equal(lines[0], CSV_COLUMNS.join(','));
    assert.equal(lines.length, full.cells.length + 1);
    assert.match(lines[1], /^which-clause,32,4,3,8,1,dense,3,0\.\d+,0\.\d+,0\.\d+,0\.\d+$/);
    const odd = renderCsv(buildReport([trial({ method: 'a,"b"', seed: 0, accuracy: 0.5 })])).split('\r\n')[1];
    assert.equal(odd, 'which-clause,32,16,3,8,2,"a,""b""",1,0.5,,,');
  });
});
