import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportBlocks } from '../../../src/experiments/report/blocks.js';
import { collisionChart, curvesChart, gainChart, headlineChart } from '../../../src/experiments/report/charts.js';
import type { FigureSpec, MarkSpec } from '../../../src/experiments/report/figure-spec.js';
import { buildReport } from '../../../src/experiments/report/index.js';
import { methodStyle } from '../../../src/experiments/report/method-style.js';
import { meanCi } from '../../../src/math/index.js';
import { assertPlainFigures, syntheticRun } from './helpers.js';

// The figure builders turn report data into plot specs: plain data (rows, fields, scales, marks)
// that render-svg.ts draws later. These tests read the specs, not any drawing.

const cell = { mode: 'which-clause', n: 32, m: 16, k: 3, h: 8, alpha: 2 };
const full = buildReport(syntheticRun(3, 40), { generatedAt: '2026-01-01T00:00:00Z' });
const allSpecs = (): FigureSpec[] => reportBlocks(full).flatMap((b) => b.figures().map((f) => f.spec));
const ofType = (s: FigureSpec, type: MarkSpec['type']): MarkSpec[] => s.marks.filter((m) => m.type === type);
const FIELDS = ['x', 'y', 'y1', 'y2', 'title', 'text'] as const;
const CSS_COLOR = /^(#[0-9a-f]{6}|white)$/i;

describe('figure specs of a whole report', () => {
  it('are plain JSON with finite numbers: a round trip through JSON.stringify gives the same spec', () => {
    assert.equal(assertPlainFigures(reportBlocks(full)), 8);
  });

  it('name only fields their rows have, and only series their scales know', () => {
    for (const s of allSpecs()) {
      for (const m of s.marks) {
        for (const row of m.data)
          for (const f of FIELDS) {
            const field = m[f];
            if (field !== undefined) assert.ok(field in row, `${s.title}: ${m.type}.${f} = "${field}" missing from a row`);
          }
        for (const channel of ['stroke', 'fill', 'symbol'] as const) {
          const field = m[channel];
          if (field === undefined || CSS_COLOR.test(field)) continue;
          const scale = channel === 'symbol' ? s.symbol : s.color;
          assert.ok(scale, `${s.title}: ${m.type}.${channel} needs a scale`);
          for (const row of m.data)
            assert.ok(scale.domain.includes(String(row[field])), `${s.title}: series ${row[field]} not in the domain`);
        }
      }
      if (s.color) assert.equal(s.color.range.length, s.color.domain.length);
      if (s.symbol) assert.deepEqual(s.symbol.domain, s.color?.domain);
    }
  });
});

describe('figure builders', () => {
  const methods = [
    { method: 'dense', ...meanCi([0.8, 0.82, 0.78, 0.8]) },
    { method: 'sparse-init', ...meanCi([0.85]) },
    { method: 'fpe-clause', ...meanCi([0.95, 0.97, 0.95, 0.97]) },
  ];

  it('headline: one bar per method in percent, whiskers where there is a CI, house colours', () => {
    const s = headlineChart({ cell, methods }).spec;
    assert.deepEqual(s.x, { type: 'band', label: 'method', domain: ['dense', 'sparse-init', 'fpe-clause'] });
    assert.deepEqual(s.y.domain, [0, 100]);
    const [bars] = ofType(s, 'barY');
    assert.deepEqual(
      bars.data.map((r) => [r.series, r.accuracy]),
      [
        ['dense', 80],
        ['sparse-init', 85],
        ['fpe-clause', 96],
      ],
    );
    assert.deepEqual([bars.x, bars.y, bars.fill, bars.title], ['series', 'accuracy', 'series', 'tip']);
    assert.equal(bars.data[2].tip, 'fpe-clause: 96.0%');
    const [whiskers] = ofType(s, 'ruleX');
    assert.deepEqual(
      whiskers.data.map((r) => r.series),
      ['dense', 'fpe-clause'],
      'one seed: no CI',
    );
    const dense = methods[0];
    assert.deepEqual([whiskers.data[0].lo, whiskers.data[0].hi], [dense.lo! * 100, dense.hi! * 100]);
    assert.deepEqual(
      s.color?.range,
      ['dense', 'sparse-init', 'fpe-clause'].map((m) => methodStyle(m).color),
    );
    assert.equal(s.color?.legend, false, 'the bars are labelled by the axis');
  });

  it('gain: a series per method and α, larger α hollow, dodged apart, zero rule', () => {
    const point = (method: string, alpha: number, gain: number) => ({
      cell: { ...cell, alpha },
      method,
      load: 2,
      gain,
      ci95: 0.01,
      pairs: 3,
    });
    const s = gainChart({ points: [point('fpe-clause', 2, 0.1), point('fpe-clause', 4, 0.2), point('fpe-random', 2, 0.05)] }).spec;
    assert.deepEqual(s.symbol?.domain, ['fpe-clause, α=2', 'fpe-clause, α=4', 'fpe-random, α=2']);
    assert.deepEqual(s.symbol?.range, ['diamond', 'diamond', 'triangle']);
    assert.equal(s.symbol?.legend, true);
    const dots = ofType(s, 'dot');
    assert.deepEqual(
      dots.map((d) => d.fill),
      ['series', 'white', 'series'],
    );
    assert.deepEqual(
      dots.map((d) => d.dx),
      [-7, 0, 7],
    );
    assert.ok(Math.abs((dots[1].data[0].gain as number) - 20) < 1e-9);
    assert.deepEqual(ofType(s, 'ruleY')[0].data, [{ y: 0 }]);
    const whisker = ofType(s, 'ruleX')[0].data[0];
    assert.ok(Math.abs((whisker.lo as number) - 9) < 1e-9 && Math.abs((whisker.hi as number) - 11) < 1e-9);
  });

  it('collisions: log scale over whole decades, zeros kept (clamped to the floor), prediction as a series', () => {
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
    const s = collisionChart({ base, rows }).spec;
    assert.equal(s.y.type, 'log');
    assert.equal(s.y.clamp, true);
    assert.deepEqual(s.y.domain, [0.001, 10]);
    assert.deepEqual(s.y.ticks, [0.001, 0.01, 0.1, 1, 10]);
    assert.deepEqual(s.x.ticks, [2, 4]);
    assert.deepEqual(s.symbol?.domain, ['exact prediction (random split)', 'fpe-random (measured)', 'fpe-clause (measured)']);
    const clause = ofType(s, 'dot').find((d) => d.data[0].series === 'fpe-clause (measured)');
    assert.deepEqual(
      clause?.data.map((r) => r.collisions),
      [0, 0],
      'zero collisions stay in the data',
    );
    const asymptote = ofType(s, 'text')[0];
    assert.equal(asymptote.data[0].label, 'α⁻⁵ per pair ÷ α children');
  });

  it('curves: long curves thinned to the chart width, the split epoch as a labelled rule', () => {
    const epoch = Array.from({ length: 2000 }, (_, i) => i + 1);
    const accuracy = epoch.map((e) => e / 2000);
    const s = curvesChart({ cell, series: [{ method: 'dense', seeds: 2, epoch, accuracy }], splitEpoch: 1000 }).spec;
    const [line] = ofType(s, 'line');
    assert.ok(line.data.length <= 401 && line.data.length >= 300, `${line.data.length} points`);
    assert.deepEqual(line.data.at(-1), { epoch: 2000, accuracy: 100, series: 'dense' }, 'the last epoch is kept');
    assert.deepEqual(ofType(s, 'ruleX')[0].data, [{ x: 1000 }]);
    assert.equal(ofType(s, 'text')[0].data[0].label, 'split (epoch 1000)');
    assert.equal(s.color?.legend, true);
    assert.equal(s.symbol, undefined, 'lines only: the legend shows colours');
  });
});
