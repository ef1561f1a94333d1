import type { Engine, Tensor } from '../engine/index.js';

/**
 * The work buffers of one MLP at one batch size B, allocated once and reused every step.
 * Activations are feature-major: [features, B].
 */
export class Workspace {
  readonly batch: number;
  /** [in, B]: the input batch, transposed from the caller's [B, in]. */
  readonly input: Tensor;
  /** [B, in]: staging for the sample-major input before the transpose. */
  readonly inputRows: Tensor;
  /** z[l]: [out_l, B] pre-activations of layer l; the last entry holds the logits. */
  readonly z: Tensor[];
  /** h[l]: [out_l, B] = f(z[l]) for the hidden layers (one fewer entry than z). */
  readonly h: Tensor[];
  /** dz[l]: [out_l, B] = dL/dz[l]; backward reads dz[last] and fills the others. */
  readonly dz: Tensor[];
  /** [B, out]: sample-major logits for the caller, and staging for sample-major targets. */
  readonly outputRows: Tensor;
  /** i32 [B]: class labels for cross-entropy. */
  readonly labels: Tensor;
  /** [out, B]: float targets for bce and mse. */
  readonly targets: Tensor;

  /** Allocates the buffers of an MLP with layer sizes `sizes` ([in, h1, ..., out]) at batch `batch`. */
  constructor(engine: Engine, sizes: readonly number[], batch: number) {
    this.batch = batch;
    const outs = sizes.slice(1);
    const out = sizes[sizes.length - 1];
    this.input = engine.tensor([sizes[0], batch]);
    this.inputRows = engine.tensor([batch, sizes[0]]);
    this.z = outs.map((n) => engine.tensor([n, batch]));
    this.h = outs.slice(0, -1).map((n) => engine.tensor([n, batch]));
    this.dz = outs.map((n) => engine.tensor([n, batch]));
    this.outputRows = engine.tensor([batch, out]);
    this.labels = engine.tensor([batch], 'i32');
    this.targets = engine.tensor([out, batch]);
  }

  /** The logits [out, B] of the last forward. */
  get logits(): Tensor {
    return this.z[this.z.length - 1];
  }

  /** Frees every buffer. */
  dispose(): void {
    for (const t of [this.input, this.inputRows, ...this.z, ...this.h, ...this.dz, this.outputRows, this.labels, this.targets]) t.dispose();
  }
}
