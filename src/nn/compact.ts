import { ShapeError } from '../engine/index.js';

/**
 * Expands a compact array (one value per kept mask entry, in row-major mask order, i.e. CSR
 * order) to the dense row-major matrix of the mask's shape, with zeros where the mask is 0.
 */
export function expandCompact(mask: Uint8Array, compact: ArrayLike<number>): Float32Array {
  const dense = new Float32Array(mask.length);
  let e = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) dense[i] = compact[e++];
  if (e !== compact.length) {
    throw new ShapeError(`compact array has ${compact.length} values, the mask keeps ${e}`, {
      where: 'expandCompact',
      got: compact.length,
      allowed: String(e),
    });
  }
  return dense;
}

/** The values of a dense row-major matrix at the mask's kept entries, in CSR order. */
export function compactDense(mask: Uint8Array, dense: ArrayLike<number>): Float32Array {
  let nnz = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) nnz++;
  const compact = new Float32Array(nnz);
  let e = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) compact[e++] = dense[i];
  return compact;
}

/** Index of the first NaN or ±Inf in `a`, or -1 when every value is finite. */
export function firstNonFinite(a: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return i;
  return -1;
}
