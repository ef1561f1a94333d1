import type { Arena, Ptr } from './arena.js';

/**
 * The row-pair layout of a CSR structure, for spmm (see spmmPairs in assembly/pairs.ts): blocks
 * of two output rows and the columns they share, so that one load of B's row serves both.
 *
 * Rows are first cut into groups: runs of consecutive rows whose supports are pairwise disjoint
 * (the α children of one FPE parent, whose incoming weights are disjoint parts of the parent's).
 * Groups are then paired in order (0 with 1, 2 with 3, ...). For a pair (A, B) every column j
 * held by a row a of A and a row b of B goes to block (a, b); columns held by one side only go
 * to a single-row block. Each row's blocks come in a fixed order: for each row a of A, its
 * blocks (a, b) for b in B's order, then (a alone); then B's single-row blocks. Two FPE-split
 * layers (every parent's children covering the parent's whole support) pair every non-zero.
 */
export interface RowPairs {
  /** Blocks: i32[4·blocks], per block r1, r2 (-1: a block of r1 alone), first entry, end entry. */
  readonly blocks: Ptr;
  readonly blockCount: number;
  /** i32[entries]: the column of each entry. */
  readonly idx: Ptr;
  /** i32[2·entries]: the CSR positions of each entry's values in r1 and r2 (-1 in a single-row block). */
  readonly pos: Ptr;
  readonly entries: number;
  /**
   * Where a second thread starts: a block at a group-pair boundary near half the non-zeros, and
   * the first row of that group pair (the blocks before it write rows [0, midRow) only).
   * midBlock = blockCount when there is no such boundary.
   */
  readonly midBlock: number;
  readonly midRow: number;
  /** Mean entries of the two-row blocks (sddmm takes the layout only from SDDMM_PAIR_LEAST on). */
  readonly pairMean: number;
}

/**
 * The layout pays (0.67-0.70x of spmm's time on FPE layers, 0.74x at 80% coverage; below that
 * it loses ground, see the README's round 7) only when most non-zeros pair up, in blocks of some length.
 */
export const PAIR_COVERAGE = 0.8;
export const PAIR_BLOCK_LEAST = 6;

/** An owned RowPairs: `dispose` frees its arrays. */
export interface OwnedRowPairs extends RowPairs {
  dispose(): void;
}

/**
 * The row-pair layout of the CSR (rowPtr, colIdx) in `arena`, or null when it would not pay:
 * fewer than PAIR_COVERAGE of the non-zeros in two-row blocks, or those blocks shorter than
 * PAIR_BLOCK_LEAST entries on average. Rows must ascend (as buildCsr makes them); O(nnz + cols).
 */
export function buildRowPairs(arena: Arena, rows: number, cols: number, rowPtr: Int32Array, colIdx: Int32Array): OwnedRowPairs | null {
  const nnz = rowPtr[rows];
  if (nnz === 0) return null;
  // groups: a new one starts at a row with a column the current group already holds
  const stamp = new Int32Array(cols).fill(-1);
  const groupStart: number[] = [];
  for (let r = 0; r < rows; r++) {
    let clash = groupStart.length === 0;
    for (let e = rowPtr[r]; e < rowPtr[r + 1] && !clash; e++) clash = stamp[colIdx[e]] === groupStart.length - 1;
    if (clash) groupStart.push(r);
    for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) stamp[colIdx[e]] = groupStart.length - 1;
  }
  groupStart.push(rows);
  const groups = groupStart.length - 1;

  const blocks: number[] = [];
  const idx = new Int32Array(nnz);
  const pos = new Int32Array(2 * nnz);
  let entries = 0;
  let paired = 0;
  let pairBlocks = 0;
  // for the group pair at hand: column -> the CSR position of B's non-zero there (-1: none), and its row's index in B
  const ownerB = new Int32Array(cols).fill(-1);
  const ownerRow = new Int32Array(cols);
  const bucket = new Int32Array(cols); // scratch: the entries of one row of A sorted by B's row
  let midBlock = -1;
  let midRow = rows;
  for (let g = 0; g < groups; g += 2) {
    const [a0, a1] = [groupStart[g], groupStart[g + 1]];
    const [b0, b1] = g + 1 < groups ? [groupStart[g + 1], groupStart[g + 2]] : [a1, a1];
    if (midBlock < 0 && rowPtr[a0] * 2 >= nnz && a0 > 0) {
      midBlock = blocks.length / 4;
      midRow = a0;
    }
    for (let r = b0; r < b1; r++) {
      for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
        ownerB[colIdx[e]] = e;
        ownerRow[colIdx[e]] = r - b0;
      }
    }
    // bin i < nb: the columns shared with B's row b0 + i; bin nb: the columns B does not hold
    const nb = b1 - b0;
    const binOf = (j: number) => (ownerB[j] < 0 ? nb : ownerRow[j]);
    const start = new Int32Array(nb + 2);
    const fill = new Int32Array(nb + 1);
    for (let ra = a0; ra < a1; ra++) {
      // counting sort of ra's columns by bin (ascending columns within each)
      start.fill(0);
      for (let e = rowPtr[ra]; e < rowPtr[ra + 1]; e++) start[binOf(colIdx[e]) + 1]++;
      for (let i = 0; i <= nb; i++) start[i + 1] += start[i];
      fill.set(start.subarray(0, nb + 1));
      for (let e = rowPtr[ra]; e < rowPtr[ra + 1]; e++) bucket[fill[binOf(colIdx[e])]++] = e;
      for (let i = 0; i <= nb; i++) {
        if (start[i + 1] === start[i]) continue;
        const single = i === nb;
        const first = entries;
        for (let s = start[i]; s < start[i + 1]; s++) {
          const e = bucket[s];
          idx[entries] = colIdx[e];
          pos[2 * entries] = e;
          pos[2 * entries + 1] = single ? -1 : ownerB[colIdx[e]];
          entries++;
        }
        blocks.push(ra, single ? -1 : b0 + i, first, entries);
        if (!single) {
          paired += 2 * (entries - first);
          pairBlocks++;
        }
      }
    }
    // B's columns that no row of A holds: single-row blocks
    for (let r = a0; r < a1; r++) for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) stamp[colIdx[e]] = -2 - g;
    for (let rb = b0; rb < b1; rb++) {
      const first = entries;
      for (let e = rowPtr[rb]; e < rowPtr[rb + 1]; e++) {
        if (stamp[colIdx[e]] === -2 - g) continue;
        idx[entries] = colIdx[e];
        pos[2 * entries] = e;
        pos[2 * entries + 1] = -1;
        entries++;
      }
      if (entries > first) blocks.push(rb, -1, first, entries);
    }
    for (let r = b0; r < b1; r++) for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) ownerB[colIdx[e]] = -1;
  }
  if (paired < PAIR_COVERAGE * nnz || paired < 2 * PAIR_BLOCK_LEAST * pairBlocks) return null;
  const blockCount = blocks.length / 4;
  const ptrs = { blocks: arena.alloc(blocks.length * 4), idx: arena.alloc(entries * 4), pos: arena.alloc(entries * 8) };
  arena.i32(ptrs.blocks, blocks.length).set(blocks);
  arena.i32(ptrs.idx, entries).set(idx.subarray(0, entries));
  arena.i32(ptrs.pos, 2 * entries).set(pos.subarray(0, 2 * entries));
  return {
    ...ptrs,
    blockCount,
    entries,
    midBlock: midBlock < 0 ? blockCount : midBlock,
    midRow: midBlock < 0 ? rows : midRow,
    pairMean: paired / 2 / pairBlocks,
    dispose() {
      for (const p of Object.values(ptrs)) arena.release(p);
    },
  };
}
