import type { Ptr } from './arena.js';
import type { RowPairs } from './row-pairs.js';

/** Activation functions the kernels know, by their code in the kernel ABI. */
export const ACTIVATIONS = ['identity', 'relu', 'gelu', 'sigmoid'] as const;
/** Name of an element-wise activation: identity, relu, gelu (exact, erf-based) or sigmoid. */
export type Activation = (typeof ACTIVATIONS)[number];

/**
 * Structure of a sparse matrix (rows x cols) in CSR with a CSC view of the same non-zeros.
 * All fields are pointers to i32 arrays in the arena; values live apart (they are trained,
 * the structure is fixed), in CSR order, and are passed to each kernel separately.
 */
export interface CsrStructure {
  readonly rows: number;
  readonly cols: number;
  readonly nnz: number;
  /** i32[rows + 1]: non-zeros of row r are entries rowPtr[r] .. rowPtr[r+1]-1. */
  readonly rowPtr: Ptr;
  /** i32[nnz]: column of each CSR entry, increasing within a row. */
  readonly colIdx: Ptr;
  /** i32[cols + 1]: CSC column pointers. */
  readonly cscPtr: Ptr;
  /** i32[nnz]: row of each CSC entry, increasing within a column. */
  readonly cscRow: Ptr;
  /** i32[nnz]: index into the CSR values of each CSC entry (the value permutation). */
  readonly cscPerm: Ptr;
  /**
   * The row-pair layout spmm may take instead of the rows (see row-pairs.ts; buildCsr makes it
   * where it pays). A backend that takes it sums each row's non-zeros in its block order.
   */
  readonly pairs?: RowPairs | null;
}

/**
 * Where spmm also writes its values in CSC order: values[pos[e]] = the CSR value e (f32[nnz] and
 * i32[nnz] in the arena; pos from `cscPositions`), so that a backward spmmT of the same weights
 * reads them in sequence (`order: 'csc'`) instead of gathering them through the CSC permutation.
 */
export interface CscCopy {
  readonly values: Ptr;
  readonly pos: Ptr;
}

/** Hyper-parameters of one Adam / AdamW update. `step` is 1-based, for the bias corrections. */
export interface AdamParams {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** true: AdamW (decay applied to the weight); false: L2 added to the gradient (Adam). */
  decoupled: boolean;
  step: number;
}

/** Hyper-parameters of one SGD update (PyTorch semantics: buf = momentum*buf + g; w -= lr*buf). */
export interface SgdParams {
  lr: number;
  momentum: number;
  weightDecay: number;
  nesterov: boolean;
}

/**
 * The kernel table. Every pointer is a byte offset into the engine's shared memory; every
 * matrix is row-major and contiguous. Activations in widen are stored feature-major, [features,
 * batch], so a layer's forward is `Z = W · H` and the batch is the fast axis of every kernel.
 * Kernels never allocate; outputs must not alias inputs unless a kernel says so.
 */
export interface Backend {
  /** 'ref' (plain TypeScript, the executable spec) or 'wasm' (SIMD, optionally 2 threads). */
  readonly name: 'ref' | 'wasm';
  /** The wasm kernel build that runs ('plain' SIMD or 'relaxed' SIMD with fused multiply-add); null for ref. */
  readonly flavour: 'plain' | 'relaxed' | null;
  /** Threads the heavy kernels use (1 or 2). */
  readonly threads: number;

  /** C[m,n] = alpha·op(A)·op(B) + beta·C; op(A) is [m,k] (A stored [k,m] when transA), op(B) is [k,n] (B stored [n,k] when transB). */
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Ptr, b: Ptr, beta: number, c: Ptr): void;
  /** C[rows,n] = A·B + beta·C for sparse A (rows x cols, CSR values) and dense B[cols,n]; with `keep`, also A's values in CSC order there. */
  spmm(a: CsrStructure, values: Ptr, n: number, b: Ptr, beta: number, c: Ptr, keep?: CscCopy): void;
  /**
   * C[cols,n] = Aᵀ·B + beta·C for sparse A (rows x cols) and dense B[rows,n], through the CSC view;
   * values in CSR order, or in CSC order with order = 'csc' (as spmm's `keep` wrote them). The same bits either way.
   */
  spmmT(a: CsrStructure, values: Ptr, n: number, b: Ptr, beta: number, c: Ptr, order?: 'csr' | 'csc'): void;
  /** out[e] = Σ_t D[row(e),t]·H[col(e),t] + beta·out[e] for each non-zero e (CSR order); D[rows,n], H[cols,n]. */
  sddmm(a: CsrStructure, n: number, d: Ptr, h: Ptr, beta: number, out: Ptr): void;
  /** dense[rows,cols] = the matrix with CSR values at the non-zeros and 0 elsewhere. */
  scatterCsr(a: CsrStructure, values: Ptr, dense: Ptr): void;
  /** values[e] = dense[row(e), col(e)] + beta·values[e] for each non-zero e. */
  gatherCsr(a: CsrStructure, dense: Ptr, beta: number, values: Ptr): void;

  /**
   * dst row i = src row order[i] for i in [0, count): rows of `width` 4-byte elements (f32 or
   * i32, copied bit for bit), order i32[count]. Gathers a minibatch from a set staged in memory.
   */
  gatherRows(count: number, width: number, order: Ptr, src: Ptr, dst: Ptr): void;
  /** b[cols,rows] = aᵀ for a[rows,cols]. */
  transpose(rows: number, cols: number, a: Ptr, b: Ptr): void;
  /** c[r,t] += bias[r] for c[rows,n]. */
  addRowBias(rows: number, n: number, bias: Ptr, c: Ptr): void;
  /** out[r] = Σ_t a[r,t] + beta·out[r] for a[rows,n]. */
  rowSum(rows: number, n: number, a: Ptr, beta: number, out: Ptr): void;
  /** y = f(x) element-wise over len floats; y may equal x. */
  activation(kind: Activation, len: number, x: Ptr, y: Ptr): void;
  /** dx = f'(x)·dy element-wise, given x = pre-activation and y = f(x); dx may equal dy. */
  activationGrad(kind: Activation, len: number, x: Ptr, y: Ptr, dy: Ptr, dx: Ptr): void;

  /**
   * Softmax cross-entropy over logits[classes,n] (feature-major) with i32 labels[n]. Returns the
   * summed loss; when grad != 0 writes grad = (softmax - onehot)·gradScale, [classes,n].
   */
  softmaxCrossEntropy(classes: number, n: number, logits: Ptr, labels: Ptr, grad: Ptr, gradScale: number): number;
  /** Binary cross-entropy on logits vs targets in [0,1] (len floats); returns the sum; grad = (σ(z) - y)·gradScale when grad != 0. */
  bceWithLogits(len: number, logits: Ptr, targets: Ptr, grad: Ptr, gradScale: number): number;
  /** Σ (pred - target)²; grad = 2(pred - target)·gradScale when grad != 0. */
  mse(len: number, pred: Ptr, targets: Ptr, grad: Ptr, gradScale: number): number;

  /** One Adam/AdamW update of w[len] with gradient g and state m, v (all compact, non-zeros only). */
  adam(len: number, w: Ptr, g: Ptr, m: Ptr, v: Ptr, p: AdamParams): void;
  /** One SGD update of w[len] with gradient g and momentum buffer buf (unused when momentum = 0). */
  sgd(len: number, w: Ptr, g: Ptr, buf: Ptr, p: SgdParams): void;

  /** x *= alpha over len floats. */
  scale(len: number, alpha: number, x: Ptr): void;
  /** Number of NaN or ±Inf among len floats at x. */
  countNonFinite(len: number, x: Ptr): number;
  /** Releases threads and instances; the backend must not be used afterwards. */
  dispose(): void;
}

/**
 * The name a run records for its kernels: 'ref', 'wasm' (plain SIMD) or 'wasm-relaxed' (FMA). Two
 * different ids give different last bits, so stores refuse to mix them.
 */
export function backendId(backend: Pick<Backend, 'name' | 'flavour'>): 'ref' | 'wasm' | 'wasm-relaxed' {
  return backend.name === 'wasm' && backend.flavour === 'relaxed' ? 'wasm-relaxed' : backend.name;
}
