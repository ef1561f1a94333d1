import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fitKMeans, fitPca, symmetricEigen } from '../../src/prune/sparse-expansion/index.js';

interface Fixture {
  pca: { size: number; d: number; dim: number; x: number[]; mean: number[]; components: number[]; explained_variance: number[] };
  kmeans: Array<{ name: string; k: number; n_init: number; size: number; d: number; x: number[]; inertia: number }>;
}
// scripts/fixtures/make_sparse_expansion_fixture.py: scikit-learn's PCA (full SVD) and KMeans (n_init, random_state 0)
const fixture = JSON.parse(readFileSync(new URL('../fixtures/sparse-expansion.json', import.meta.url), 'utf8')) as Fixture;

/** The orthogonal projector VᵀV [d, d] onto the row space of v [k, d]. */
function projector(v: ArrayLike<number>, k: number, d: number): Float64Array {
  const p = new Float64Array(d * d);
  for (let c = 0; c < k; c++) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) p[i * d + j] += v[c * d + i] * v[c * d + j];
  return p;
}

describe('fitPca agrees with scikit-learn', () => {
  const { size, d, dim } = fixture.pca;
  const pca = fitPca(Float32Array.from(fixture.pca.x), size, d, dim);

  it('same mean and explained variance (1e-9 relative)', () => {
    for (const [j, m] of pca.mean.entries()) assert.ok(Math.abs(m - fixture.pca.mean[j]) < 1e-9 * (1 + Math.abs(m)), `mean[${j}]`);
    pca.explainedVariance.forEach((v, c) => {
      const want = fixture.pca.explained_variance[c];
      assert.ok(Math.abs(v - want) < 1e-9 * want, `variance[${c}] ${v} vs ${want}`);
    });
  });

  it('same subspace: projector difference < 1e-6, and each axis equal up to sign', () => {
    const mine = projector(pca.components, dim, d);
    const theirs = projector(fixture.pca.components, dim, d);
    const diff = Math.max(...mine.map((v, i) => Math.abs(v - theirs[i])));
    assert.ok(diff < 1e-6, `projector difference ${diff}`);
    for (let c = 0; c < dim; c++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += pca.components[c * d + j] * fixture.pca.components[c * d + j];
      assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9, `axis ${c}: |cos| = ${Math.abs(dot)}`);
    }
  });
});

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

describe('symmetricEigen', () => {
  it('reconstructs a random symmetric matrix: A = Σ λ v vᵀ, orthonormal vectors, descending values', () => {
    const n = 9;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = Math.sin(3 * i + 7 * j + 1);
    const { values, vectors } = symmetricEigen(a, n);
    for (let i = 1; i < n; i++) assert.ok(values[i] <= values[i - 1]);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let rec = 0;
        let dot = 0;
        for (let k = 0; k < n; k++) {
          rec += values[k] * vectors[k * n + i] * vectors[k * n + j];
          dot += vectors[i * n + k] * vectors[j * n + k];
        }
        assert.ok(Math.abs(rec - a[i * n + j]) < 1e-12, `A[${i},${j}]`);
        assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-12, `orthonormal ${i},${j}`);
      }
    }
  });
});
