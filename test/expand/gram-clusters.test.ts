import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/engine/index.js';
import { gramClusters } from '../../src/expand/gram-clusters.js';

describe('gramClusters is bit-identical to its own k-means before issue 9', () => {
  // labels pinned from expand/kmeans.ts (before fitKMeans took it over), and the caller's generator
  // left in the same state: the same draws, in the same order
  const gen = new Rng(7);
  for (let i = 0; i < 120; i++) gen.normal();
  const weight = Float32Array.from({ length: 6 * 16 }, () => (gen.float() < 0.5 ? 0 : gen.normal()));
  for (const [distance, iterations, labels] of [
    ['abs-cosine', 1, '0111201010331311'],
    ['abs-cosine', 50, '0121301020331311'],
    ['cosine', 1, '0000112111333200'],
    ['cosine', 50, '0000112111333200'],
  ] as const) {
    it(`${distance}, ${iterations} iteration(s)`, () => {
      const rng = new Rng(3);
      const got = gramClusters(weight, 6, 16, { k: 4, distance, restarts: 3, iterations, rng });
      assert.equal(Array.from(got).join(''), labels);
      assert.equal(rng.nextU32(), 2297788264);
    });
  }
});
