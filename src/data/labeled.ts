import { DataError } from '../engine/index.js';
import type { Dataset } from '../nn/index.js';

/**
 * Checks features against labels and returns them as a classification Dataset. Refuses (DataError naming
 * `source`) a row/label count mismatch, an empty set, labels outside [0, classes) and NaN/Inf
 * features: widen never drops or repairs samples silently. Without `classes`, it is max label + 1.
 */
export function labeledData(
  x: Float32Array,
  y: Int32Array,
  features: number,
  source: string,
  classes?: number,
): Required<Dataset<Int32Array>> {
  const fail = (problem: string, got?: unknown) => new DataError(`${source}: ${problem}`, { where: source, got });
  if (!Number.isInteger(features) || features < 1) throw fail(`needs at least one feature per sample, got ${features}`, features);
  if (x.length % features !== 0) throw fail(`${x.length} feature values do not split into rows of ${features}`, x.length);
  const rows = x.length / features;
  if (rows !== y.length) throw fail(`${rows} feature rows but ${y.length} labels; every sample needs exactly one label`, y.length);
  if (rows === 0) throw fail('holds no samples');
  let max = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] < 0) throw fail(`label ${y[i]} at sample ${i} is negative; labels must be class indices >= 0`, y[i]);
    if (y[i] > max) max = y[i];
  }
  const k = classes ?? max + 1;
  if (max >= k) {
    const at = y.findIndex((v) => v >= k);
    throw fail(`label ${y[at]} at sample ${at} is out of range; labels must be integers in [0, ${k - 1}]`, y[at]);
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]))
      throw fail(
        `feature ${i % features} of sample ${Math.floor(i / features)} is ${x[i]}; features must be finite (widen never drops samples silently)`,
        x[i],
      );
  }
  return { x, y, size: rows, features, classes: k };
}
