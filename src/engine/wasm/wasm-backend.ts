import type { Arena, Ptr } from '../arena.js';
import {
  ACTIVATIONS,
  type Activation,
  type AdamParams,
  type Backend,
  type CscCopy,
  type CsrStructure,
  type SgdParams,
} from '../backend.js';
import { BackendError } from '../errors.js';
import { defaultPlatform, type EnginePlatform } from '../platform.js';
import type { RowPairs } from '../row-pairs.js';
import { type KernelChoice, type KernelFlavour, loadKernels, selectKernels } from './load.js';
import { WorkerPool } from './pool.js';

/** Options of the wasm backend. */
export interface WasmBackendOptions {
  /** 1 (main thread only) or 2 (one worker thread on the same shared memory). */
  threads: number;
  /** The host's kernels and thread factory (default: defaultPlatform()). */
  platform?: EnginePlatform;
  /** Kernel build: 'auto' (default: relaxed SIMD where the host validates it, else plain), 'plain' or 'relaxed'; default from WIDEN_KERNELS. */
  kernels?: KernelChoice;
}

/** The backend's grow-on-demand buffers (see WasmBackend.buffer). */
type BufferName = 'permuted' | 'cursors' | 'runs' | 'layoutIdx' | 'layoutValues' | 'pairValues' | 'pairSums';

/** Kernels the worker can run, by id (the index here). All take a [lo, hi) range first. */
const THREADED = [
  'gemm',
  'spmm',
  'spmmT',
  'sddmm',
  'scatterCsr',
  'gatherCsr',
  'transpose',
  'addRowBias',
  'rowSum',
  'activation',
  'activationGrad',
  'adam',
  'sgd',
  'scale',
  'gatherPerm',
  'spmmPairs',
  'sddmmPairs',
] as const;
type Threaded = (typeof THREADED)[number];
type Kernel = (...args: number[]) => number;
type Kernels = Record<
  Threaded | 'gemmScratchFloats' | 'spmmPanelFloats' | 'spmmChunks' | 'splitPoint' | 'countNonFinite' | Loss | 'gatherRows',
  Kernel
>;
type Loss = 'softmaxCrossEntropy' | 'bceWithLogits' | 'mse';

// Work (in the units named) below which the worker round trip (tens of µs on a VM, plus the
// duplicated B packing of gemm) costs more than it saves; measured with bench/kernels.bench.ts.
/** m·n·k multiply-adds (about 200³). */
const PAR_GEMM = 6_000_000;
/** nnz·n multiply-adds. */
const PAR_SPARSE = 1 << 20;
/** Floats of a streaming element-wise kernel (relu, bias, scale, ...). */
const PAR_STREAM = 1 << 17;
/** Parameters of an optimizer update (four streams per element). */
const PAR_OPTIM = 1 << 16;
/** Floats of gelu / sigmoid and their gradients (exp and division per element). */
const PAR_TRANSCENDENTAL = 1 << 15;

/**
 * Non-zeros per output row and chunk, on average, from which spmm/spmmT take B in chunks, and the
 * fewest chunks worth it (see WasmBackend.chunks). Measured at batch 256, one thread, against the
 * one-pass kernel: 2048 x 2048 (8 chunks) at 38 a run (density 0.15) 1.12x the time, 45 (0.175)
 * 0.99x spmm and 0.93x spmmT, 51 (0.2) 0.95x / 0.89x, 64 (0.25) 0.85-0.89x / 0.87-0.90x;
 * 128 x 784 at batch 128 (4 chunks, 47 a run) 0.93x; 2048 x 512 (2 chunks, 51-64 a run) 1.0-1.04x.
 */
const CHUNK_RUN = 44;
const CHUNK_LEAST = 3;

/** The fewest batch columns spmm takes the row-pair layout at (one 16-column pass; below, the rows). */
const PAIR_WIDTH = 16;

/**
 * The shortest mean two-row block sddmm takes the row-pair layout at: its groups of 5 entries (the
 * last 2-4 padded to 5) cost more than the row kernel on short blocks. Measured (one thread, batch
 * 128, calls alternating with the row kernel's, median ratio of 300) on FPE layers: 1.17x the row
 * kernel's time at a mean of 3.8 entries (64 x 64), 1.04x at 7.1 (128 x 128), 1.03x at 11.4 (256 x
 * 256), 0.96x at 15.3, 0.90x at 28.4, 0.90-0.97x at 45 (128 x 784). The same bits either way.
 */
export const SDDMM_PAIR_LEAST = 14;
/**
 * The largest B (bytes) spmm over row pairs reads in place; a larger one is packed 16 columns at a
 * time into a panel. Measured on a 128 x 784 FPE layer (one thread, calls alternating, median
 * ratio of 400), in place against the panel: 0.96x at batch 64-128 (B 201-401 KB), 1.03x at 160
 * (502 KB), 1.0x at 192, 1.13x at 256 (803 KB). The same bits either way.
 */
const PAIR_IN_PLACE_BYTES = 448 * 1024;
/** Floats of sddmmPairs' scratch per thread: 20 f32x4 partial sums. */
const PAIR_SUMS = 80;

/**
 * Creates the WebAssembly SIMD kernel table on `arena.memory`; with threads: 2 it starts one
 * worker thread. Throws BackendError when the kernels do not load.
 */
export function createWasmBackend(arena: Arena, options: WasmBackendOptions): Backend {
  if (options.threads !== 1 && options.threads !== 2) {
    throw new BackendError(`threads must be 1 or 2, got ${options.threads}`, { where: 'createWasmBackend', got: options.threads });
  }
  const platform = options.platform ?? defaultPlatform();
  const start = platform.startThread;
  if (options.threads === 2 && start === undefined) {
    throw new BackendError('threads: 2 needs a host that can start threads (its platform has no startThread); use threads: 1', {
      where: 'createWasmBackend',
    });
  }
  const { module: compiled, flavour } = selectKernels(platform, options.kernels);
  const { module, exports } = loadKernels(compiled, arena.memory);
  const pool = options.threads === 2 && start !== undefined ? new WorkerPool(start, module, arena.memory, THREADED) : null;
  return new WasmBackend(arena, exports as unknown as Kernels, pool, flavour);
}

/** The kernel table over the wasm exports; heavy calls are split in two halves when a worker exists. */
class WasmBackend implements Backend {
  readonly name = 'wasm' as const;
  readonly threads: number;
  readonly flavour: KernelFlavour;
  private readonly arena: Arena;
  private readonly k: Kernels;
  private readonly pool: WorkerPool | null;
  /** Per-thread packing buffers of gemm, also holding spmm's B panel when it fits. */
  private readonly scratch: Ptr[];
  private readonly scratchFloats: number;
  /**
   * Grown on demand (see buffer): `permuted`, the values of the last spmmT in CSC order (one gather
   * per call instead of one per 24-column pass); `cursors`, sddmm's position in each row; `runs`,
   * `layoutIdx` and `layoutValues`, the chunk layout of a chunked spmm/spmmT (see withPanel);
   * `pairValues`, the values of a row-pair spmm in its entries' order (see pairedSpmm);
   * `pairSums`, the row-pair sddmm's partial sums (PAIR_SUMS floats a thread).
   */
  private readonly buffers: Record<BufferName, { ptr: number; count: number }> = {
    permuted: { ptr: 0, count: 0 },
    cursors: { ptr: 0, count: 0 },
    runs: { ptr: 0, count: 0 },
    layoutIdx: { ptr: 0, count: 0 },
    layoutValues: { ptr: 0, count: 0 },
    pairValues: { ptr: 0, count: 0 },
    pairSums: { ptr: 0, count: 0 },
  };

  constructor(arena: Arena, kernels: Kernels, pool: WorkerPool | null, flavour: KernelFlavour) {
    this.flavour = flavour;
    this.arena = arena;
    this.k = kernels;
    this.pool = pool;
    this.threads = pool === null ? 1 : 2;
    this.scratchFloats = kernels.gemmScratchFloats();
    const bytes = this.scratchFloats * 4;
    this.scratch = Array.from({ length: this.threads }, () => arena.alloc(bytes));
  }

  /** Runs kernel `name` over [lo, hi): the worker takes [mid, hi) when lo < mid < hi, the main thread the rest. */
  private ranged(name: Threaded, lo: number, mid: number, hi: number, rest: number[]): void {
    const fn = this.k[name];
    if (this.pool === null || mid <= lo || mid >= hi) {
      fn(lo, hi, ...rest);
      return;
    }
    this.pool.start(THREADED.indexOf(name), [mid, hi, ...rest]);
    try {
      fn(lo, mid, ...rest);
    } finally {
      this.pool.join();
    }
  }

  /** Split point of [0, len) for work >= threshold (aligned to `align`), else len (no split). */
  private mid(len: number, work: number, threshold: number, align: number): number {
    if (this.pool === null || work < threshold) return len;
    return Math.round(len / 2 / align) * align;
  }

  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Ptr, b: Ptr, beta: number, c: Ptr): void {
    if (m === 0 || n === 0) return;
    const args = [+transA, +transB, m, n, k, alpha, a, b, beta, c];
    const byRows = m >= n;
    const mid = this.mid(byRows ? m : n, m * n * k, PAR_GEMM, byRows ? 4 : 8);
    const end = byRows ? m : n;
    const gemm = this.k.gemm;
    if (this.pool === null || mid <= 0 || mid >= end) {
      gemm(0, m, 0, n, this.scratch[0], ...args);
      return;
    }
    // rows [0, mid) or columns [0, mid) here, the rest on the worker, each with its own scratch
    const main = byRows ? [0, mid, 0, n] : [0, m, 0, mid];
    const work = byRows ? [mid, m, 0, n] : [0, m, mid, n];
    this.pool.start(THREADED.indexOf('gemm'), [...work, this.scratch[1], ...args]);
    try {
      gemm(...main, this.scratch[0], ...args);
    } finally {
      this.pool.join();
    }
  }

  spmm(a: CsrStructure, values: Ptr, n: number, b: Ptr, beta: number, c: Ptr, keep?: CscCopy): void {
    if (a.pairs && n >= PAIR_WIDTH && beta === 0) {
      this.pairedSpmm(a, a.pairs, values, n, b, c, keep);
      return;
    }
    const mid = this.sparseMid(a.rowPtr, a.rows, a.nnz * n);
    const chunks = this.chunks(a.cols, a.rows, a.nnz, n, beta);
    this.withPanel('spmm', mid, a.rows, [a.rowPtr, a.colIdx, values, n, b, beta, c], a.cols, chunks, a.nnz, [
      keep?.values ?? 0,
      keep?.pos ?? 0,
    ]);
  }

  /**
   * spmm (beta = 0) over the row-pair layout (assembly/pairs.ts): 16-column passes over blocks of
   * two rows; the worker takes the blocks from the layout's midBlock (rows from midRow) on.
   */
  private pairedSpmm(a: CsrStructure, pairs: RowPairs, values: Ptr, n: number, b: Ptr, c: Ptr, keep?: CscCopy): void {
    const vals = this.buffer('pairValues', 2 * pairs.entries);
    const panel = a.cols * n * 4 > PAIR_IN_PLACE_BYTES && this.k.spmmPanelFloats(a.cols) <= this.scratchFloats;
    // blocks [0, midBlock) write rows [0, midRow), the others rows [midRow, rows)
    const args = (lo: number, hi: number, t: number) => [
      lo,
      hi,
      lo === 0 ? 0 : pairs.midRow,
      hi === pairs.blockCount ? a.rows : pairs.midRow,
      pairs.blocks,
      pairs.idx,
      pairs.pos,
      values,
      vals,
      n,
      b,
      c,
      a.cols,
      panel ? this.scratch[t] : 0,
      a.rowPtr,
      a.colIdx,
      keep?.values ?? 0,
      keep?.pos ?? 0,
    ];
    this.split('spmmPairs', a.nnz * n, pairs, args);
  }

  /**
   * Runs a row-pair kernel over the layout's blocks: with a worker and enough work, the worker
   * takes the blocks from midBlock on (thread 1), the main thread those before (thread 0).
   */
  private split(
    name: 'spmmPairs' | 'sddmmPairs',
    work: number,
    pairs: RowPairs,
    args: (lo: number, hi: number, t: number) => number[],
  ): void {
    const mid = pairs.midBlock;
    if (this.pool === null || work < PAR_SPARSE || mid <= 0 || mid >= pairs.blockCount) {
      this.k[name](...args(0, pairs.blockCount, 0));
      return;
    }
    this.pool.start(THREADED.indexOf(name), args(mid, pairs.blockCount, 1));
    try {
      this.k[name](...args(0, mid, 0));
    } finally {
      this.pool.join();
    }
  }

  spmmT(a: CsrStructure, values: Ptr, n: number, b: Ptr, beta: number, c: Ptr, order: 'csr' | 'csc' = 'csr'): void {
    const mid = this.sparseMid(a.cscPtr, a.cols, a.nnz * n);
    const chunks = this.chunks(a.rows, a.cols, a.nnz, n, beta);
    if (order === 'csc') {
      this.withPanel('spmmT', mid, a.cols, [a.cscPtr, a.cscRow, 0, values, n, b, beta, c], a.rows, chunks, a.nnz);
      return;
    }
    // below 8 batch columns the kernel reads the values at most twice, so a gather pass saves
    // nothing; chunked, the chunk layout gathers them anyway
    if (n < 8 || a.nnz === 0 || chunks > 1) {
      this.withPanel('spmmT', mid, a.cols, [a.cscPtr, a.cscRow, a.cscPerm, values, n, b, beta, c], a.rows, chunks, a.nnz);
      return;
    }
    const permuted = this.buffer('permuted', a.nnz);
    this.ranged('gatherPerm', 0, this.mid(a.nnz, a.nnz, PAR_STREAM, 16), a.nnz, [a.cscPerm, values, permuted]);
    this.withPanel('spmmT', mid, a.cols, [a.cscPtr, a.cscRow, 0, permuted, n, b, beta, c], a.rows, 1, a.nnz);
  }

  /**
   * Chunks spmm/spmmT take B (bRows rows) in for an output of `rows` rows with `nnz` non-zeros (1:
   * none; see chunkedPasses in assembly/sparse.ts): where B's packed 24-column slices outgrow L1
   * in CHUNK_LEAST chunks or more (spmmChunks), C can carry the sums between chunks (beta = 0) and
   * the rows' runs are long enough to pay for the layout, CHUNK_RUN non-zeros per row and chunk
   * on average.
   */
  private chunks(bRows: number, rows: number, nnz: number, n: number, beta: number): number {
    if (n <= 24 || beta !== 0 || this.k.spmmPanelFloats(bRows) > this.scratchFloats) return 1;
    const chunks = this.k.spmmChunks(bRows);
    return chunks >= CHUNK_LEAST && nnz >= CHUNK_RUN * rows * chunks ? chunks : 1;
  }

  /**
   * Runs spmm/spmmT over [0, hi) split at mid, each thread packing B (bRows rows) into its own
   * scratch when it fits; `keep` follows the panel, then, with chunks > 1, the chunk layout's
   * buffers (runs, indices, values; both threads' in one, their rows and non-zeros being
   * disjoint), else 0, 0, 0.
   */
  private withPanel(
    name: 'spmm' | 'spmmT',
    mid: number,
    hi: number,
    args: number[],
    bRows: number,
    chunks: number,
    nnz: number,
    keep: number[] = [],
  ): void {
    const fits = this.k.spmmPanelFloats(bRows) <= this.scratchFloats;
    const panel = (t: number) => (fits ? this.scratch[t] : 0);
    const layout =
      chunks > 1 ? [this.buffer('runs', 2 * hi * chunks), this.buffer('layoutIdx', nnz), this.buffer('layoutValues', nnz)] : [0, 0, 0];
    const tail = [...keep, ...layout];
    const fn = this.k[name];
    if (this.pool === null || mid <= 0 || mid >= hi) {
      fn(0, hi, ...args, bRows, panel(0), ...tail);
      return;
    }
    this.pool.start(THREADED.indexOf(name), [mid, hi, ...args, bRows, panel(1), ...tail]);
    try {
      fn(0, mid, ...args, bRows, panel(0), ...tail);
    } finally {
      this.pool.join();
    }
  }

  /**
   * The backend's grow-on-demand buffer `name`, at least `count` 4-byte elements (one at least),
   * kept across calls and freed by dispose.
   */
  private buffer(name: BufferName, count: number): Ptr {
    const b = this.buffers[name];
    if (count > b.count) {
      if (b.ptr !== 0) this.arena.release(b.ptr);
      // cleared first, so that a failing alloc leaves no released pointer behind
      b.ptr = 0;
      b.count = 0;
      b.ptr = this.arena.alloc(Math.max(1, count) * 4);
      b.count = Math.max(1, count);
    }
    return b.ptr;
  }

  sddmm(a: CsrStructure, n: number, d: Ptr, h: Ptr, beta: number, out: Ptr): void {
    if (a.pairs && n >= PAIR_WIDTH && a.pairs.pairMean >= SDDMM_PAIR_LEAST) {
      // two rows' dot products with each gathered row of H (assembly/pairs.ts; the same bits)
      const p = a.pairs;
      const sums = this.buffer('pairSums', 2 * PAIR_SUMS);
      const args = (lo: number, hi: number, t: number) => [lo, hi, p.blocks, p.idx, p.pos, n, d, h, beta, out, sums + 4 * PAIR_SUMS * t];
      this.split('sddmmPairs', a.nnz * n, p, args);
      return;
    }
    // gather the rows of the smaller of D [rows, n] and H [cols, n] (see assembly/sddmm.ts)
    // one cursor per row (per column in the CSC view) for the blocked kernel; the threads' rows are disjoint
    if (a.rows < a.cols) {
      const mid = this.sparseMid(a.cscPtr, a.cols, a.nnz * n);
      this.ranged('sddmm', 0, mid, a.cols, [a.cscPtr, a.cscRow, a.cscPerm, n, h, d, beta, out, a.rows, this.buffer('cursors', a.cols)]);
      return;
    }
    const mid = this.sparseMid(a.rowPtr, a.rows, a.nnz * n);
    this.ranged('sddmm', 0, mid, a.rows, [a.rowPtr, a.colIdx, 0, n, d, h, beta, out, a.cols, this.buffer('cursors', a.rows)]);
  }

  /** Row split of a CSR/CSC pointer array with equal non-zeros (plus one unit per row) on each side. */
  private sparseMid(ptr: Ptr, count: number, work: number): number {
    if (this.pool === null || work < PAR_SPARSE) return count;
    return this.k.splitPoint(ptr, count, 1);
  }

  scatterCsr(a: CsrStructure, values: Ptr, dense: Ptr): void {
    const mid = this.mid(a.rows, a.rows * a.cols, PAR_STREAM, 1);
    this.ranged('scatterCsr', 0, mid, a.rows, [a.cols, a.rowPtr, a.colIdx, values, dense]);
  }

  gatherCsr(a: CsrStructure, dense: Ptr, beta: number, values: Ptr): void {
    const mid = this.sparseMid(a.rowPtr, a.rows, a.nnz);
    this.ranged('gatherCsr', 0, mid, a.rows, [a.cols, a.rowPtr, a.colIdx, dense, beta, values]);
  }

  transpose(rows: number, cols: number, a: Ptr, b: Ptr): void {
    this.ranged('transpose', 0, this.mid(rows, rows * cols, PAR_STREAM, 4), rows, [rows, cols, a, b]);
  }

  addRowBias(rows: number, n: number, bias: Ptr, c: Ptr): void {
    this.ranged('addRowBias', 0, this.mid(rows, rows * n, PAR_STREAM, 1), rows, [n, bias, c]);
  }

  rowSum(rows: number, n: number, a: Ptr, beta: number, out: Ptr): void {
    this.ranged('rowSum', 0, this.mid(rows, rows * n, PAR_STREAM, 1), rows, [n, a, beta, out]);
  }

  activation(kind: Activation, len: number, x: Ptr, y: Ptr): void {
    const mid = this.mid(len, len, heavy(kind) ? PAR_TRANSCENDENTAL : PAR_STREAM, 16);
    this.ranged('activation', 0, mid, len, [activationCode(kind), x, y]);
  }

  activationGrad(kind: Activation, len: number, x: Ptr, y: Ptr, dy: Ptr, dx: Ptr): void {
    const mid = this.mid(len, len, heavy(kind) ? PAR_TRANSCENDENTAL : PAR_STREAM, 16);
    this.ranged('activationGrad', 0, mid, len, [activationCode(kind), x, y, dy, dx]);
  }

  softmaxCrossEntropy(classes: number, n: number, logits: Ptr, labels: Ptr, grad: Ptr, gradScale: number): number {
    return this.k.softmaxCrossEntropy(classes, n, logits, labels, grad, gradScale);
  }

  bceWithLogits(len: number, logits: Ptr, targets: Ptr, grad: Ptr, gradScale: number): number {
    return this.k.bceWithLogits(len, logits, targets, grad, gradScale);
  }

  mse(len: number, pred: Ptr, targets: Ptr, grad: Ptr, gradScale: number): number {
    return this.k.mse(len, pred, targets, grad, gradScale);
  }

  adam(len: number, w: Ptr, g: Ptr, m: Ptr, v: Ptr, p: AdamParams): void {
    // the step-dependent bias corrections in double precision, as in the reference
    const bc1 = 1 - p.beta1 ** p.step;
    const bc2 = 1 - p.beta2 ** p.step;
    const hyper = [
      p.beta1,
      p.beta2,
      1 - p.beta1,
      1 - p.beta2,
      p.eps,
      p.weightDecay,
      p.lr * p.weightDecay,
      +p.decoupled,
      p.lr / bc1,
      Math.sqrt(bc2),
    ];
    this.ranged('adam', 0, this.mid(len, len, PAR_OPTIM, 16), len, [w, g, m, v, ...hyper]);
  }

  sgd(len: number, w: Ptr, g: Ptr, buf: Ptr, p: SgdParams): void {
    const hyper = [p.lr, p.momentum, p.weightDecay, +p.nesterov];
    this.ranged('sgd', 0, this.mid(len, len, PAR_OPTIM, 16), len, [w, g, buf, ...hyper]);
  }

  scale(len: number, alpha: number, x: Ptr): void {
    this.ranged('scale', 0, this.mid(len, len, PAR_STREAM, 16), len, [alpha, x]);
  }

  countNonFinite(len: number, x: Ptr): number {
    return this.k.countNonFinite(len, x);
  }

  // --- minibatch gather (assembly/rows.ts): one call per batch, main thread only ---

  gatherRows(count: number, width: number, order: Ptr, src: Ptr, dst: Ptr): void {
    this.k.gatherRows(count, width, order, src, dst);
  }

  // --- end of the minibatch gather ---

  dispose(): void {
    this.pool?.dispose();
    for (const p of this.scratch.splice(0)) this.arena.release(p);
    for (const b of Object.values(this.buffers)) {
      if (b.ptr !== 0) this.arena.release(b.ptr);
      b.ptr = 0;
      b.count = 0;
    }
  }
}

/** The kernel ABI code of an activation: its index in ACTIVATIONS. */
function activationCode(kind: Activation): number {
  return ACTIVATIONS.indexOf(kind);
}

/** Activations whose kernels cost an exp (and a division) per element. */
function heavy(kind: Activation): boolean {
  return kind === 'gelu' || kind === 'sigmoid';
}
