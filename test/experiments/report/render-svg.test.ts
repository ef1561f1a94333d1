import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { collisionChart, headlineChart } from '../../../src/experiments/report/charts.js';
import type { FigureSpec } from '../../../src/experiments/report/figure-spec.js';
import { renderFigure } from '../../../src/experiments/report/render-svg.js';
import { meanCi } from '../../../src/math/index.js';
import { nodeDocument, renderFigureSvg } from '../../../src/node/index.js';

// The renderer draws specs with Observable Plot into a DOM; in Node that DOM is linkedom's.
// These tests parse the markup back and count what Plot drew.

const cell = { mode: 'which-clause', n: 32, m: 16, k: 3, h: 8, alpha: 2 };
const parse = (html: string): Document => parseHTML(`<html><body>${html}</body></html>`).document as unknown as Document;
// the marks of one kind: Plot labels each mark's <g> with its name
const marks = (doc: Document, label: string, child: string): Element[] =>
  [...doc.querySelectorAll(`g[aria-label="${label}"]`)].flatMap((g) => [...g.querySelectorAll(child)]);

describe('renderFigure', () => {
  const methods = [
    { method: 'dense', ...meanCi([0.8, 0.82, 0.78, 0.8]) },
    { method: 'sparse-init', ...meanCi([0.85]) },
    { method: 'fpe-clause', ...meanCi([0.95, 0.97, 0.95, 0.97]) },
  ];

  it('turns x tick labels by tickRotate and leaves room below the axis for them', () => {
    const spec = headlineChart({ cell, methods }).spec;
    const turned = parse(renderFigureSvg({ ...spec, x: { ...spec.x, tickRotate: -30 } }));
    const labels = [...turned.querySelectorAll('g[aria-label="x-axis tick label"] text')];
    assert.equal(labels.length, 3);
    assert.ok(
      labels.every((t) => /rotate\(-30\)/.test(t.getAttribute('transform') ?? '')),
      'each label turned -30 degrees',
    );
    const plain = parse(renderFigureSvg(spec));
    assert.ok(
      ![...plain.querySelectorAll('g[aria-label="x-axis tick label"] text')].some((t) => /rotate/.test(t.getAttribute('transform') ?? '')),
    );
    const height = (d: Document) => Number(d.querySelector('svg.widen-plot')?.getAttribute('height'));
    assert.equal(height(turned), height(plain), 'same figure height: the plot area gives up the room');
    // the axis sits at the bottom of the plot area: 68 px higher with 110 px of margin than with 42
    const axisY = (d: Document) =>
      Number(
        /translate\([\d.]+,([\d.]+)\)/.exec(d.querySelector('g[aria-label="x-axis tick"] path')?.getAttribute('transform') ?? '')?.[1],
      );
    assert.equal(axisY(plain) - axisY(turned), 68, 'the x axis moves up to make room');
  });

  it('draws a bar chart: one chart <svg>, a rect per bar in its colour, whiskers, title, axis labels and tooltips', () => {
    const html = renderFigureSvg(headlineChart({ cell, methods }).spec);
    const doc = parse(html);
    assert.equal(doc.querySelectorAll('svg.widen-plot').length, 1);
    const bars = marks(doc, 'bar', 'rect');
    assert.equal(bars.length, 3);
    assert.deepEqual(
      bars.map((b) => b.getAttribute('fill')),
      ['#000000', '#E69F00', '#D55E00'],
    );
    assert.equal(marks(doc, 'rule', 'line').length, 2, 'whiskers for the two methods with a CI');
    assert.equal(doc.querySelector('h2')?.textContent, 'Test accuracy by method');
    const axisText = [...doc.querySelectorAll('g[aria-label$="axis label"] text')].map((t) => t.textContent);
    assert.ok(axisText.some((t) => t?.includes('test accuracy (%)')));
    assert.ok(axisText.some((t) => t?.includes('method')));
    assert.deepEqual(
      [...doc.querySelectorAll('g[aria-label="bar"] title')].map((t) => t.textContent),
      ['dense: 80.0%', 'sparse-init: 85.0%', 'fpe-clause: 96.0%'],
    );
    assert.equal(doc.querySelectorAll('.widen-plot-swatch').length, 0, 'no legend: the axis names the bars');
  });

  it('draws a scatter with a symbol legend naming each series, zeros on the log floor', () => {
    const { alpha: _, ...base } = cell;
    const rows = [2, 4].flatMap((alpha) => [
      { method: 'fpe-random', alpha, measured: meanCi([alpha === 2 ? 1 : 0.004, 0.005]), predicted: 0.5, asymptotic: 0 },
      { method: 'fpe-clause', alpha, measured: meanCi([0, 0]), predicted: null, asymptotic: 0 },
    ]);
    const doc = parse(renderFigureSvg(collisionChart({ base, rows }).spec));
    const legend = [...doc.querySelectorAll('.widen-plot-swatch')].map((s) => s.textContent);
    assert.deepEqual(legend, ['exact prediction (random split)', 'fpe-random (measured)', 'fpe-clause (measured)']);
    const dots = marks(doc, 'dot', 'path');
    assert.equal(dots.length, 2 + 2 + 2, 'prediction, fpe-random and fpe-clause at two α each');
    // the two zero dots of fpe-clause sit on the bottom of the frame, like the 0.001 tick
    const ys = (els: Element[]) => els.map((e) => Number(/translate\([^,]+,([^)]+)\)/.exec(e.getAttribute('transform') ?? '')?.[1]));
    const zeros = ys(dots.filter((d) => d.getAttribute('fill') === '#D55E00'));
    const floor = Math.max(...ys([...doc.querySelectorAll('g[aria-label="y-axis tick"] path')]));
    assert.deepEqual(zeros, [floor, floor]);
    const ticks = [...doc.querySelectorAll('g[aria-label="y-axis tick label"] text')].map((t) => t.textContent);
    assert.ok(ticks.includes('0.001') && ticks.includes('1'), `plain tick labels, got ${ticks.join(' ')}`);
    assert.equal(marks(doc, 'line', 'path').length, 1 + 1 + 2, 'asymptote, prediction, one line per method');
  });

  it('escapes text, rounds coordinates, and uses the document it is given', () => {
    const spec: FigureSpec = {
      kind: 'plot',
      title: 'T <1>',
      x: { type: 'band', label: 'x & y', domain: ['<m>'] },
      y: { type: 'linear', label: 'y "q"', domain: [0, 3] },
      color: { domain: ['<m>'], range: ['#000000'], legend: true },
      marks: [{ type: 'barY', data: [{ m: '<m>', v: 1 / 3 }], x: 'm', y: 'v', fill: 'm' }],
      width: 300,
      height: 200,
    };
    const { document } = parseHTML('<html><body></body></html>');
    const html = renderFigure(spec, document as unknown as Document);
    for (const raw of ['<1>', 'x & y', '<m>']) assert.ok(!html.includes(raw), `unescaped ${raw}`);
    assert.ok(html.includes('T &lt;1&gt;') && html.includes('x &amp; y') && html.includes('&lt;m&gt;'));
    assert.doesNotMatch(html, /="[^"]*\d\.\d{3,}/, 'coordinates are rounded to 0.01 px');
    assert.doesNotMatch(html, /<script|https?:/);
    assert.equal(html, renderFigure(spec, nodeDocument()), 'the same drawing in any document');
  });
});
