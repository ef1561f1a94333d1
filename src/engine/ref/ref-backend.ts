import type { Arena, Ptr } from '../arena.js';
import type { Activation, AdamParams, Backend, CscCopy, CsrStructure, SgdParams } from '../backend.js';
import { gelu, geluGrad, sigmoid, softplus } from './math.js';

/**
 * The reference kernel table: plain loops in TypeScript, accumulating in double precision. It is
 * the executable definition of every kernel; the wasm backend is tested against it.
 */
export class RefBackend implements Backend {
  readonly name = 'ref' as const;
  readonly threads = 1;
  readonly flavour = null;
  private readonly arena: Arena;

  constructor(arena: Arena) {
    this.arena = arena;
  }

  private f(ptr: Ptr, len: number): Float32Array {
    return this.arena.f32(ptr, len);
  }

  private csr(a: CsrStructure) {
    const m = this.arena;
    return {
      rowPtr: m.i32(a.rowPtr, a.rows + 1),
      colIdx: m.i32(a.colIdx, a.nnz),
      cscPtr: m.i32(a.cscPtr, a.cols + 1),
      cscRow: m.i32(a.cscRow, a.nnz),
      cscPerm: m.i32(a.cscPerm, a.nnz),
    };
  }

  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Ptr, b: Ptr, beta: number, c: Ptr): void {
    const A = this.f(a, m * k);
    const B = this.f(b, k * n);
    const C = this.f(c, m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          s += (transA ? A[p * m + i] : A[i * k + p]) * (transB ? B[j * k + p] : B[p * n + j]);
        }
        C[i * n + j] = alpha * s + (beta === 0 ? 0 : beta * C[i * n + j]);
      }
    }
  }

  spmm(a: CsrStructure, values: Ptr, n: number, b: Ptr, beta: number, c: Ptr, keep?: CscCopy): void {
    const { rowPtr, colIdx } = this.csr(a);
    const V = this.f(values, a.nnz);
    if (keep !== undefined) {
      const K = this.f(keep.values, a.nnz);
      const pos = this.arena.i32(keep.pos, a.nnz);
      for (let e = 0; e < a.nnz; e++) K[pos[e]] = V[e];
    }
    const B = this.f(b, a.cols * n);
    const C = this.f(c, a.rows * n);
    const acc = new Float64Array(n);
    for (let r = 0; r < a.rows; r++) {
      acc.fill(0);
      for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
        const w = V[e];
        const off = colIdx[e] * n;
        for (let t = 0; t < n; t++) acc[t] += w * B[off + t];
      }
      for (let t = 0; t < n; t++) C[r * n + t] = acc[t] + (beta === 0 ? 0 : beta * C[r * n + t]);
    }
  }

  spmmT(a: CsrStructure, values: Ptr, n: number, b: Ptr, beta: number, c: Ptr, order: 'csr' | 'csc' = 'csr'): void {
    const { cscPtr, cscRow, cscPerm } = this.csr(a);
    const V = this.f(values, a.nnz);
    const B = this.f(b, a.rows * n);
    const C = this.f(c, a.cols * n);
    const acc = new Float64Array(n);
    for (let j = 0; j < a.cols; j++) {
      acc.fill(0);
      for (let e = cscPtr[j]; e < cscPtr[j + 1]; e++) {
        const w = V[order === 'csc' ? e : cscPerm[e]];
        const off = cscRow[e] * n;
        for (let t = 0; t < n; t++) acc[t] += w * B[off + t];
      }
      for (let t = 0; t < n; t++) C[j * n + t] = acc[t] + (beta === 0 ? 0 : beta * C[j * n + t]);
    }
  }

  sddmm(a: CsrStructure, n: number, d: Ptr, h: Ptr, beta: number, out: Ptr): void {
    const { rowPtr, colIdx } = this.csr(a);
    const D = this.f(d, a.rows * n);
    const H = this.f(h, a.cols * n);
    const O = this.f(out, a.nnz);
    for (let r = 0; r < a.rows; r++) {
      for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
        let s = 0;
        const dr = r * n;
        const hc = colIdx[e] * n;
        for (let t = 0; t < n; t++) s += D[dr + t] * H[hc + t];
        O[e] = s + (beta === 0 ? 0 : beta * O[e]);
      }
    }
  }

  scatterCsr(a: CsrStructure, values: Ptr, dense: Ptr): void {
    const { rowPtr, colIdx } = this.csr(a);
    const V = this.f(values, a.nnz);
    const M = this.f(dense, a.rows * a.cols);
    M.fill(0);
    for (let r = 0; r < a.rows; r++) {
      for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) M[r * a.cols + colIdx[e]] = V[e];
    }
  }

  gatherCsr(a: CsrStructure, dense: Ptr, beta: number, values: Ptr): void {
    const { rowPtr, colIdx } = this.csr(a);
    const V = this.f(values, a.nnz);
    const M = this.f(dense, a.rows * a.cols);
    for (let r = 0; r < a.rows; r++) {
      for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
        V[e] = M[r * a.cols + colIdx[e]] + (beta === 0 ? 0 : beta * V[e]);
      }
    }
  }

  gatherRows(count: number, width: number, order: Ptr, src: Ptr, dst: Ptr): void {
    // i32 views copy the bits of f32 rows too (NaN payloads included)
    const O = this.arena.i32(order, count);
    const memory = this.arena.memory.buffer;
    for (let i = 0; i < count; i++) {
      const from = new Int32Array(memory, src + O[i] * width * 4, width);
      new Int32Array(memory, dst + i * width * 4, width).set(from);
    }
  }

  transpose(rows: number, cols: number, a: Ptr, b: Ptr): void {
    const A = this.f(a, rows * cols);
    const B = this.f(b, rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) B[c * rows + r] = A[r * cols + c];
  }

  addRowBias(rows: number, n: number, bias: Ptr, c: Ptr): void {
    const bv = this.f(bias, rows);
    const C = this.f(c, rows * n);
    for (let r = 0; r < rows; r++) for (let t = 0; t < n; t++) C[r * n + t] += bv[r];
  }

  rowSum(rows: number, n: number, a: Ptr, beta: number, out: Ptr): void {
    const A = this.f(a, rows * n);
    const O = this.f(out, rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += A[r * n + t];
      O[r] = s + (beta === 0 ? 0 : beta * O[r]);
    }
  }

  activation(kind: Activation, len: number, x: Ptr, y: Ptr): void {
    const X = this.f(x, len);
    const Y = this.f(y, len);
    for (let i = 0; i < len; i++) {
      const v = X[i];
      Y[i] = kind === 'relu' ? (v > 0 ? v : 0) : kind === 'gelu' ? gelu(v) : kind === 'sigmoid' ? sigmoid(v) : v;
    }
  }

  activationGrad(kind: Activation, len: number, x: Ptr, y: Ptr, dy: Ptr, dx: Ptr): void {
    const X = this.f(x, len);
    const Y = this.f(y, len);
    const DY = this.f(dy, len);
    const DX = this.f(dx, len);
    for (let i = 0; i < len; i++) {
      const g = kind === 'relu' ? (X[i] > 0 ? 1 : 0) : kind === 'gelu' ? geluGrad(X[i]) : kind === 'sigmoid' ? Y[i] * (1 - Y[i]) : 1;
      DX[i] = g * DY[i];
    }
  }

  softmaxCrossEntropy(classes: number, n: number, logits: Ptr, labels: Ptr, grad: Ptr, gradScale: number): number {
    const Z = this.f(logits, classes * n);
    const L = this.arena.i32(labels, n);
    const G = grad === 0 ? null : this.f(grad, classes * n);
    let total = 0;
    for (let t = 0; t < n; t++) {
      let max = -Infinity;
      for (let c = 0; c < classes; c++) max = Math.max(max, Z[c * n + t]);
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(Z[c * n + t] - max);
      const lse = max + Math.log(sum);
      total += lse - Z[L[t] * n + t];
      if (G) {
        for (let c = 0; c < classes; c++) {
          G[c * n + t] = (Math.exp(Z[c * n + t] - lse) - (c === L[t] ? 1 : 0)) * gradScale;
        }
      }
    }
    return total;
  }

  bceWithLogits(len: number, logits: Ptr, targets: Ptr, grad: Ptr, gradScale: number): number {
    const Z = this.f(logits, len);
    const Y = this.f(targets, len);
    const G = grad === 0 ? null : this.f(grad, len);
    let total = 0;
    for (let i = 0; i < len; i++) {
      // -[y log σ(z) + (1-y) log(1-σ(z))] = softplus(z) - y·z
      total += softplus(Z[i]) - Y[i] * Z[i];
      if (G) G[i] = (sigmoid(Z[i]) - Y[i]) * gradScale;
    }
    return total;
  }

  mse(len: number, pred: Ptr, targets: Ptr, grad: Ptr, gradScale: number): number {
    const P = this.f(pred, len);
    const Y = this.f(targets, len);
    const G = grad === 0 ? null : this.f(grad, len);
    let total = 0;
    for (let i = 0; i < len; i++) {
      const d = P[i] - Y[i];
      total += d * d;
      if (G) G[i] = 2 * d * gradScale;
    }
    return total;
  }

  adam(len: number, w: Ptr, g: Ptr, m: Ptr, v: Ptr, p: AdamParams): void {
    const W = this.f(w, len);
    const G = this.f(g, len);
    const M = this.f(m, len);
    const V = this.f(v, len);
    const bc1 = 1 - p.beta1 ** p.step;
    const bc2 = 1 - p.beta2 ** p.step;
    for (let i = 0; i < len; i++) {
      let gi = G[i];
      if (p.weightDecay !== 0) {
        if (p.decoupled) W[i] -= p.lr * p.weightDecay * W[i];
        else gi += p.weightDecay * W[i];
      }
      M[i] = p.beta1 * M[i] + (1 - p.beta1) * gi;
      V[i] = p.beta2 * V[i] + (1 - p.beta2) * gi * gi;
      // PyTorch's form: w -= lr/bc1 · m / (sqrt(v)/sqrt(bc2) + eps)
      W[i] -= ((p.lr / bc1) * M[i]) / (Math.sqrt(V[i]) / Math.sqrt(bc2) + p.eps);
    }
  }

  sgd(len: number, w: Ptr, g: Ptr, buf: Ptr, p: SgdParams): void {
    const W = this.f(w, len);
    const G = this.f(g, len);
    const B = p.momentum === 0 ? null : this.f(buf, len);
    for (let i = 0; i < len; i++) {
      let gi = G[i] + p.weightDecay * W[i];
      if (B) {
        B[i] = p.momentum * B[i] + gi;
        gi = p.nesterov ? gi + p.momentum * B[i] : B[i];
      }
      W[i] -= p.lr * gi;
    }
  }

  scale(len: number, alpha: number, x: Ptr): void {
    const X = this.f(x, len);
    for (let i = 0; i < len; i++) X[i] *= alpha;
  }

  countNonFinite(len: number, x: Ptr): number {
    const X = this.f(x, len);
    let bad = 0;
    for (let i = 0; i < len; i++) if (!Number.isFinite(X[i])) bad++;
    return bad;
  }

  dispose(): void {}
}
