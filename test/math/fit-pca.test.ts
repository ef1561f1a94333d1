import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fitPca, symmetricEigen } from '../../src/math/index.js';
import { correlatedInputs } from '../prune/helpers.js';

/** The sample covariance [d, d] (ddof 1) by the textbook double loop, in float64: the oracle for fitPca's blocked sum. */
function naiveCovariance(x: Float32Array, size: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let t = 0; t < size; t++) for (let j = 0; j < d; j++) mean[j] += x[t * d + j] / size;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let t = 0; t < size; t++) s += (x[t * d + i] - mean[i]) * (x[t * d + j] - mean[j]);
      cov[i * d + j] = s / (size - 1);
    }
  }
  return cov;
}

describe('fitPca', () => {
  // 300 samples: one full block of 256 and a partial one; d = 7 is not a multiple of the 4-wide tiles
  for (const [size, d] of [
    [300, 7],
    [40, 13],
    [5, 9],
  ]) {
    it(`${size} samples x ${d} features: variances and axes of the textbook covariance`, () => {
      const { x } = correlatedInputs(size, d, size + d);
      const pca = fitPca(x, size, d, d);
      const want = symmetricEigen(naiveCovariance(x, size, d), d);
      const top = want.values[0];
      pca.explainedVariance.forEach((v, c) => {
        assert.ok(Math.abs(v - Math.max(0, want.values[c])) < 1e-12 * top, `variance[${c}] ${v} vs ${want.values[c]}`);
      });
      // fewer samples than features leaves a null space, whose axes are not unique
      const distinct = Math.min(d, size - 1);
      for (let c = 0; c < distinct; c++) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += pca.components[c * d + j] * want.vectors[c * d + j];
        assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9, `axis ${c}: |cos| = ${Math.abs(dot)}`);
      }
    });
  }

  it('total variance: the explained variances of all d axes sum to the per-feature variances', () => {
    const [size, d] = [600, 10];
    const { x } = correlatedInputs(size, d, 1);
    const pca = fitPca(x, size, d, d);
    const cov = naiveCovariance(x, size, d);
    let trace = 0;
    for (let j = 0; j < d; j++) trace += cov[j * d + j];
    const sum = pca.explainedVariance.reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(sum - trace) < 1e-12 * trace, `Σ variance ${sum} vs trace ${trace}`);
  });

  it('keeps dim leading axes, unit length, each with its largest-|·| entry positive', () => {
    const [size, d, dim] = [257, 12, 5];
    const { x } = correlatedInputs(size, d, 2);
    const pca = fitPca(x, size, d, dim);
    assert.equal(pca.components.length, dim * d);
    assert.equal(pca.explainedVariance.length, dim);
    for (let c = 0; c < dim; c++) {
      const axis = pca.components.subarray(c * d, (c + 1) * d);
      assert.ok(Math.abs(Math.hypot(...axis) - 1) < 1e-14, `axis ${c} norm`);
      const big = axis.reduce((b, v, j) => (Math.abs(v) > Math.abs(axis[b]) ? j : b), 0);
      assert.ok(axis[big] > 0, `axis ${c}: largest entry ${axis[big]}`);
      if (c > 0) assert.ok(pca.explainedVariance[c] <= pca.explainedVariance[c - 1]);
    }
  });
});

interface Fixture {
  pca: { size: number; d: number; dim: number; x: number[]; mean: number[]; components: number[]; explained_variance: number[] };
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
