import { ConfigError, type Rng, ShapeError } from '../engine/index.js';

/** A 0/1 copy of a caller's [rows, cols] mask (non-zero = kept); ShapeError if it is not a Uint8Array of that size. */
export function copyMask(mask: Uint8Array, rows: number, cols: number): Uint8Array {
  if (!(mask instanceof Uint8Array) || mask.length !== rows * cols) {
    throw new ShapeError(
      `mask must be a Uint8Array of ${rows}x${cols} = ${rows * cols} entries (row-major [out, in]), got ${mask?.length ?? mask}`,
      {
        where: 'SparseLinear.mask',
        got: mask?.length,
        allowed: String(rows * cols),
      },
    );
  }
  return mask.map((m) => (m !== 0 ? 1 : 0));
}

/**
 * A uniformly random [rows, cols] mask keeping exactly round(density·rows·cols) entries (at least
 * one); density must be in (0, 1].
 */
export function randomMask(rows: number, cols: number, density: number, rng: Rng): Uint8Array {
  if (typeof density !== 'number' || !(density > 0 && density <= 1)) {
    throw new ConfigError(`SparseLinear.density must be in (0, 1], got ${density}`, {
      where: 'SparseLinear.density',
      got: density,
      allowed: '(0, 1]',
    });
  }
  const n = rows * cols;
  const mask = new Uint8Array(n);
  if (density === 1) return mask.fill(1);
  const k = Math.max(1, Math.round(density * n));
  // partial Fisher-Yates: the first k slots of a shuffled index list are a uniform k-subset
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
    mask[idx[i]] = 1;
  }
  return mask;
}
