import type { Arena, Ptr } from './arena.js';
import type { CsrStructure } from './backend.js';
import { ShapeError } from './errors.js';
import { buildRowPairs } from './row-pairs.js';

/** A CsrStructure whose index arrays are owned by an arena; `dispose` frees them. */
export interface OwnedCsr extends CsrStructure {
  dispose(): void;
}

/**
 * Builds the CSR + CSC structure of a rows x cols binary mask (row-major, non-zero = kept) in
 * `arena`. The CSC permutation maps each CSC entry to its index in CSR order. `pairs` is the
 * row-pair layout where it pays (an FPE-split layer; see buildRowPairs), else null; with
 * `options.pairs` false it is not looked for (a layer whose products go through dense GEMMs would
 * never read it: a dense 2048 x 2048 mask pairs fully, 25 MB of layout).
 */
export function buildCsr(arena: Arena, rows: number, cols: number, mask: ArrayLike<number>, options: { pairs?: boolean } = {}): OwnedCsr {
  if (mask.length !== rows * cols) {
    throw new ShapeError(`mask has ${mask.length} entries, expected rows x cols = ${rows} x ${cols} = ${rows * cols}`, {
      where: 'buildCsr',
      got: mask.length,
      allowed: String(rows * cols),
    });
  }
  let nnz = 0;
  const colCount = new Int32Array(cols + 1);
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] !== 0) {
      nnz++;
      colCount[(i % cols) + 1]++;
    }
  }
  const ptrs = {
    rowPtr: arena.alloc((rows + 1) * 4),
    colIdx: arena.alloc(nnz * 4),
    cscPtr: arena.alloc((cols + 1) * 4),
    cscRow: arena.alloc(nnz * 4),
    cscPerm: arena.alloc(nnz * 4),
  };
  const rowPtr = arena.i32(ptrs.rowPtr, rows + 1);
  const colIdx = arena.i32(ptrs.colIdx, nnz);
  const cscPtr = arena.i32(ptrs.cscPtr, cols + 1);
  const cscRow = arena.i32(ptrs.cscRow, nnz);
  const cscPerm = arena.i32(ptrs.cscPerm, nnz);
  for (let c = 0; c < cols; c++) colCount[c + 1] += colCount[c];
  cscPtr.set(colCount);
  const next = colCount.slice(0, cols);
  let e = 0;
  for (let r = 0; r < rows; r++) {
    rowPtr[r] = e;
    for (let c = 0; c < cols; c++) {
      if (mask[r * cols + c] !== 0) {
        colIdx[e] = c;
        const slot = next[c]++;
        cscRow[slot] = r;
        cscPerm[slot] = e;
        e++;
      }
    }
  }
  rowPtr[rows] = e;
  const pairs = options.pairs === false ? null : buildRowPairs(arena, rows, cols, rowPtr, colIdx);
  return {
    rows,
    cols,
    nnz,
    ...ptrs,
    pairs,
    dispose() {
      for (const p of Object.values(ptrs)) arena.release(p);
      pairs?.dispose();
    },
  };
}

/** Writes into out (i32[nnz] in `arena`) the CSC position of each CSR entry of `a`: the inverse of `a.cscPerm`. */
export function cscPositions(arena: Arena, a: CsrStructure, out: Ptr): void {
  const perm = arena.i32(a.cscPerm, a.nnz);
  const pos = arena.i32(out, a.nnz);
  for (let slot = 0; slot < a.nnz; slot++) pos[perm[slot]] = slot;
}
