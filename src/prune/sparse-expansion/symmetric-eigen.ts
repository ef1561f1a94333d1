/** Eigenvalues (descending) and unit eigenvectors (row i belongs to values[i]) of a symmetric matrix. */
export interface SymmetricEigen {
  values: Float64Array;
  /** [n, n] row-major; row i is the eigenvector of values[i]. */
  vectors: Float64Array;
}

/** Sweeps after which cyclic Jacobi gives up; it converges quadratically, so 50 is never reached in practice. */
const MAX_SWEEPS = 50;

/**
 * Eigendecomposition of a symmetric a [n, n] (float64, not modified) by cyclic Jacobi rotations:
 * each rotation zeroes one off-diagonal pair, and sweeps repeat until the off-diagonal mass is
 * below 1e-30 of the total (machine precision). O(n³) per sweep, about 6–10 sweeps; exact to
 * rounding and deterministic, which the routing of Sparse Expansion relies on.
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  const m = Float64Array.from(a);
  // vt = Vᵀ: row i holds eigenvector i, so rotations update two contiguous rows
  const vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vt[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += m[i] * m[i];
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q] * m[p * n + q];
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) rotate(m, vt, n, p, q);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => m[y * n + y] - m[x * n + x] || x - y);
  const values = Float64Array.from(order, (i) => m[i * n + i]);
  const vectors = new Float64Array(n * n);
  for (const [row, i] of order.entries()) vectors.set(vt.subarray(i * n, (i + 1) * n), row * n);
  return { values, vectors };
}

/** One Jacobi rotation in the (p, q) plane that zeroes m[p, q]; accumulates it into rows p and q of vt. */
function rotate(m: Float64Array, vt: Float64Array, n: number, p: number, q: number): void {
  const apq = m[p * n + q];
  if (apq === 0) return;
  const app = m[p * n + p];
  const aqq = m[q * n + q];
  // t = tan θ, the smaller root of t² + 2τt − 1 = 0 (Rutishauser's stable form)
  const tau = (aqq - app) / (2 * apq);
  const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
  const c = 1 / Math.sqrt(1 + t * t);
  const s = t * c;
  for (let k = 0; k < n; k++) {
    const mkp = m[k * n + p];
    const mkq = m[k * n + q];
    m[k * n + p] = c * mkp - s * mkq;
    m[k * n + q] = s * mkp + c * mkq;
  }
  for (let k = 0; k < n; k++) {
    const mpk = m[p * n + k];
    const mqk = m[q * n + k];
    m[p * n + k] = c * mpk - s * mqk;
    m[q * n + k] = s * mpk + c * mqk;
  }
  m[p * n + q] = 0;
  m[q * n + p] = 0;
  for (let k = 0; k < n; k++) {
    const vpk = vt[p * n + k];
    const vqk = vt[q * n + k];
    vt[p * n + k] = c * vpk - s * vqk;
    vt[q * n + k] = s * vpk + c * vqk;
  }
}
