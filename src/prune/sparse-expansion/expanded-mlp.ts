import type { Activation, Engine, Tensor } from '../../engine/index.js';
import { ShapeError } from '../../engine/index.js';
import { ActivationStep, type SparseLinear } from '../../nn/index.js';
import { type LayerRouter, routeRows, routingFlops } from './router.js';

/** One expanded linear layer: a router (null with a single expert) and one sparse copy of the layer per cluster. */
export interface ExpandedLayer {
  router: LayerRouter | null;
  experts: SparseLinear[];
}

/** The outputs of one expanded layer on rows of inputs: pre-activations z, activations h, and each row's expert. */
export interface LayerPass {
  /** [b, out] row-major pre-activations. */
  z: Float32Array;
  /** [b, out] row-major f(z) (the layer's activation; identity for the output layer). */
  h: Float32Array;
  labels: Int32Array;
}

/**
 * A mixture of sparse experts per layer (Sparse Expansion): each input of layer l goes to the
 * expert of its nearest centroid (after the layer's PCA) and only that expert's weights are used.
 * Hidden layers apply `activation`; the last returns logits. Example: `expanded.predict(x, 64)`.
 */
export class ExpandedMLP {
  readonly layers: ExpandedLayer[];
  readonly activation: Activation;
  readonly engine: Engine;
  private readonly act: ActivationStep;

  /** Wraps the layers (consecutive widths must match; every expert of a layer has the layer's shape). */
  constructor(layers: ExpandedLayer[], activation: Activation, engine: Engine) {
    layers.forEach((l, i) => {
      const [first] = l.experts;
      const k = l.router?.k ?? 1;
      if (l.experts.length !== k || l.experts.some((e) => e.inFeatures !== first.inFeatures || e.outFeatures !== first.outFeatures)) {
        throw new ShapeError(`ExpandedMLP layers.${i}: ${l.experts.length} experts for ${k} clusters, or experts of different shapes`, {
          where: `layers.${i}.experts`,
        });
      }
      if (i > 0 && first.inFeatures !== layers[i - 1].experts[0].outFeatures) {
        throw new ShapeError(
          `ExpandedMLP layers.${i} has ${first.inFeatures} inputs but layers.${i - 1} has ${layers[i - 1].experts[0].outFeatures} outputs`,
          {
            where: `layers.${i}`,
          },
        );
      }
    });
    this.layers = layers;
    this.activation = activation;
    this.engine = engine;
    this.act = new ActivationStep(activation, engine);
  }

  /** Number of inputs. */
  get inFeatures(): number {
    return this.layers[0].experts[0].inFeatures;
  }

  /** Number of outputs (logits). */
  get outFeatures(): number {
    return this.layers[this.layers.length - 1].experts[0].outFeatures;
  }

  /** Experts per layer. */
  experts(): number[] {
    return this.layers.map((l) => l.experts.length);
  }

  /** Non-zero weights stored over all experts of all layers (biases not counted). */
  nnzStored(): number {
    return this.layers.reduce((s, l) => s + l.experts.reduce((t, e) => t + e.nnz, 0), 0);
  }

  /** Mean over the given routing labels (one Int32Array per layer) of the non-zeros of the experts used. */
  nnzPerInput(labels: Int32Array[]): number {
    return labels.reduce((s, lab, l) => {
      let sum = 0;
      for (const c of lab) sum += this.layers[l].experts[c].nnz;
      return s + sum / Math.max(1, lab.length);
    }, 0);
  }

  /** Floating-point operations spent on routing one input through every layer. */
  routingFlops(): number {
    return this.layers.reduce((s, l) => s + routingFlops(l.router), 0);
  }

  /** Runs layer l on input rows x [b, in_l]; the output layer has no activation (h = z). */
  layerPass(l: number, x: Float32Array, b: number): LayerPass {
    return runLayer(this.layers[l], this.act, x, b, l < this.layers.length - 1);
  }

  /** Every layer's pass over x [b, in], in order (each layer's h feeds the next). */
  trace(x: Float32Array, b: number): LayerPass[] {
    const passes: LayerPass[] = [];
    let input = x;
    for (let l = 0; l < this.layers.length; l++) {
      const pass = this.layerPass(l, input, b);
      passes.push(pass);
      input = pass.h;
    }
    return passes;
  }

  /** Logits [b, out] for the inputs x [b, in]. */
  predict(x: Float32Array, b: number): Float32Array {
    return this.trace(x, b)[this.layers.length - 1].z;
  }

  /** Frees every expert; the model must not be used afterwards. */
  dispose(): void {
    for (const l of this.layers) for (const e of l.experts) e.dispose();
  }
}

/**
 * Runs one expanded layer on input rows x [b, in]: routes each row, runs each expert on its rows
 * (feature-major, on the engine's kernels) and applies `act` when `activate` (else h = z).
 */
export function runLayer(layer: ExpandedLayer, act: ActivationStep, x: Float32Array, b: number, activate: boolean): LayerPass {
  const { router, experts } = layer;
  const [inF, out] = [experts[0].inFeatures, experts[0].outFeatures];
  if (!(x instanceof Float32Array) || x.length !== b * inF) {
    throw new ShapeError(`ExpandedMLP layer: x must be a Float32Array of ${b} x ${inF} values, got ${x?.length}`, {
      where: 'x',
      got: x?.length,
      allowed: String(b * inF),
    });
  }
  const labels = router === null ? new Int32Array(b) : routeRows(router, x, b);
  const e = act.engine;
  const owned: Tensor[] = [];
  const tensor = (shape: number[]): Tensor => {
    const t = e.tensor(shape);
    owned.push(t);
    return t;
  };
  try {
    const z = tensor([out, b]);
    if (experts.length === 1) {
      // the same operations as MLP.forward, so one expert reproduces the plain pruned model exactly
      const rows = tensor([b, inF]);
      const input = tensor([inF, b]);
      rows.data.set(x);
      e.backend.transpose(b, inF, rows.ptr, input.ptr);
      experts[0].forward(input, z, b);
    } else {
      for (let c = 0; c < experts.length; c++) expertPass(experts[c], c, labels, x, z, tensor);
    }
    const zRows = tensor([b, out]);
    e.backend.transpose(out, b, z.ptr, zRows.ptr);
    const zOut = zRows.data.slice();
    if (!activate) return { z: zOut, h: zOut, labels };
    const h = tensor([out, b]);
    act.forward(z, h);
    const hRows = tensor([b, out]);
    e.backend.transpose(out, b, h.ptr, hRows.ptr);
    return { z: zOut, h: hRows.data.slice(), labels };
  } finally {
    for (const t of owned) t.dispose();
  }
}

/** Runs `expert` on the rows routed to cluster c and writes its outputs into their columns of z [out, b]. */
function expertPass(
  expert: SparseLinear,
  c: number,
  labels: Int32Array,
  x: Float32Array,
  z: Tensor,
  tensor: (shape: number[]) => Tensor,
): void {
  const b = labels.length;
  const members: number[] = [];
  for (let t = 0; t < b; t++) if (labels[t] === c) members.push(t);
  if (members.length === 0) return;
  const [inF, out, bc] = [expert.inFeatures, expert.outFeatures, members.length];
  const xc = tensor([inF, bc]);
  const zc = tensor([out, bc]);
  // views after the allocations: growing the memory detaches older ones
  const xd = xc.data;
  for (let i = 0; i < bc; i++) for (let j = 0; j < inF; j++) xd[j * bc + i] = x[members[i] * inF + j];
  expert.forward(xc, zc, bc);
  const [zd, zcd] = [z.data, zc.data];
  for (let r = 0; r < out; r++) for (let i = 0; i < bc; i++) zd[r * b + members[i]] = zcd[r * bc + i];
}
