import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { globalMagnitudePrune, magnitudePrune } from '../../src/prune/index.js';
import { kept, randomLayer } from './helpers.js';

const layer = (weight: number[], out: number, inF: number, mask?: number[]) => ({
  weight: Float32Array.from(weight),
  mask: mask === undefined ? undefined : Uint8Array.from(mask),
  inFeatures: inF,
  outFeatures: out,
});

describe('magnitudePrune', () => {
  it('prunes exactly round(s·out·in) weights of a layer and returns W masked', () => {
    const l = randomLayer(7, 13, 1);
    for (const s of [0, 0.1, 0.5, 0.9, 0.99]) {
      const { mask, weight } = magnitudePrune(l, { sparsity: s });
      assert.equal(kept(mask), 91 - Math.round(s * 91), `sparsity ${s}`);
      weight.forEach((w, i) => {
        assert.equal(w, mask[i] ? l.weight[i] : 0);
      });
    }
  });

  it('keeps the largest |W|, ties going to the lowest flat index', () => {
    // |W| = 3, 1, 2, 1 / 1, 5, 0.5, 2: prune 4 of 8 -> 0.5, then the 1s at 1, 3, 4 (index order)
    const l = layer([3, -1, 2, 1, -1, 5, 0.5, -2], 2, 4);
    assert.deepEqual(Array.from(magnitudePrune(l, { sparsity: 0.5 }).mask), [1, 0, 1, 0, 0, 1, 0, 1]);
    // only two of the three tied 1s go at 3/8 -> round(3) = 3 pruned: 0.5 and the 1s at 1, 3
    assert.deepEqual(Array.from(magnitudePrune(l, { sparsity: 3 / 8 }).mask), [1, 0, 1, 0, 1, 1, 0, 1]);
  });

  it('N:M keeps the n largest of every m consecutive inputs of each row', () => {
    const l = randomLayer(5, 12, 2);
    for (const [n, m] of [
      [2, 4],
      [1, 3],
      [3, 6],
      [4, 4],
    ]) {
      const { mask } = magnitudePrune(l, { nm: { n, m } });
      for (let g = 0; g < 60; g += m) {
        assert.equal(kept(mask, g, g + m), n);
        const group = Array.from(l.weight.subarray(g, g + m), Math.abs);
        const minKept = Math.min(...group.filter((_, t) => mask[g + t]));
        for (let t = 0; t < m; t++) if (!mask[g + t]) assert.ok(group[t] <= minKept);
      }
    }
  });

  it('keeps existing zeros at zero; they count towards the sparsity', () => {
    // mask drops the two largest; sparsity 0.25 (2 of 8) is already met, 0.5 prunes two more
    const l = layer([9, -8, 1, 2, 3, 4, 5, 6], 2, 4, [0, 0, 1, 1, 1, 1, 1, 1]);
    l.weight[0] = 0;
    l.weight[1] = 0;
    assert.deepEqual(Array.from(magnitudePrune(l, { sparsity: 0.25 }).mask), [0, 0, 1, 1, 1, 1, 1, 1]);
    assert.deepEqual(Array.from(magnitudePrune(l, { sparsity: 0.5 }).mask), [0, 0, 0, 0, 1, 1, 1, 1]);
    // N:M with a group already below n kept stays as it is
    assert.deepEqual(Array.from(magnitudePrune(l, { nm: { n: 3, m: 4 } }).mask), [0, 0, 1, 1, 0, 1, 1, 1]);
  });
});

describe('globalMagnitudePrune', () => {
  it('prunes exactly round(s·N) over all layers, more from the layer of small weights', () => {
    const big = randomLayer(6, 10, 3);
    const small = { ...randomLayer(8, 6, 4) };
    small.weight = small.weight.map((w) => w * 0.1);
    for (const s of [0.3, 0.5, 0.9]) {
      const [a, b] = globalMagnitudePrune([big, small], { sparsity: s });
      assert.equal(kept(a.mask) + kept(b.mask), 108 - Math.round(s * 108));
      assert.ok(kept(b.mask) / 48 < kept(a.mask) / 60);
      b.weight.forEach((w, i) => {
        assert.equal(w, b.mask[i] ? small.weight[i] : 0);
      });
    }
  });

  it('breaks ties by the lowest index across layers and honours existing masks', () => {
    const l0 = layer([1, 2, 0, 4], 2, 2, [1, 1, 0, 1]);
    const l1 = layer([1, 2, 3, 4], 1, 4);
    const [a, b] = globalMagnitudePrune([l0, l1], { sparsity: 0.375 });
    // 3 of 8: the masked 0, then the tied 1s of layer 0 and layer 1
    assert.deepEqual(
      [Array.from(a.mask), Array.from(b.mask)],
      [
        [0, 1, 0, 1],
        [0, 1, 1, 1],
      ],
    );
  });
});
