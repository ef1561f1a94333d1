import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ConfigError, ShapeError } from '../../src/engine/index.js';
import { argmaxAccuracy, binaryAccuracy, multiLabelMetrics, taskMetrics } from '../../src/measure/index.js';

interface MultiLabelFixture {
  size: number;
  outputs: number;
  logits: number[];
  targets: number[];
  accuracy: number;
  exactMatch: number;
  macroF1: number;
  f1: number[];
}
// scripts/fixtures/make_measure_fixture.py (sklearn, zero_division=1)
const fixture = JSON.parse(readFileSync(new URL('../fixtures/measure-multilabel.json', import.meta.url), 'utf8')) as MultiLabelFixture;

describe('task metrics', () => {
  it('which-clause: argmax accuracy, first index on ties', () => {
    const logits = new Float32Array([0.1, 0.9, 0.0, /**/ 2, 2, 1, /**/ -1, -3, -2]);
    assert.equal(argmaxAccuracy(logits, new Int32Array([1, 0, 0]), 3), 1);
    assert.equal(argmaxAccuracy(logits, new Int32Array([1, 1, 2]), 3), 1 / 3);
    assert.deepEqual(taskMetrics('which-clause', logits, new Int32Array([1, 0, 2]), 3), { accuracy: 2 / 3 });
  });

  it('dnf: sigmoid(logit) > 0.5 against targets >= 0.5', () => {
    const logits = new Float32Array([2, -1, 0, 0.5]);
    assert.equal(binaryAccuracy(logits, new Float32Array([1, 0, 0, 0])), 3 / 4);
    assert.deepEqual(taskMetrics('dnf', logits, new Float32Array([1, 0, 1, 1]), 1), { accuracy: 3 / 4 });
  });

  it('multi-label: matches sklearn (mean per-output accuracy, exact match, macro-F1 with zero_division=1)', () => {
    const got = multiLabelMetrics(Float32Array.from(fixture.logits), Float32Array.from(fixture.targets), fixture.outputs);
    assert.ok(Math.abs(got.accuracy - fixture.accuracy) < 1e-12);
    assert.ok(Math.abs(got.exactMatch - fixture.exactMatch) < 1e-12);
    assert.ok(Math.abs(got.macroF1 - fixture.macroF1) < 1e-12);
    fixture.f1.forEach((f, c) => {
      assert.ok(Math.abs(got.f1[c] - f) < 1e-12, `F1 of output ${c}: ${got.f1[c]} vs ${f}`);
    });
    assert.equal(got.f1[4], 1, 'no positives and none predicted: F1 = 1');
    assert.equal(got.f1[3], 0, 'positives but none predicted: F1 = 0');
  });

  it('multi-label: a hand case through taskMetrics', () => {
    // 2 samples x 2 outputs: sample 0 all right, sample 1 all wrong; output 0 has a TP and an FN
    // (F1 2/3), output 1 a TN and an FP (F1 0)
    const m = taskMetrics('multi-label', new Float32Array([1, -1, -1, 1]), new Float32Array([1, 0, 1, 0]), 2);
    assert.deepEqual(m, { accuracy: 0.5, exactMatch: 0.5, macroF1: 1 / 3 });
  });

  it('refuses mismatched shapes, the wrong label type and an unknown mode', () => {
    assert.throws(
      () => argmaxAccuracy(new Float32Array(5), new Int32Array(2), 3),
      (e) => e instanceof ShapeError && /^argmaxAccuracy logits must hold size x outputs = 2 x 3 values, got 5$/.test(e.message),
    );
    assert.throws(
      () => taskMetrics('which-clause', new Float32Array(2), new Float32Array(2), 1),
      (e) => e instanceof ShapeError && /^taskMetrics mode 'which-clause' needs y as an Int32Array of labels$/.test(e.message),
    );
    assert.throws(
      () => taskMetrics('dnf', new Float32Array(4), new Float32Array(4), 2),
      (e) => e instanceof ConfigError && /^mode 'dnf' has one output, got outputs = 2$/.test(e.message),
    );
    assert.throws(
      () => taskMetrics('cnf' as never, new Float32Array(4), new Float32Array(4), 1),
      (e) => e instanceof ConfigError && /^unknown task mode "cnf"; allowed: which-clause, multi-label, dnf$/.test(e.message),
    );
  });
});
