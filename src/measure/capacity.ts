import { checkMatrix } from './check.js';

/** Capacity of every input feature and its mean and sum over features. */
export interface FeatureCapacity {
  /** [cols]: C_i of each feature (column). */
  perFeature: Float64Array;
  mean: number;
  sum: number;
}

/**
 * Feature capacity (Scherlis et al. 2022) over the columns of W [rows, cols] row-major (W1 is
 * [hidden, inputs]): C_i = (W·i · W·i)² / Σ_j (W·i · W·j)², in (0, 1]. A feature whose column is all
 * zero reaches no unit and has capacity 0 (0/0 defined as 0); the mean is over all cols features.
 * Example: `featureCapacity(model.layers[0].weight(), h, n).sum`.
 */
export function featureCapacity(w: ArrayLike<number>, rows: number, cols: number): FeatureCapacity {
  checkMatrix(w, rows, cols, 'featureCapacity w');
  // Σ_j (W·i · W·j)² = W·iᵀ (W Wᵀ) W·i, so only the [rows, rows] matrix M = W Wᵀ is needed:
  // O(rows²·cols) instead of the O(rows·cols²) of the full Gram matrix WᵀW
  const m = new Float64Array(rows * rows);
  for (let u = 0; u < rows; u++) {
    for (let v = u; v < rows; v++) {
      let s = 0;
      for (let i = 0; i < cols; i++) s += w[u * cols + i] * w[v * cols + i];
      m[u * rows + v] = s;
      m[v * rows + u] = s;
    }
  }
  const perFeature = new Float64Array(cols);
  const col = new Float64Array(rows);
  let sum = 0;
  for (let i = 0; i < cols; i++) {
    let self = 0; // W·i · W·i
    for (let u = 0; u < rows; u++) {
      col[u] = w[u * cols + i];
      self += col[u] * col[u];
    }
    if (self === 0) continue;
    let total = 0;
    for (let u = 0; u < rows; u++) {
      let mu = 0;
      for (let v = 0; v < rows; v++) mu += m[u * rows + v] * col[v];
      total += col[u] * mu;
    }
    perFeature[i] = (self * self) / total;
    sum += perFeature[i];
  }
  return { perFeature, mean: sum / cols, sum };
}
