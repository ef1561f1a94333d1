import {
  buildCsr,
  ConfigError,
  type CscCopy,
  cscPositions,
  defaultEngine,
  type Engine,
  NumericError,
  type OwnedCsr,
  Rng,
  ShapeError,
  type Tensor,
} from '../engine/index.js';
import { compactDense, expandCompact, firstNonFinite } from './compact.js';
import { copyMask, randomMask } from './mask.js';

/** A trainable tensor and its gradient, same shape; a weight's are compact [nnz] arrays in CSR order. */
export interface Param {
  readonly name: string;
  readonly value: Tensor;
  readonly grad: Tensor;
}

/** How a layer multiplies: 'csr' (sparse kernels), 'dense' (masked dense GEMM) or 'auto' (by density). */
export type LayerPath = 'auto' | 'csr' | 'dense';

// Measured with bench/crossover.bench.ts (one layer forward + backward with dx, wasm, 1 thread,
// AMD EPYC): csr ms / dense ms at density 0.4 / 0.45 / 0.5 / 0.6 was
//   2048x2048 batch 256: 0.78 / 0.94 / 1.03 / 1.24     2048x2048 batch 64: 0.78 / 0.90 / 0.99 / 1.16
//   512x2048  batch 256: 0.76 / 0.88 / 0.91 / 0.89     512x2048  batch 64: 0.78 / 0.89 / 1.02 / 1.17
// and the MLP 512-2048-2048-10 train step at density 0.5 took 229 ms on CSR vs 218 ms dense. The
// ratio is about the same for every shape and batch (both paths are bound by multiply-adds per
// non-zero), so one threshold does; re-measure it when the sparse or GEMM kernels change.
/** Density at or below which path 'auto' takes the CSR kernels (the default of `csrMaxDensity`). */
export const CSR_MAX_DENSITY = 0.45;

/** Options of a SparseLinear layer. */
export interface SparseLinearOptions {
  inFeatures: number;
  outFeatures: number;
  /** [out, in] row-major, non-zero = kept. Wins over `density`. Default: all kept. */
  mask?: Uint8Array;
  /** In (0, 1]: keep round(density·out·in) entries (at least 1) chosen uniformly at random. */
  density?: number;
  /** Draws the random mask, then the weights, then the biases (default: a generator seeded 0). */
  rng?: Rng;
  /** Execution path; 'auto' (default) takes CSR when density <= csrMaxDensity. */
  path?: LayerPath;
  /** Density threshold of path 'auto' (default CSR_MAX_DENSITY). */
  csrMaxDensity?: number;
  engine?: Engine;
}

/**
 * A linear layer z = W·x + b with a fixed binary mask on W, working on feature-major
 * activations ([features, batch]). The canonical weight is the compact array of its nnz kept
 * values in CSR order; gradients and optimizer state are compact too, so masked weights are
 * structurally zero forever. Example: `new SparseLinear({ inFeatures: 784, outFeatures: 256, density: 0.1 })`.
 */
export class SparseLinear {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly nnz: number;
  readonly engine: Engine;
  /** The execution path in use. */
  readonly path: 'csr' | 'dense';
  private readonly maskBits: Uint8Array; // [out, in], 0/1
  private readonly csr: OwnedCsr;
  private readonly values: Tensor; // [nnz], CSR order
  private readonly gradValues: Tensor; // [nnz]
  private readonly biasValues: Tensor; // [out]
  private readonly gradBias: Tensor; // [out]
  // dense path with a partial mask: W scattered to [out, in], and dW before the gather; with a
  // full mask the CSR order is row-major, so the compact arrays already are the dense matrices
  private readonly denseW: Tensor | null;
  private readonly denseGrad: Tensor | null;
  // CSR path: the weights of the last forward that a backward follows, in CSC order, written by
  // spmm as it reads them, so backward's spmmT reads them in sequence instead of gathering them
  // (made on the first such forward: 8 bytes per non-zero); fresh while no other forward ran
  // (`copy` holds the two pointers, made once so that a step allocates nothing)
  private csc: { values: Tensor; pos: Tensor; copy: CscCopy } | null = null;
  private cscFresh = false;

  /** Builds the layer with PyTorch's default init: weights and biases U(-1/√in, 1/√in), masked weights 0. */
  constructor(o: SparseLinearOptions) {
    const { inFeatures, outFeatures } = o;
    for (const [key, v] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new ConfigError(`SparseLinear.${key} must be an integer >= 1, got ${v}`, {
          where: `SparseLinear.${key}`,
          got: v,
          allowed: '>= 1',
        });
      }
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.engine = o.engine ?? defaultEngine();
    const rng = o.rng ?? new Rng(0);
    this.maskBits =
      o.mask !== undefined ? copyMask(o.mask, outFeatures, inFeatures) : randomMask(outFeatures, inFeatures, o.density ?? 1, rng);
    let nnz = 0;
    for (let i = 0; i < this.maskBits.length; i++) nnz += this.maskBits[i];
    this.nnz = nnz;
    this.path = choosePath(o.path ?? 'auto', nnz / this.maskBits.length, o.csrMaxDensity ?? CSR_MAX_DENSITY);

    const e = this.engine;
    // the dense path's CSR serves batch-1 inference only (the row kernel), so no row-pair layout
    this.csr = buildCsr(e.arena, outFeatures, inFeatures, this.maskBits, { pairs: this.path === 'csr' });
    this.values = e.tensor([nnz]);
    this.gradValues = e.tensor([nnz]);
    this.biasValues = e.tensor([outFeatures]);
    this.gradBias = e.tensor([outFeatures]);
    const partialDense = this.path === 'dense' && nnz < this.maskBits.length;
    this.denseW = partialDense ? e.tensor([outFeatures, inFeatures]) : null;
    this.denseGrad = partialDense ? e.tensor([outFeatures, inFeatures]) : null;

    const bound = 1 / Math.sqrt(inFeatures);
    const w = this.values.data;
    for (let i = 0; i < nnz; i++) w[i] = (2 * rng.float() - 1) * bound;
    const b = this.biasValues.data;
    for (let i = 0; i < outFeatures; i++) b[i] = (2 * rng.float() - 1) * bound;
  }

  /**
   * z[out, B] = W·x[in, B] + b. `forBackward`: a backward with dx follows (on the CSR path the
   * layer then keeps the weights in the order that backward reads them; see backward).
   */
  forward(x: Tensor, z: Tensor, batch: number, forBackward = false): void {
    this.checkSize(x, this.inFeatures * batch, 'forward input x');
    this.checkSize(z, this.outFeatures * batch, 'forward output z');
    const k = this.engine.backend;
    // one column with a partial mask: the dense path would scatter all out·in weights for out·in
    // multiply-adds, the CSR gather dot reads the non-zeros once (measured at 2048x2048: 1.7 vs
    // 5.3 ms at density 0.6, 1.3 vs 4.6 ms at 0.45), so batch-1 inference takes CSR on both paths
    if (this.path === 'csr' || (batch === 1 && this.denseW !== null)) {
      const keep = forBackward && this.path === 'csr' ? this.cscCopy() : undefined;
      k.spmm(this.csr, this.values.ptr, batch, x.ptr, 0, z.ptr, keep);
      this.cscFresh = keep !== undefined;
    } else {
      if (this.denseW !== null) k.scatterCsr(this.csr, this.values.ptr, this.denseW.ptr);
      k.gemm(false, false, this.outFeatures, batch, this.inFeatures, 1, this.denseWeightPtr(), x.ptr, 0, z.ptr);
    }
    k.addRowBias(this.outFeatures, batch, this.biasValues.ptr, z.ptr);
  }

  /**
   * Given the forward input x[in, B] and dz = dL/dz [out, B], adds dL/dW (at the non-zeros only)
   * and dL/db to the gradients and, when dx is given, writes dx = Wᵀ·dz [in, B]. Uses the
   * weights of the last forward (after a forward with `forBackward` on the CSR path, the copy in
   * CSC order that forward wrote: the same bits as the weights, without a gather pass here).
   */
  backward(x: Tensor, dz: Tensor, dx: Tensor | null, batch: number): void {
    this.checkSize(x, this.inFeatures * batch, 'backward input x');
    this.checkSize(dz, this.outFeatures * batch, 'backward gradient dz');
    if (dx !== null) this.checkSize(dx, this.inFeatures * batch, 'backward gradient dx');
    const k = this.engine.backend;
    const [out, inF] = [this.outFeatures, this.inFeatures];
    if (this.path === 'csr') {
      k.sddmm(this.csr, batch, dz.ptr, x.ptr, 1, this.gradValues.ptr);
      const kept = this.cscFresh ? this.csc : null;
      if (dx !== null && kept !== null) k.spmmT(this.csr, kept.values.ptr, batch, dz.ptr, 0, dx.ptr, 'csc');
      else if (dx !== null) k.spmmT(this.csr, this.values.ptr, batch, dz.ptr, 0, dx.ptr);
    } else {
      if (this.denseGrad !== null) {
        k.gemm(false, true, out, inF, batch, 1, dz.ptr, x.ptr, 0, this.denseGrad.ptr);
        k.gatherCsr(this.csr, this.denseGrad.ptr, 1, this.gradValues.ptr);
      } else {
        k.gemm(false, true, out, inF, batch, 1, dz.ptr, x.ptr, 1, this.gradValues.ptr);
      }
      if (dx !== null) k.gemm(true, false, inF, batch, out, 1, this.denseWeightPtr(), dz.ptr, 0, dx.ptr);
    }
    k.rowSum(out, batch, dz.ptr, 1, this.gradBias.ptr);
  }

  /** A dense [out, in] copy of the weight, zeros where masked. */
  weight(): Float32Array {
    return expandCompact(this.maskBits, this.values.data);
  }

  /** A copy of the [out, in] mask (1 = kept). */
  mask(): Uint8Array {
    return this.maskBits.slice();
  }

  /** A copy of the bias [out]. */
  bias(): Float32Array {
    return this.biasValues.data.slice();
  }

  /** A dense [out, in] copy of the accumulated weight gradient, zeros where masked. */
  weightGrad(): Float32Array {
    return expandCompact(this.maskBits, this.gradValues.data);
  }

  /** A copy of the accumulated bias gradient [out]. */
  biasGrad(): Float32Array {
    return this.gradBias.data.slice();
  }

  /** Sets the weight from a dense [out, in] matrix; throws ShapeError if a masked position holds a non-zero. */
  setWeight(dense: Float32Array): void {
    this.checkLength(dense, this.maskBits.length, 'setWeight', `[${this.outFeatures}, ${this.inFeatures}]`);
    const bad = firstNonFinite(dense);
    if (bad >= 0) throw nonFinite('setWeight', dense[bad], bad, this.inFeatures);
    for (let i = 0; i < dense.length; i++) {
      if (this.maskBits[i] === 0 && dense[i] !== 0) {
        const [r, c] = [Math.floor(i / this.inFeatures), i % this.inFeatures];
        throw new ShapeError(`setWeight: weight[${r}, ${c}] = ${dense[i]} but the mask is 0 there; masked weights must be exactly 0`, {
          where: 'SparseLinear.setWeight',
          got: dense[i],
          allowed: '0 at masked positions',
        });
      }
    }
    this.values.set(compactDense(this.maskBits, dense));
  }

  /** Sets the bias from an array of length out. */
  setBias(b: Float32Array): void {
    this.checkLength(b, this.outFeatures, 'setBias', `[${this.outFeatures}]`);
    const bad = firstNonFinite(b);
    if (bad >= 0) throw nonFinite('setBias', b[bad], bad, 0);
    this.biasValues.set(b);
  }

  /** The trainable parameters, `weight` (compact [nnz]) then `bias` [out], with their gradients. */
  params(): Param[] {
    return [
      { name: 'weight', value: this.values, grad: this.gradValues },
      { name: 'bias', value: this.biasValues, grad: this.gradBias },
    ];
  }

  /** Sets the accumulated gradients to zero. */
  zeroGrad(): void {
    this.gradValues.data.fill(0);
    this.gradBias.data.fill(0);
  }

  /** Frees the layer's memory in the engine; the layer must not be used afterwards. */
  dispose(): void {
    this.csc?.values.dispose();
    this.csc?.pos.dispose();
    this.csc = null;
    this.csr.dispose();
    for (const t of [this.values, this.gradValues, this.biasValues, this.gradBias, this.denseW, this.denseGrad]) t?.dispose();
  }

  /** The CSC-order copy spmm writes on a forward that a backward follows, made on first use. */
  private cscCopy(): CscCopy {
    if (this.csc === null) {
      const pos = this.engine.tensor([this.nnz], 'i32');
      try {
        cscPositions(this.engine.arena, this.csr, pos.ptr);
        const values = this.engine.tensor([this.nnz]);
        this.csc = { values, pos, copy: { values: values.ptr, pos: pos.ptr } };
      } catch (err) {
        pos.dispose();
        throw err;
      }
    }
    return this.csc.copy;
  }

  private denseWeightPtr(): number {
    return (this.denseW ?? this.values).ptr;
  }

  private checkSize(t: Tensor, size: number, what: string): void {
    if (t.size !== size) {
      throw new ShapeError(
        `SparseLinear ${what} has ${t.size} elements, expected ${size} for ${this.outFeatures}x${this.inFeatures} at this batch size`,
        {
          where: `SparseLinear.${what.split(' ')[0]}`,
          got: t.size,
          allowed: String(size),
        },
      );
    }
  }

  private checkLength(a: ArrayLike<number>, length: number, op: string, shape: string): void {
    if (a.length !== length) {
      throw new ShapeError(`${op}: got ${a.length} values, expected ${length} (shape ${shape})`, {
        where: `SparseLinear.${op}`,
        got: a.length,
        allowed: String(length),
      });
    }
  }
}

function nonFinite(op: string, v: number, i: number, cols: number): NumericError {
  const at = cols > 0 ? `[${Math.floor(i / cols)}, ${i % cols}]` : `[${i}]`;
  return new NumericError(`${op}: value ${v} at ${at} is not finite`, { where: `SparseLinear.${op}`, got: v });
}

function choosePath(path: LayerPath, density: number, csrMaxDensity: number): 'csr' | 'dense' {
  if (path === 'csr' || path === 'dense') return path;
  if (path !== 'auto') {
    throw new ConfigError(`SparseLinear.path must be one of auto, csr, dense, got ${JSON.stringify(path)}`, {
      where: 'SparseLinear.path',
      got: path,
      allowed: 'auto, csr, dense',
    });
  }
  if (!(csrMaxDensity >= 0 && csrMaxDensity <= 1)) {
    throw new ConfigError(`SparseLinear.csrMaxDensity must be in [0, 1], got ${csrMaxDensity}`, {
      where: 'SparseLinear.csrMaxDensity',
      got: csrMaxDensity,
      allowed: '[0, 1]',
    });
  }
  return density <= csrMaxDensity ? 'csr' : 'dense';
}
