import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { collisionChart, headlineChart } from '../../../src/experiments/report/charts.js';
import { el, escapeXml, px, text } from '../../../src/experiments/report/svg/escape.js';
import { plot } from '../../../src/experiments/report/svg/plot.js';
import { bandScale, linearScale, logScale, niceDomain, niceTicks } from '../../../src/experiments/report/svg/scale.js';
import { meanCi } from '../../../src/math/index.js';

// Snapshot tests in the manner of Observable Plot's test/output/*.svg: each chart is drawn from
// fixed data and compared with the stored SVG text. After an intended change, rewrite them with
//   UPDATE_SNAPSHOTS=1 npm test
// and look at the new files (they open in a browser once wrapped in an <html> page).
const DIR = fileURLToPath(new URL('../../fixtures/report/', import.meta.url));

function snapshot(name: string, svg: string): void {
  const path = `${DIR}${name}.svg`;
  if (process.env.UPDATE_SNAPSHOTS === '1') {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(path, `${svg}\n`);
    return;
  }
  assert.ok(existsSync(path), `no snapshot ${path}; run with UPDATE_SNAPSHOTS=1 to create it`);
  assert.equal(
    `${svg}\n`,
    readFileSync(path, 'utf8'),
    `${name}.svg differs from its snapshot; rerun with UPDATE_SNAPSHOTS=1 if the change is intended`,
  );
}

const cell = { mode: 'which-clause', n: 32, m: 16, k: 3, h: 8, alpha: 2 };

describe('chart snapshots', () => {
  it('headline: bars with 95% CI whiskers', () => {
    const methods = [
      { method: 'dense', ...meanCi([0.8, 0.82, 0.78, 0.8]) },
      { method: 'sparse-init', ...meanCi([0.85, 0.86, 0.84, 0.85]) },
      { method: 'fpe-random', ...meanCi([0.9, 0.91, 0.89, 0.9]) },
      { method: 'fpe-clause', ...meanCi([0.95, 0.97, 0.95, 0.97]) },
    ];
    snapshot('headline', headlineChart({ cell, methods }).svg);
  });

  it('collisions: log scale, prediction, α^−(2k−1) slope and a zero on the floor', () => {
    const { alpha: _, ...base } = cell;
    const rows = [2, 4].flatMap((alpha) => [
      {
        method: 'fpe-random',
        alpha,
        measured: meanCi(alpha === 2 ? [1.0, 1.1, 1.2] : [0.003, 0.004, 0.005]),
        predicted: alpha === 2 ? 1.06 : 0.0037,
        asymptotic: alpha ** -5,
      },
      { method: 'fpe-clause', alpha, measured: meanCi([0, 0, 0]), predicted: null, asymptotic: alpha ** -5 },
    ]);
    snapshot('collisions', collisionChart({ base, rows }).svg);
  });
});

describe('svg primitives', () => {
  it('ticks fall on 1-2-5 steps without float drift', () => {
    assert.deepEqual(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(niceTicks(0.1, 0.7, 3), [0.2, 0.4, 0.6]);
    assert.deepEqual(niceTicks(-1, 1, 4), [-1, -0.5, 0, 0.5, 1]);
    assert.deepEqual(niceDomain(0.13, 0.87), [0, 1]);
    assert.deepEqual(niceDomain(3, 3), [1.5, 4.5]);
    const x = linearScale([0, 1], [0, 100]);
    assert.deepEqual(x.ticks().map(x.format), ['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    assert.equal(x.map(0.25), 25);
    assert.equal(x.map(2), 100, 'clamped to the range');
  });

  it('log scale: decade ticks, non-positive values clamp to the floor', () => {
    const y = logScale([0.001, 10], [300, 0]);
    assert.deepEqual(y.ticks(), [0.001, 0.01, 0.1, 1, 10]);
    assert.equal(y.map(0), 300);
    assert.equal(y.map(0.1), 150);
    assert.deepEqual(logScale([1, 10], [0, 1]).ticks(), [1, 2, 5, 10]);
  });

  it('band scale centres categories', () => {
    const b = bandScale(['a', 'b'], [0, 100]);
    assert.deepEqual([b.map('a'), b.map('b'), b.bandwidth], [25, 75, 35]);
  });

  it('escapes text and attribute values, rounds coordinates', () => {
    assert.equal(escapeXml(`<a href="x">&'`), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
    assert.equal(el('rect', { x: 1.23456, fill: '"red"', stroke: undefined }), '<rect x="1.23" fill="&quot;red&quot;"/>');
    assert.equal(text(0, 0, '<&>'), '<text x="0" y="0">&lt;&amp;&gt;</text>');
    assert.equal(px(-0.001), '0');
  });

  it('plot escapes titles, labels, categories and legend text', () => {
    const svg = plot({
      title: 'T <1>',
      x: { type: 'band', label: 'x & y', domain: ['<m>'] },
      y: { type: 'linear', label: 'y "q"', domain: [0, 1] },
      marks: [{ type: 'bar', data: [{ x: '<m>', y: 0.5, style: { color: '#000' } }] }],
      legend: [{ label: '<leg>', style: { color: '#000' }, swatch: 'box' }],
    });
    for (const raw of ['<1>', 'x & y', '<m>', '<leg>']) assert.ok(!svg.includes(raw), `unescaped ${raw}`);
    assert.ok(svg.includes('T &lt;1&gt;') && svg.includes('x &amp; y') && svg.includes('&lt;leg&gt;'));
    assert.equal(svg.match(/<svg[\s>]/g)?.length, 1);
    assert.ok(svg.endsWith('</svg>'));
  });
});
