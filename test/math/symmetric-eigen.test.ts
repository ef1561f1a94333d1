import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '../../src/engine/index.js';
import { symmetricEigen } from '../../src/math/index.js';

/** Relative tolerance of every identity below: a few hundred ulps of ‖A‖_F, for n up to 200. */
const TOL = 1e-13;

/** A random symmetric [n, n] with N(0, 1) entries. */
function randomSymmetric(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.normal();
  return a;
}

/** A random orthogonal [n, n] (rows orthonormal): Gram–Schmidt, twice, on N(0, 1) rows. */
function randomOrthogonal(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const q = Float64Array.from({ length: n * n }, () => rng.normal());
  for (let i = 0; i < n; i++) {
    const row = q.subarray(i * n, (i + 1) * n);
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < i; k++) {
        const prev = q.subarray(k * n, (k + 1) * n);
        const dot = row.reduce((s, v, j) => s + v * prev[j], 0);
        for (let j = 0; j < n; j++) row[j] -= dot * prev[j];
      }
    }
    const norm = Math.hypot(...row);
    for (let j = 0; j < n; j++) row[j] /= norm;
  }
  return q;
}

/** Qᵀ·diag(λ)·Q [n, n] for the rows of q: a symmetric matrix with eigenvalues λ and eigenvectors the rows of q. */
function withSpectrum(lambda: number[], q: Float64Array): Float64Array {
  const n = lambda.length;
  const a = new Float64Array(n * n);
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] += lambda[k] * q[k * n + i] * q[k * n + j];
  return a;
}

/**
 * Asserts the eigendecomposition identities for a [n, n]: descending values, A·v = λ·v for each
 * row v, orthonormal rows, Σλ = trace(A) and Σλ² = ‖A‖_F², each to TOL relative to ‖A‖_F.
 */
function checkIdentities(a: Float64Array, n: number, label: string): { values: Float64Array; vectors: Float64Array } {
  const { values, vectors } = symmetricEigen(a, n);
  assert.equal(values.length, n, `${label}: values`);
  assert.equal(vectors.length, n * n, `${label}: vectors`);
  const frob2 = a.reduce((s, v) => s + v * v, 0);
  const scale = Math.sqrt(frob2) || 1;
  for (let i = 1; i < n; i++) assert.ok(values[i] <= values[i - 1], `${label}: values[${i}] = ${values[i]} > values[${i - 1}]`);
  let residual = 0;
  let orthogonality = 0;
  for (let k = 0; k < n; k++) {
    let r2 = 0;
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let j = 0; j < n; j++) av += a[i * n + j] * vectors[k * n + j];
      r2 += (av - values[k] * vectors[k * n + i]) ** 2;
    }
    residual = Math.max(residual, Math.sqrt(r2) / scale);
    for (let l = 0; l < n; l++) {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += vectors[k * n + j] * vectors[l * n + j];
      orthogonality = Math.max(orthogonality, Math.abs(dot - (k === l ? 1 : 0)));
    }
  }
  assert.ok(residual < TOL, `${label}: max ‖Av − λv‖ / ‖A‖ = ${residual}`);
  assert.ok(orthogonality < TOL, `${label}: max |VVᵀ − I| = ${orthogonality}`);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += a[i * n + i];
  const sum = values.reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(sum - trace) < TOL * scale, `${label}: Σλ = ${sum}, trace = ${trace}`);
  const sum2 = values.reduce((s, v) => s + v * v, 0);
  assert.ok(Math.abs(sum2 - frob2) < TOL * frob2 + Number.MIN_VALUE, `${label}: Σλ² = ${sum2}, ‖A‖_F² = ${frob2}`);
  return { values, vectors };
}

function assertValuesNear(got: Float64Array, want: number[], tol: number, label: string): void {
  assert.equal(got.length, want.length, label);
  for (const [i, w] of want.entries()) assert.ok(Math.abs(got[i] - w) <= tol, `${label}: values[${i}] = ${got[i]}, want ${w}`);
}

describe('symmetricEigen: identities on random symmetric matrices', () => {
  for (const n of [1, 2, 3, 4, 5, 8, 17, 64, 200]) {
    it(`n = ${n}`, () => {
      checkIdentities(randomSymmetric(n, 100 + n), n, `n=${n}`);
    });
  }

  it('n = 0 gives empty arrays', () => {
    const { values, vectors } = symmetricEigen(new Float64Array(0), 0);
    assert.equal(values.length, 0);
    assert.equal(vectors.length, 0);
  });

  it('leaves the input unchanged and is deterministic (bit-identical on a second call)', () => {
    const a = randomSymmetric(30, 7);
    const copy = Float64Array.from(a);
    const first = symmetricEigen(a, 30);
    assert.deepEqual(a, copy);
    assert.deepEqual(symmetricEigen(a, 30), first);
  });
});

describe('symmetricEigen: known spectra', () => {
  it('2 x 2 [[2, 1], [1, 2]] has eigenvalues 3, 1 with vectors (1, ±1)/√2', () => {
    const { values, vectors } = checkIdentities(Float64Array.of(2, 1, 1, 2), 2, '2x2');
    assertValuesNear(values, [3, 1], 1e-15, '2x2');
    assert.ok(Math.abs(Math.abs(vectors[0]) - Math.SQRT1_2) < 1e-15 && Math.abs(vectors[0] - vectors[1]) < 1e-15);
    assert.ok(Math.abs(vectors[2] + vectors[3]) < 1e-15);
  });

  it('repeated eigenvalues: values to 1e-13 and each eigenspace recovered (projector difference < 1e-12)', () => {
    const lambda = [4, 4, 4, 1.5, 1.5, 0, -2, -2, -2, -2, 7];
    const n = lambda.length;
    const q = randomOrthogonal(n, 3);
    const a = withSpectrum(lambda, q);
    const { values, vectors } = checkIdentities(a, n, 'repeated');
    const sorted = [...lambda].sort((x, y) => y - x);
    assertValuesNear(values, sorted, 1e-13 * 7, 'repeated');
    for (const mu of new Set(lambda)) {
      const mine = [...values.keys()].filter((k) => Math.abs(values[k] - mu) < 1e-8);
      const theirs = [...lambda.keys()].filter((k) => lambda[k] === mu);
      assert.equal(mine.length, theirs.length, `multiplicity of ${mu}`);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const p = mine.reduce((s, k) => s + vectors[k * n + i] * vectors[k * n + j], 0);
          const r = theirs.reduce((s, k) => s + q[k * n + i] * q[k * n + j], 0);
          assert.ok(Math.abs(p - r) < 1e-12, `eigenspace of ${mu}: projector[${i}, ${j}] ${p} vs ${r}`);
        }
      }
    }
  });

  it('a diagonal matrix: its sorted diagonal, unit-vector eigenvectors, ties in index order', () => {
    const diag = [0.5, -1, 3, 3, 2, 0];
    const n = diag.length;
    const a = new Float64Array(n * n);
    for (const [i, v] of diag.entries()) a[i * n + i] = v;
    const { values, vectors } = checkIdentities(a, n, 'diagonal');
    assert.deepEqual([...values], [3, 3, 2, 0.5, 0, -1]);
    const index = [2, 3, 4, 0, 5, 1];
    for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) assert.equal(Math.abs(vectors[k * n + j]), j === index[k] ? 1 : 0);
  });

  it('the zero matrix: all eigenvalues 0, orthonormal vectors', () => {
    const { values } = checkIdentities(new Float64Array(16), 4, 'zero');
    assert.deepEqual([...values], [0, 0, 0, 0]);
  });

  it('rank-deficient BᵀB (B is 3 x 12): 3 positive eigenvalues, 9 within 1e-14·‖A‖ of 0', () => {
    const [k, n] = [3, 12];
    const rng = new Rng(11);
    const b = Float64Array.from({ length: k * n }, () => rng.normal());
    const a = new Float64Array(n * n);
    for (let r = 0; r < k; r++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] += b[r * n + i] * b[r * n + j];
    const { values } = checkIdentities(a, n, 'rank 3');
    const norm = Math.sqrt(a.reduce((s, v) => s + v * v, 0));
    for (let i = 0; i < k; i++) assert.ok(values[i] > 1e-3 * norm, `values[${i}] = ${values[i]}`);
    for (let i = k; i < n; i++) assert.ok(Math.abs(values[i]) < 1e-14 * norm, `values[${i}] = ${values[i]}`);
    // the nonzero eigenvalues of BᵀB are those of B·Bᵀ [3, 3]
    const bbt = new Float64Array(k * k);
    for (let r = 0; r < k; r++) for (let s = 0; s < k; s++) for (let j = 0; j < n; j++) bbt[r * k + s] += b[r * n + j] * b[s * n + j];
    assertValuesNear(values.subarray(0, k), [...symmetricEigen(bbt, k).values], 1e-13 * norm, 'rank 3');
  });

  it('tridiagonal (−1, 2, −1) of size 50: eigenvalues 2 − 2cos(kπ/51)', () => {
    const n = 50;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = 2;
      if (i + 1 < n) a[i * n + i + 1] = a[(i + 1) * n + i] = -1;
    }
    const { values } = checkIdentities(a, n, 'tridiagonal');
    const want = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((n - k) * Math.PI) / (n + 1)));
    assertValuesNear(values, want, 1e-13, 'tridiagonal');
  });

  it('scales with the matrix: entries near 1e±150 neither overflow nor underflow', () => {
    const n = 6;
    const a = randomSymmetric(n, 5);
    const base = symmetricEigen(a, n).values;
    for (const scale of [2 ** 500, 2 ** -500]) {
      const scaled = a.map((v) => v * scale);
      const { values } = checkIdentities(scaled, n, `scale ${scale}`);
      for (const [i, v] of values.entries())
        assert.ok(Math.abs(v / scale - base[i]) < 1e-13 * Math.abs(base[0]), `scale ${scale}: values[${i}]`);
    }
  });
});

describe('symmetricEigen: bad input', () => {
  it('a of the wrong length names n x n', () => {
    assert.throws(() => symmetricEigen(new Float64Array(5), 2), {
      name: 'ShapeError',
      message: 'symmetricEigen: a must be a Float64Array of n x n = 4 values (row-major), got 5',
    });
  });

  it('a NaN entry names its position', () => {
    const a = Float64Array.of(1, Number.NaN, Number.NaN, 1);
    assert.throws(() => symmetricEigen(a, 2), {
      name: 'NumericError',
      message: 'symmetricEigen: a[0, 1] is NaN; every entry must be finite',
    });
  });
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
