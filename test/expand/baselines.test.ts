import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngine } from '../../src/engine/index.js';
import { nnzOf, shareBudget, sparseInit } from '../../src/expand/index.js';
import { MLP } from '../../src/nn/index.js';
import { count } from './helpers.js';

const engine = createEngine({ backend: 'ref' });

describe('baselines at the same nnz', () => {
  it('nnzOf counts the dense weights, which is the dense baseline', () => {
    assert.equal(nnzOf([32, 8, 16]), 384);
    assert.equal(nnzOf([10, 6, 5, 3]), 60 + 30 + 15);
    const dense = MLP.create({ sizes: [32, 8, 16] }, engine);
    assert.equal(dense.nnz(), nnzOf([32, 8, 16]));
    dense.dispose();
  });

  it('shareBudget splits a budget proportionally, exactly, at least one per matrix', () => {
    assert.deepEqual(shareBudget(10, [3, 3, 4]), [3, 3, 4]);
    assert.deepEqual(shareBudget(7, [10, 10, 10]), [3, 2, 2]);
    assert.deepEqual(shareBudget(3, [1, 1000, 1000]), [1, 1, 1]);
    assert.deepEqual(shareBudget(384, [512, 256]), [256, 128]);
  });

  it('sparseInit widens every hidden layer by alpha and keeps exactly the budget', () => {
    for (const sizes of [
      [32, 8, 16],
      [10, 6, 5, 3],
      [10, 6, 5, 4, 3],
    ]) {
      for (const alpha of [1, 2, 3, 4]) {
        for (const nnz of [undefined, sizes.length - 1, 77, nnzOf(sizes)]) {
          const m = sparseInit({ sizes, alpha, nnz, seed: alpha }, engine);
          assert.deepEqual(
            m.sizes(),
            sizes.map((s, i) => (i === 0 || i === sizes.length - 1 ? s : s * alpha)),
          );
          assert.equal(m.nnz(), nnz ?? nnzOf(sizes));
          const shares = shareBudget(
            nnz ?? nnzOf(sizes),
            m.layers.map((l) => l.outFeatures * l.inFeatures),
          );
          assert.deepEqual(
            m.layers.map((l) => count(l.mask())),
            shares,
          );
          m.dispose();
        }
      }
    }
  });

  it('sparseInit is seeded', () => {
    const masks = (seed: number) => {
      const m = sparseInit({ sizes: [32, 8, 16], alpha: 2, seed }, engine);
      const out = m.layers.map((l) => l.mask());
      m.dispose();
      return out;
    };
    assert.deepEqual(masks(1), masks(1));
    assert.notDeepEqual(masks(1), masks(2));
  });
});
