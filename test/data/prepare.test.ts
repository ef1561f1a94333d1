import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batches } from '../../src/data/batches.js';
import { labeledData } from '../../src/data/labeled.js';
import { applyStandardizer, fitStandardizer, scalePixels } from '../../src/data/preprocess.js';
import { holdOut, splitIndices } from '../../src/data/split.js';
import { Rng } from '../../src/engine/index.js';
import type { Dataset } from '../../src/nn/index.js';

/** n samples with features [i, 10 * i]; the first half has label 0, the rest cycle through `classes`. */
function ramp(n: number, classes: number): Required<Dataset<Int32Array>> {
  const x = Float32Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? i / 2 : 5 * (i - 1)));
  const y = Int32Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : i % classes));
  return labeledData(x, y, 2, 'ramp', classes);
}

describe('preprocessing', () => {
  it('scales 8-bit pixels to [0, 1] and refuses values that are not pixels', () => {
    const d = labeledData(new Float32Array([0, 51, 255, 127.5]), new Int32Array([0, 1]), 2, 'px');
    assert.deepEqual(scalePixels(d, 'px').x, new Float32Array([0, 0.2, 1, 0.5]));
    const hot = labeledData(new Float32Array([0, 256]), new Int32Array([0]), 2, 'hot');
    assert.throws(() => scalePixels(hot, 'hot.npy'), /^DataError: hot\.npy: value 256 at sample 0 is not an 8-bit pixel/);
  });

  it('standardises with statistics of the train split only', () => {
    const train = labeledData(new Float32Array([1, 10, 3, 10, 5, 10]), new Int32Array([0, 1, 0]), 2, 'train');
    const test = labeledData(new Float32Array([100, 0, 3, 20]), new Int32Array([0, 1]), 2, 'test');
    const s = fitStandardizer(train, 'per-feature');
    assert.deepEqual([...s.mean], [3, 10]);
    // feature 0: population std of [1, 3, 5]; feature 1 is constant, so std 1 (centred, not divided by 0)
    assert.deepEqual([...s.std], [Math.sqrt(8 / 3), 1]);
    applyStandardizer(test, s);
    assert.deepEqual(test.x, new Float32Array([97 / Math.sqrt(8 / 3), -10, 0, 10]));
    applyStandardizer(train, s);
    assert.deepEqual(train.x, new Float32Array([-2 / Math.sqrt(8 / 3), 0, 0, 0, 2 / Math.sqrt(8 / 3), 0]));
  });

  it("'global' uses one mean and std over every train value; 'none' is the identity", () => {
    const train = labeledData(new Float32Array([0, 2, 4, 6]), new Int32Array([0, 0]), 2, 'train');
    const g = fitStandardizer(train, 'global');
    assert.deepEqual([...g.mean, ...g.std], [3, Math.sqrt(5)]);
    const none = fitStandardizer(train, 'none');
    assert.deepEqual(applyStandardizer(train, none).x, new Float32Array([0, 2, 4, 6]));
    const wide = labeledData(new Float32Array(3), new Int32Array(1), 3, 'wide');
    assert.throws(
      () => applyStandardizer(wide, fitStandardizer(train, 'per-feature')),
      /standardizer was fitted on 2 features but the data has 3/,
    );
  });
});

describe('splits', () => {
  it('are seeded, disjoint and complete', () => {
    const y = ramp(101, 3).y;
    const a = splitIndices(y, 3, 0.2, new Rng(7), false);
    const b = splitIndices(y, 3, 0.2, new Rng(7), false);
    const c = splitIndices(y, 3, 0.2, new Rng(8), false);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.held, c.held);
    assert.equal(a.held.length, 20);
    const all = [...a.kept, ...a.held].sort((p, q) => p - q);
    assert.deepEqual(
      all,
      Array.from({ length: 101 }, (_, i) => i),
    );
  });

  it('stratified, hold out the same fraction of every class', () => {
    const d = ramp(200, 4); // class 0 has 100 + 25 samples, classes 1-3 have 25 each
    const { kept, held } = holdOut(d, 0.2, new Rng(1), true, 'validation');
    const count = (part: Required<Dataset<Int32Array>>) => [0, 1, 2, 3].map((k) => part.y.filter((v) => v === k).length);
    assert.deepEqual(count(held!), [25, 5, 5, 5]);
    assert.deepEqual(count(kept), [100, 20, 20, 20]);
    // rows travel with their labels
    for (let i = 0; i < held!.size; i++) {
      const src = held!.x[2 * i];
      assert.equal(held!.x[2 * i + 1], 10 * src);
      assert.equal(held!.y[i], d.y[src]);
    }
    assert.equal(held!.classes, 4);
  });

  it('refuse fractions outside [0, 1) and splits that leave a part empty', () => {
    const d = ramp(3, 1);
    assert.throws(() => holdOut(d, 1, new Rng(0), false, 'test'), /^ConfigError: split fraction must be in \[0, 1\), got 1/);
    assert.throws(() => holdOut(d, 0.1, new Rng(0), false, 'test'), /a test fraction of 0\.1 of 3 samples leaves 3 to keep and 0 held out/);
    assert.equal(holdOut(d, 0, new Rng(0), false, 'test').held, null);
  });
});

describe('batches', () => {
  const d = ramp(10, 2);

  it('cover every sample exactly once per epoch, shuffled by the rng', () => {
    const rng = new Rng(3);
    const orders: number[][] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      const seen: number[] = [];
      const sizes: number[] = [];
      for (const b of batches(d, 4, rng.fork(epoch))) {
        sizes.push(b.size);
        for (let j = 0; j < b.size; j++) {
          seen.push(b.x[2 * j]);
          assert.equal(b.y[j], d.y[b.x[2 * j]], 'label stays with its row');
        }
      }
      assert.deepEqual(sizes, [4, 4, 2]);
      assert.deepEqual(
        [...seen].sort((p, q) => p - q),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      );
      orders.push(seen);
    }
    assert.notDeepEqual(orders[0], orders[1]);
  });

  it('reuse one pair of buffers when shuffling, and give zero-copy views in order without an rng', () => {
    const xs = new Set<ArrayBufferLike>();
    for (const b of batches(d, 3, new Rng(0))) xs.add(b.x.buffer);
    assert.equal(xs.size, 1);
    const views = [...batches(d, 4)];
    assert.ok(views.every((b) => b.x.buffer === d.x.buffer && b.y.buffer === d.y.buffer));
    assert.deepEqual(
      views.map((b) => [...b.y]),
      [[...d.y.subarray(0, 4)], [...d.y.subarray(4, 8)], [...d.y.subarray(8)]],
    );
  });

  it('carry float targets and refuse a bad batch size', () => {
    const reg = { x: new Float32Array([1, 2, 3]), y: new Float32Array([10, 11, 20, 21, 30, 31]), size: 3 };
    for (const b of batches(reg, 2, new Rng(1))) for (let j = 0; j < b.size; j++) assert.equal(b.y[2 * j], 10 * b.x[j]);
    assert.throws(() => batches(reg, 0).next(), /^ConfigError: batchSize must be an integer >= 1, got 0/);
  });
});
