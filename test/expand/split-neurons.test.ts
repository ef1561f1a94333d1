import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngine } from '../../src/engine/index.js';
import { type FpeOptions, SPLIT_STRATEGIES, splitBeforeRestore, splitNeurons } from '../../src/expand/index.js';
import { MLP, type SparseLinear } from '../../src/nn/index.js';
import { count, randomModel, snapshot } from './helpers.js';

const engine = createEngine({ backend: 'ref' });
const DEPTHS: Record<number, number[]> = { 1: [10, 6, 3], 2: [10, 6, 5, 3], 3: [10, 6, 5, 4, 3] };
const CLAUSES = [{ vars: [0, 1, 2] }, { vars: [3, 4, 5] }, { vars: [2, 6, 7] }];

/** The parent's [out, in'] mask with each column repeated `dup` times (what a child row partitions). */
function dupColumns(layer: SparseLinear, dup: number): Uint8Array {
  const m = layer.mask();
  const inF = layer.inFeatures * dup;
  return new Uint8Array(layer.outFeatures * inF).map((_, i) => m[Math.floor(i / inF) * layer.inFeatures + Math.floor((i % inF) / dup)]);
}

describe('splitNeurons invariants', () => {
  for (const depth of [1, 2, 3]) {
    for (const alpha of [2, 3, 4]) {
      for (const strategy of SPLIT_STRATEGIES) {
        for (const density of [1, 0.5]) {
          it(`depth ${depth}, alpha ${alpha}, ${strategy}, density ${density}`, () => {
            const parent = randomModel(engine, DEPTHS[depth], { density, seed: depth * 100 + alpha });
            const before = snapshot(parent);
            const options: FpeOptions = { alpha, strategy, clauses: CLAUSES, seed: 5 };
            const r = splitNeurons(parent, options);
            const hidden = depth;
            assert.deepEqual(r.splitLayers, [...Array(hidden).keys()]);
            assert.equal(r.nnzBefore, parent.nnz());
            assert.equal(r.model.nnz(), parent.nnz(), 'nnz after FPE equals nnz before, exactly');
            assert.equal(r.pruned, r.nnzAfterSplit - r.nnzBefore);
            if (strategy !== 'overlap') {
              // each matrix keeps its count, times alpha when its input layer was split
              const grown = parent.layers.reduce((s, l, i) => s + l.nnz * (i > 0 ? alpha : 1), 0);
              assert.equal(r.nnzAfterSplit, grown);
            }
            assert.deepEqual(
              r.model.sizes(),
              parent.sizes().map((s, i) => (i === 0 || i === depth + 1 ? s : s * alpha)),
            );

            r.splitLayers.forEach((k, s) => {
              const p = parent.layers[k];
              const dup = k > 0 ? alpha : 1;
              const inF = p.inFeatures * dup;
              const want = dupColumns(p, dup);
              const got = r.splitMasks[s];
              assert.equal(got.length, alpha * p.outFeatures * inF);
              assert.deepEqual(
                r.parentOf[s],
                Int32Array.from({ length: alpha * p.outFeatures }, (_, c) => Math.floor(c / alpha)),
              );
              for (let row = 0; row < p.outFeatures; row++) {
                const parentRow = want.subarray(row * inF, (row + 1) * inF);
                const children = Array.from({ length: alpha }, (_, j) =>
                  got.subarray((row * alpha + j) * inF, (row * alpha + j + 1) * inF),
                );
                const cover = parentRow.map((_, c) => children.reduce((t, ch) => t + ch[c], 0));
                for (let c = 0; c < inF; c++) {
                  assert.equal(cover[c] > 0 ? 1 : 0, parentRow[c], `layer ${k} row ${row}: the union of the children is the parent's row`);
                  if (strategy !== 'overlap') assert.ok(cover[c] <= 1, `layer ${k} row ${row} col ${c}: children are disjoint`);
                }
                if (strategy === 'overlap') assert.ok(count(parentRow) < cover.reduce((a, v) => a + v, 0), 'overlap groups overlap');
              }
              // the restore only removes: the final incoming mask is inside the split mask
              const final = r.model.layers[k].mask();
              for (let i = 0; i < final.length; i++) assert.ok(final[i] <= got[i]);
            });

            // every surviving weight is its parent's; biases of split layers are b / alpha
            r.model.layers.forEach((l, i) => {
              const p = parent.layers[i];
              const rowDup = i < hidden ? alpha : 1;
              const colDup = i > 0 ? alpha : 1;
              const [w, m, b] = [l.weight(), l.mask(), l.bias()];
              const [pw, pb] = [p.weight(), p.bias()];
              for (let row = 0; row < l.outFeatures; row++) {
                const pr = Math.floor(row / rowDup);
                assert.equal(b[row], Math.fround(pb[pr] / rowDup));
                for (let c = 0; c < l.inFeatures; c++) {
                  const idx = row * l.inFeatures + c;
                  if (m[idx]) assert.equal(w[idx], pw[pr * p.inFeatures + Math.floor(c / colDup)]);
                  else assert.equal(w[idx], 0);
                }
              }
            });
            assert.deepEqual(snapshot(parent), before, 'the input model is untouched');
            r.model.dispose();
            parent.dispose();
          });
        }
      }
    }
  }
});

describe('the split before the budget restore', () => {
  for (const depth of [1, 2, 3]) {
    for (const strategy of ['random', 'clause', 'gram'] as const) {
      it(`computes the parent's function with identity activation (depth ${depth}, ${strategy})`, () => {
        for (const alpha of [2, 3, 4]) {
          const parent = randomModel(engine, DEPTHS[depth], { density: 0.6, seed: alpha, activation: 'identity' });
          const split = splitBeforeRestore(parent, { alpha, strategy, clauses: CLAUSES, seed: 1 });
          const wide = MLP.fromWeights(split.layers, { activation: 'identity' }, engine);
          assert.ok(wide.nnz() > parent.nnz());
          const x = Float32Array.from({ length: 7 * 10 }, (_, i) => Math.sin(i * 1.7));
          const [want, got] = [parent.predict(x, 7), wide.predict(x, 7)];
          for (let i = 0; i < want.length; i++)
            assert.ok(Math.abs(got[i] - want[i]) <= 1e-5 * (1 + Math.abs(want[i])), `${got[i]} vs ${want[i]}`);
          wide.dispose();
          parent.dispose();
        }
      });
    }
  }

  it("copies the parent's outgoing column to every child and records provenance", () => {
    const parent = randomModel(engine, [8, 5, 4], { seed: 3 });
    const split = splitBeforeRestore(parent, { alpha: 3, seed: 2 });
    const [pw, w] = [parent.layers[1].weight(), split.layers[1].weight];
    for (let o = 0; o < 4; o++) for (let c = 0; c < 15; c++) assert.equal(w[o * 15 + c], pw[o * 5 + Math.floor(c / 3)]);
    assert.deepEqual(split.layers[1].mask, new Uint8Array(60).fill(1));
    assert.deepEqual(
      split.colSource[1],
      Int32Array.from({ length: 15 }, (_, c) => Math.floor(c / 3)),
    );
    assert.deepEqual(
      split.rowSource[1],
      Int32Array.from({ length: 4 }, (_, r) => r),
    );
    assert.deepEqual(split.splitLayers, [0]);
    parent.dispose();
  });

  it('splits only the listed layers, duplicating the columns after each', () => {
    const parent = randomModel(engine, DEPTHS[3], { seed: 4 });
    const r = splitNeurons(parent, { alpha: 2, layers: [2, 0], seed: 1 });
    assert.deepEqual(r.splitLayers, [0, 2]);
    assert.deepEqual(r.model.sizes(), [10, 12, 5, 8, 3]);
    assert.equal(r.model.nnz(), parent.nnz());
    r.model.dispose();
    parent.dispose();
  });
});

describe('splitNeurons on an expanded model', () => {
  it('applies again and still keeps the budget', () => {
    const parent = randomModel(engine, [16, 4, 3], { seed: 6 });
    const once = splitNeurons(parent, { alpha: 2, seed: 1 });
    const twice = splitNeurons(once.model, { alpha: 2, strategy: 'gram', seed: 2 });
    assert.deepEqual(twice.model.sizes(), [16, 16, 3]);
    assert.equal(twice.model.nnz(), parent.nnz());
    for (const m of [twice.model, once.model, parent]) m.dispose();
  });
});

describe('splitNeurons determinism', () => {
  it('gives identical results for the same seed and different random splits for another seed', () => {
    const parent = randomModel(engine, [16, 6, 3], { seed: 9 });
    const run = (seed: number) => {
      const r = splitNeurons(parent, { alpha: 2, seed });
      const out = { masks: r.splitMasks, model: snapshot(r.model) };
      r.model.dispose();
      return out;
    };
    const [a, b, c] = [run(1), run(1), run(2)];
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.masks, c.masks);
    parent.dispose();
  });
});
