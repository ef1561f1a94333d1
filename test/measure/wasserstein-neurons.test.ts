import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/engine/index.js';
import {
  clusterWeightedWasserstein,
  hiddenPreActivations,
  mappingDifficulty,
  rankDescending,
  spearman,
  unitWasserstein,
  wassersteinNeurons,
  wassersteinShift,
  wassersteinToNormal,
} from '../../src/measure/index.js';
import { MLP } from '../../src/nn/index.js';

const model = MLP.create({ sizes: [6, 12, 10, 3], activation: 'relu', seed: 2 });
const rng = new Rng(4);
const data = { x: Float32Array.from({ length: 200 * 6 }, () => rng.normal() + (rng.float() < 0.3 ? 3 : 0)), size: 200 };

describe('wassersteinNeurons', () => {
  const layers = wassersteinNeurons(model, data, { pairs: 256 });

  it('ranks each hidden layer by unitWasserstein of its pre-activations, highest first', () => {
    assert.deepEqual(
      layers.map((l) => [l.layer, l.units]),
      [
        [0, 12],
        [1, 10],
      ],
    );
    for (const l of layers) {
      const want = unitWasserstein(hiddenPreActivations(model, data, l.layer), l.units, data.size);
      assert.deepEqual(l.wd, want);
      for (let i = 1; i < l.units; i++) assert.ok(want[l.ranking[i - 1]] >= want[l.ranking[i]]);
      assert.deepEqual(
        [...l.ranking].sort((a, b) => a - b),
        Array.from({ length: l.units }, (_, i) => i),
      );
    }
  });

  it('reports mean, variance, weight magnitude and mapping difficulty per unit', () => {
    const l = layers[0];
    const z = hiddenPreActivations(model, data, 0);
    const y = z.subarray(3 * data.size, 4 * data.size);
    const m = y.reduce((s, v) => s + v, 0) / data.size;
    assert.ok(Math.abs(l.mean[3] - m) < 1e-9);
    assert.ok(Math.abs(l.variance[3] - y.reduce((s, v) => s + (v - m) ** 2, 0) / data.size) < 1e-9);
    const w = model.layers[0].weight().subarray(3 * 6, 4 * 6);
    assert.ok(Math.abs(l.magnitude[3] - w.reduce((s, v) => s + Math.abs(v), 0) / 6) < 1e-7);
    assert.equal(l.unitDifficulty[3], mappingDifficulty(data.x, y, data.size, { pairs: 256 }));
    assert.ok(Number.isFinite(l.difficulty) && l.difficulty > 0);
  });
});

describe('rank helpers', () => {
  it('rankDescending breaks ties by index; spearman is 1 for monotone, -1 for reversed, averages tied ranks', () => {
    assert.deepEqual([...rankDescending([1, 3, 3, 0])], [1, 2, 0, 3]);
    assert.equal(spearman([1, 2, 3, 4], [10, 20, 25, 100]), 1);
    assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
    // scipy.stats.spearmanr([1, 2, 2, 3], [1, 3, 2, 4]).statistic = 0.9486832980505139
    assert.ok(Math.abs(spearman([1, 2, 2, 3], [1, 3, 2, 4]) - 0.9486832980505139) < 1e-12);
  });
});

describe('clusterWeightedWasserstein and wassersteinShift', () => {
  it('weights each cluster WD by its share of the samples', () => {
    const size = 9;
    const pre = Float32Array.from({ length: 2 * size }, (_, i) => Math.sin(i * 1.7) + (i % 3 === 0 ? 4 : 0));
    const labels = Int32Array.from([0, 0, 0, 1, 1, 1, 1, 2, 2]);
    const got = clusterWeightedWasserstein(pre, 2, size, labels);
    for (let u = 0; u < 2; u++) {
      const row = pre.subarray(u * size, (u + 1) * size);
      const want =
        (3 / 9) * wassersteinToNormal(row.subarray(0, 3)) +
        (4 / 9) * wassersteinToNormal(row.subarray(3, 7)) +
        (2 / 9) * wassersteinToNormal(row.subarray(7, 9));
      assert.ok(Math.abs(got[u] - want) < 1e-12);
    }
    // one cluster is the plain WD
    assert.deepEqual(clusterWeightedWasserstein(pre, 2, size, new Int32Array(size)), unitWasserstein(pre, 2, size));
    assert.throws(
      () => clusterWeightedWasserstein(pre, 2, size, new Int32Array(3)),
      /labels must be an Int32Array of 9 cluster indices >= 0, got 3/,
    );
  });

  it('counts drops and takes the median relative change over the listed units', () => {
    const shift = wassersteinShift([1, 2, 4, 8], [0.5, 3, 2, 8], [0, 1, 2]);
    assert.deepEqual(shift, { units: 3, fractionDropped: 2 / 3, medianChange: -0.5 });
  });
});
