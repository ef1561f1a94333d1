import { NumericError, ShapeError } from '../engine/errors.js';

/** Eigenvalues (descending) and unit eigenvectors (row i belongs to values[i]) of a symmetric matrix. */
export interface SymmetricEigen {
  values: Float64Array;
  /** [n, n] row-major; row i is the eigenvector of values[i]. */
  vectors: Float64Array;
}

/** An off-diagonal entry at most EPS·(|d_i| + |d_{i+1}|) is rounding noise of its neighbours and is set to 0. */
const EPS = Number.EPSILON;
/** QR steps allowed per eigenvalue; Wilkinson shifts converge in 1–2 on average, LAPACK's dsteqr allows 30. */
const MAX_STEPS_PER_VALUE = 30;

/**
 * Eigendecomposition of a symmetric a [n, n] (float64, row-major, not modified; only its lower
 * triangle is read): Householder reduction to tridiagonal form, then implicit QR steps with
 * Wilkinson shifts, accumulating every transformation into the eigenvectors. O(n³), about 1 s for
 * n = 784 on one core; orthonormal to rounding and deterministic (Sparse Expansion's routing relies on it).
 * Example: `symmetricEigen(Float64Array.of(2, 1, 1, 2), 2).values` is [3, 1].
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  checkInput(a, n);
  // T's diagonal and off-diagonal: off[i] = T[i, i+1], off[n − 1] unused
  const [diag, off] = [new Float64Array(n), new Float64Array(n)];
  // eigenvector rows are padded with zeros to np columns, so kernels always go four columns wide
  const np = Math.ceil(n / 4) * 4;
  const qt = tridiagonalize(a, n, np, diag, off);
  diagonalize(diag, off, qt, np);
  return sortDescending(diag, qt, n, np);
}

function checkInput(a: Float64Array, n: number): void {
  const where = 'symmetricEigen';
  if (!Number.isInteger(n) || n < 0) {
    throw new ShapeError(`${where}: n must be an integer >= 0 (the matrix is n x n), got ${n}`, { where: `${where}.n`, got: n });
  }
  if (!(a instanceof Float64Array) || a.length !== n * n) {
    const message = `${where}: a must be a Float64Array of n x n = ${n * n} values (row-major), got ${a?.length}`;
    throw new ShapeError(message, { where: `${where}.a`, got: a?.length, allowed: String(n * n) });
  }
  const bad = a.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    const at = `a[${Math.floor(bad / n)}, ${bad % n}]`;
    throw new NumericError(`${where}: ${at} is ${a[bad]}; every entry must be finite`, { where: `${where}.a`, got: a[bad] });
  }
}

/**
 * Householder reduction A = Q·T·Qᵀ: writes T's diagonal to diag and its off-diagonal to off, and
 * returns Qᵀ [n, n] row-major (rows np wide). Reflector k folds column k below the diagonal onto one entry.
 */
function tridiagonalize(a: Float64Array, n: number, np: number, diag: Float64Array, off: Float64Array): Float64Array {
  // the lower triangle of m is the matrix being reduced; row k right of the diagonal stores reflector k
  const m = Float64Array.from(a);
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    const [r, len] = [k + 1, n - k - 1];
    const v = m.subarray(k * n + r, (k + 1) * n);
    let tail = 0;
    for (let i = 1; i < len; i++) tail = Math.max(tail, Math.abs(m[(r + i) * n + k]));
    const x0 = m[r * n + k];
    off[k] = x0;
    if (tail === 0) {
      // column k is already reduced; a zero reflector is the identity
      v.fill(0);
      continue;
    }
    // v = (x/scale − α·e₁)·√β with α = −sign(x₀)·‖x/scale‖ and β = 2/‖x/scale − α·e₁‖², so that
    // H = I − v vᵀ maps x to α·scale·e₁; dividing by scale = max|x_i| avoids overflow
    const scale = Math.max(tail, Math.abs(x0));
    let ss = 0;
    for (let i = 0; i < len; i++) {
      v[i] = m[(r + i) * n + k] / scale;
      ss += v[i] * v[i];
    }
    const norm = Math.sqrt(ss);
    const alpha = v[0] >= 0 ? -norm : norm;
    const root = 1 / Math.sqrt(norm * (norm + Math.abs(v[0])));
    v[0] -= alpha;
    for (let i = 0; i < len; i++) v[i] *= root;
    off[k] = alpha * scale;
    reflectTrailing(m, n, r, v, p);
  }
  // step k leaves m[k, k] final: later steps only touch rows and columns after k + 1
  for (let k = 0; k < n; k++) diag[k] = m[k * n + k];
  if (n >= 2) off[n - 2] = m[(n - 1) * n + n - 2];
  return accumulateReflectors(m, n, np);
}

/**
 * B ← H·B·H for the trailing block B = m[r:, r:] (lower triangle) and H = I − v vᵀ (‖v‖² = 2), as
 * the rank-2 update B − v wᵀ − w vᵀ with p = B v and w = p − (vᵀp / 2)·v. Rows are read contiguously.
 */
function reflectTrailing(m: Float64Array, n: number, r: number, v: Float64Array, p: Float64Array): void {
  const len = n - r;
  // rows go in pairs (i, i+1); for odd len, row 0 goes first and alone: it holds only B[0, 0]
  const first = len % 2;
  p.fill(0, 0, len);
  if (first) p[0] = m[r * n + r] * v[0];
  // p = B v from the lower triangle: rows i, i+1 give p[i], p[i+1] their dots (two independent
  // chains) and spread B[i, j]·v[i] + B[i+1, j]·v[i+1] to p[j], j < i
  for (let i = first; i < len; i += 2) {
    const row0 = (r + i) * n + r;
    const row1 = row0 + n;
    const v0 = v[i];
    const v1 = v[i + 1];
    let dot0 = 0;
    let dot1 = 0;
    for (let j = 0; j < i; j++) {
      const b0 = m[row0 + j];
      const b1 = m[row1 + j];
      dot0 += b0 * v[j];
      dot1 += b1 * v[j];
      p[j] += b0 * v0 + b1 * v1;
    }
    const b10 = m[row1 + i];
    p[i] += dot0 + m[row0 + i] * v0 + b10 * v1;
    p[i + 1] += dot1 + b10 * v0 + m[row1 + i + 1] * v1;
  }
  let vp = 0;
  for (let i = 0; i < len; i++) vp += v[i] * p[i];
  const half = vp / 2;
  for (let i = 0; i < len; i++) p[i] -= half * v[i];
  // B −= v wᵀ + w vᵀ, two rows at a time so each p[j], v[j] load serves both
  if (first) m[r * n + r] -= 2 * v[0] * p[0];
  for (let i = first; i < len; i += 2) {
    const row0 = (r + i) * n + r;
    const row1 = row0 + n;
    const v0 = v[i];
    const w0 = p[i];
    const v1 = v[i + 1];
    const w1 = p[i + 1];
    for (let j = 0; j <= i; j++) {
      const pj = p[j];
      const vj = v[j];
      m[row0 + j] -= v0 * pj + w0 * vj;
      m[row1 + j] -= v1 * pj + w1 * vj;
    }
    m[row1 + i + 1] -= 2 * v1 * w1;
  }
}

/**
 * Qᵀ = H_{n−3}···H_0 [n, n], rows np wide. Each row x of Qᵀ is e_i·H_{n−3}···H_0 on its own: it
 * stays e_i until reflector i − 1, and x ← x·H_k = x − (x·v) vᵀ changes only x[k+1:]. Rows go four
 * at a time, so each reflector is read once per four rows and four dot products run side by side;
 * up to 3 zero rows after row n − 1 pad the last block (x·H_k = 0 for x = 0).
 */
function accumulateReflectors(m: Float64Array, n: number, np: number): Float64Array {
  const qt = new Float64Array((n + 3) * np);
  for (let i = 0; i < n; i++) qt[i * np + i] = 1;
  for (let i = 1; i < n; i += 4) {
    const o0 = i * np;
    const o1 = o0 + np;
    const o2 = o1 + np;
    const o3 = o2 + np;
    for (let k = Math.min(i + 2, n - 3); k >= 0; k--) {
      const v = k * n;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      for (let j = k + 1; j < n; j++) {
        const vj = m[v + j];
        t0 += qt[o0 + j] * vj;
        t1 += qt[o1 + j] * vj;
        t2 += qt[o2 + j] * vj;
        t3 += qt[o3 + j] * vj;
      }
      for (let j = k + 1; j < n; j++) {
        const vj = m[v + j];
        qt[o0 + j] -= t0 * vj;
        qt[o1 + j] -= t1 * vj;
        qt[o2 + j] -= t2 * vj;
        qt[o3 + j] -= t3 * vj;
      }
    }
  }
  return qt;
}

/**
 * Diagonalizes the tridiagonal T (diag, off) in place by implicit QR steps with Wilkinson shifts:
 * diag becomes the eigenvalues and row i of zt the eigenvector of diag[i]. Converged off-diagonals
 * split T into blocks; each step works on the bottom unreduced block [l, h].
 */
function diagonalize(diag: Float64Array, off: Float64Array, zt: Float64Array, np: number): void {
  const n = diag.length;
  // the rotations of one QR step: (cs[k], ss[k]) acts in plane (k, k+1)
  const [cs, ss] = [new Float64Array(n), new Float64Array(n)];
  let budget = MAX_STEPS_PER_VALUE * n;
  let h = n - 1;
  while (h > 0) {
    // T[h, h] has converged once its off-diagonal is negligible; off[h − 1] is never read again
    if (negligible(diag, off, h - 1)) {
      h--;
      continue;
    }
    let l = h - 1;
    while (l > 0 && !negligible(diag, off, l - 1)) l--;
    // a split stays a split even as the QR steps change diag[l]
    if (l > 0) off[l - 1] = 0;
    if (budget-- === 0) {
      const why = `the QR iteration did not converge in ${MAX_STEPS_PER_VALUE * n} steps for n = ${n} (T[${h}, ${h - 1}] = ${off[h - 1]})`;
      throw new NumericError(`symmetricEigen: ${why}; are the entries within 1e±150?`, { where: 'symmetricEigen', got: off[h - 1] });
    }
    qrStep(diag, off, cs, ss, l, h);
    rotateRows(zt, np, cs, ss, l, h);
  }
}

function negligible(diag: Float64Array, off: Float64Array, i: number): boolean {
  return Math.abs(off[i]) <= EPS * (Math.abs(diag[i]) + Math.abs(diag[i + 1]));
}

/**
 * One implicit QR step T ← Gᵀ·T·G on the block [l, h], shifted by the eigenvalue of the trailing
 * 2×2 nearer T[h, h] (Wilkinson): a rotation in plane (l, l+1) set by the shifted first column
 * makes a bulge below the off-diagonal, and rotations in planes (k, k+1) chase it out at the bottom.
 */
function qrStep(diag: Float64Array, off: Float64Array, cs: Float64Array, ss: Float64Array, l: number, h: number): void {
  // μ = d_h − b²/(δ + sign(δ)·hypot(δ, b)) with δ = (d_{h−1} − d_h)/2, written with g = δ/b so b² cannot overflow
  const b = off[h - 1];
  const g = (diag[h - 1] - diag[h]) / (2 * b);
  const mu = diag[h] - b / (g + (g >= 0 ? 1 : -1) * Math.hypot(g, 1));
  // (x, y): the entries the next rotation maps to (r, 0): first the shifted column, then (T[k, k−1], bulge)
  let x = diag[l] - mu;
  let y = off[l];
  for (let k = l; k < h; k++) {
    const r = Math.hypot(x, y);
    const c = r === 0 ? 1 : x / r;
    const s = r === 0 ? 0 : y / r;
    if (k > l) off[k - 1] = r;
    // the 2×2 block [a e; e d] of rows and columns k, k+1 becomes Gᵀ·[a e; e d]·G
    const [a, e, d] = [diag[k], off[k], diag[k + 1]];
    const r11 = c * a + s * e;
    const r12 = c * e + s * d;
    const r21 = c * e - s * a;
    const r22 = c * d - s * e;
    diag[k] = c * r11 + s * r12;
    off[k] = c * r21 + s * r22;
    diag[k + 1] = c * r22 - s * r21;
    if (k + 1 < h) {
      // the column rotation spills T[k+2, k+1] into the bulge T[k+2, k]
      x = off[k];
      y = s * off[k + 1];
      off[k + 1] *= c;
    }
    cs[k] = c;
    ss[k] = s;
  }
}

/**
 * Applies the rotations of one QR step, k = l..h−1 in order, to the eigenvector rows zt (np wide):
 * rows k, k+1 ← (c·row_k + s·row_{k+1}, c·row_{k+1} − s·row_k), i.e. Z ← Z·G with Z's columns as
 * rows. Each column of zt transforms on its own, so the chain runs down four columns at a time and
 * carries the running row k+1 in registers: one load and one store per entry and rotation.
 */
function rotateRows(zt: Float64Array, np: number, cs: Float64Array, ss: Float64Array, l: number, h: number): void {
  for (let j = 0; j < np; j += 4) {
    let o = l * np + j;
    let x0 = zt[o];
    let x1 = zt[o + 1];
    let x2 = zt[o + 2];
    let x3 = zt[o + 3];
    for (let k = l; k < h; k++) {
      const c = cs[k];
      const s = ss[k];
      const q = o + np;
      const y0 = zt[q];
      const y1 = zt[q + 1];
      const y2 = zt[q + 2];
      const y3 = zt[q + 3];
      zt[o] = c * x0 + s * y0;
      zt[o + 1] = c * x1 + s * y1;
      zt[o + 2] = c * x2 + s * y2;
      zt[o + 3] = c * x3 + s * y3;
      x0 = c * y0 - s * x0;
      x1 = c * y1 - s * x1;
      x2 = c * y2 - s * x2;
      x3 = c * y3 - s * x3;
      o = q;
    }
    zt[o] = x0;
    zt[o + 1] = x1;
    zt[o + 2] = x2;
    zt[o + 3] = x3;
  }
}

/** Values sorted descending (ties keep their order) with their eigenvector rows moved along. */
function sortDescending(values: Float64Array, zt: Float64Array, n: number, np: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => values[y] - values[x] || x - y);
  const vectors = new Float64Array(n * n);
  for (const [row, i] of order.entries()) vectors.set(zt.subarray(i * np, i * np + n), row * n);
  return { values: Float64Array.from(order, (i) => values[i]), vectors };
}
