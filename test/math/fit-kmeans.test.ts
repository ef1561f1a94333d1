import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Rng } from '../../src/engine/index.js';
import { fitKMeans } from '../../src/math/index.js';

interface Fixture {
  kmeans: Array<{ name: string; k: number; n_init: number; size: number; d: number; x: number[]; inertia: number }>;
}
// scripts/fixtures/make_sparse_expansion_fixture.py: scikit-learn's PCA (full SVD) and KMeans (n_init, random_state 0)
const fixture = JSON.parse(readFileSync(new URL('../fixtures/sparse-expansion.json', import.meta.url), 'utf8')) as Fixture;

describe('fitKMeans reaches scikit-learn inertia', () => {
  for (const c of fixture.kmeans) {
    it(`${c.name}: k=${c.k}, ${c.n_init} restarts, inertia within 1% of scikit-learn's best`, () => {
      const fit = fitKMeans(Float64Array.from(c.x), c.size, c.d, { k: c.k, restarts: c.n_init, seed: 0 });
      assert.ok(fit.inertia <= c.inertia * 1.01, `inertia ${fit.inertia} vs scikit-learn ${c.inertia}`);
      // the reported inertia is that of the returned labels and centroids
      let inertia = 0;
      for (let i = 0; i < c.size; i++) {
        for (let j = 0; j < c.d; j++) inertia += (c.x[i * c.d + j] - fit.centroids[fit.labels[i] * c.d + j]) ** 2;
      }
      assert.ok(Math.abs(inertia - fit.inertia) < 1e-9 * inertia);
    });
  }
});

describe('fitKMeans is bit-identical to the two k-means it replaced', () => {
  // labels and inertia pinned from the Euclidean fitKMeans of prune/sparse-expansion (before issue 9)
  const gen = new Rng(7);
  const points = Float64Array.from({ length: 40 * 3 }, (_, i) => gen.normal() + (Math.floor(i / 3) % 4) * 1.5);
  for (const [iterations, labels, inertia] of [
    [2, '3012301231123012311230123122311231223112', 91.5968680737841],
    [300, '3012301231123012311230123022311231223312', 88.87421779672536],
  ] as const) {
    it(`euclidean, ${iterations} iterations: same labels and inertia`, () => {
      const fit = fitKMeans(points, 40, 3, { k: 4, restarts: 3, iterations, seed: 5 });
      assert.equal(Array.from(fit.labels).join(''), labels);
      assert.equal(fit.inertia, inertia);
    });
  }

  it('axial: a point and its negation are one point; members join their centre sign-aligned', () => {
    const points = Float64Array.of(1, 0, -1, 0, 0, 1, 0, -1);
    const fit = fitKMeans(points, 4, 2, { k: 2, metric: 'axial', restarts: 2, iterations: 10, rng: new Rng(1) });
    assert.equal(fit.labels[0], fit.labels[1]);
    assert.equal(fit.labels[2], fit.labels[3]);
    assert.notEqual(fit.labels[0], fit.labels[2]);
    assert.equal(fit.inertia, 0);
  });
});
