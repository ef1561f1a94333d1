import { Rng, ShapeError } from '../engine/index.js';
import { checkCount } from './check.js';

/** Options of mappingDifficulty: random pairs drawn [4096] and their seed [0]. */
export interface MappingDifficultyOptions {
  pairs?: number;
  seed?: number;
}

/**
 * Mapping difficulty (Sawmya et al., Eq. 2): the mean over random input pairs (a, b) of
 * (dy / median dy) / (dx / max dx), with dx = ‖x_a − x_b‖₂ over x [size, inputs] and
 * dy = ‖y_a − y_b‖₂ over y [size, outputs] (|y_a − y_b| for one output, e.g. one unit's values).
 * Pairs are two distinct samples drawn uniformly (with replacement across pairs) from a generator
 * seeded `seed`; pairs of identical inputs (dx = 0) are skipped. Returns 0 when every dy is 0 (a
 * constant map), NaN when no pair has dx > 0 or the median dy is 0 while some dy is not.
 * Example: `mappingDifficulty(test.x, model.predict(test.x, test.size), test.size)`.
 */
export function mappingDifficulty(x: Float32Array, y: Float32Array, size: number, options: MappingDifficultyOptions = {}): number {
  checkCount(size, 2, 'mappingDifficulty size');
  const pairs = options.pairs ?? 4096;
  checkCount(pairs, 1, 'mappingDifficulty pairs');
  const inputs = widthOf(x, size, 'x');
  const outputs = widthOf(y, size, 'y');
  const seed = options.seed ?? 0;
  checkCount(seed, 0, 'mappingDifficulty seed');
  const rng = new Rng(seed);
  const dxs = new Float64Array(pairs);
  const dys = new Float64Array(pairs);
  let kept = 0;
  for (let p = 0; p < pairs; p++) {
    const a = rng.int(size);
    let b = rng.int(size - 1);
    if (b >= a) b++;
    const dx = distance(x, a, b, inputs);
    if (dx === 0) continue;
    dxs[kept] = dx;
    dys[kept] = distance(y, a, b, outputs);
    kept++;
  }
  if (kept === 0) return Number.NaN;
  const dx = dxs.subarray(0, kept);
  const dy = dys.subarray(0, kept);
  const maxDx = dx.reduce((m, d) => Math.max(m, d), 0);
  const medianDy = median(dy);
  if (medianDy === 0) return dy.every((d) => d === 0) ? 0 : Number.NaN;
  let sum = 0;
  for (let p = 0; p < kept; p++) sum += dy[p] / medianDy / (dx[p] / maxDx);
  return sum / kept;
}

function widthOf(a: Float32Array, size: number, name: string): number {
  const width = a.length / size;
  if (Number.isInteger(width) && width >= 1) return width;
  throw new ShapeError(`mappingDifficulty ${name} must hold size x width values for size = ${size}, got ${a.length}`, {
    where: `mappingDifficulty ${name}`,
    got: a.length,
  });
}

function distance(a: Float32Array, i: number, j: number, width: number): number {
  let s = 0;
  for (let c = 0; c < width; c++) s += (a[i * width + c] - a[j * width + c]) ** 2;
  return Math.sqrt(s);
}

/** The median as NumPy defines it: the mean of the two middle values for an even count. */
function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
