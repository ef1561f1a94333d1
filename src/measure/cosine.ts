import { checkMatrix } from './check.js';

/**
 * Mean cosine similarity (signed) over all pairs of rows of W [rows, cols] row-major that are not
 * all zero, e.g. the incoming weight rows of the hidden units (W1 [hidden, inputs]). NaN when fewer
 * than two rows are non-zero (no pair). Example: `meanPairwiseCosine(model.layers[0].weight(), h, n)`.
 */
export function meanPairwiseCosine(w: ArrayLike<number>, rows: number, cols: number): number {
  checkMatrix(w, rows, cols, 'meanPairwiseCosine w');
  // Σ_{a<b} û_a·û_b = (‖Σ_a û_a‖² − R)/2 over the R unit-normalised non-zero rows û: O(rows·cols)
  const s = new Float64Array(cols);
  let nonZero = 0;
  for (let r = 0; r < rows; r++) {
    let norm2 = 0;
    for (let i = 0; i < cols; i++) norm2 += w[r * cols + i] ** 2;
    if (norm2 === 0) continue;
    nonZero++;
    const inv = 1 / Math.sqrt(norm2);
    for (let i = 0; i < cols; i++) s[i] += w[r * cols + i] * inv;
  }
  if (nonZero < 2) return Number.NaN;
  let total = 0;
  for (let i = 0; i < cols; i++) total += s[i] * s[i];
  return (total - nonZero) / 2 / ((nonZero * (nonZero - 1)) / 2);
}
