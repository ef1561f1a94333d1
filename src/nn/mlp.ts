import { z } from 'zod';
import {
  ACTIVATIONS,
  type Activation,
  BackendError,
  CheckpointError,
  ConfigError,
  DataError,
  defaultEngine,
  type Engine,
  NumericError,
  Rng,
  ShapeError,
  type Tensor,
  WidenError,
  type WidenErrorCode,
  type WidenErrorDetails,
} from '../engine/index.js';
import { ActivationStep, parseActivation } from './activation.js';
import { parseConfig } from './config.js';
import { checkFinite } from './dataset.js';
import { type LayerPath, type Param, SparseLinear } from './sparse-linear.js';
import { Workspace } from './workspace.js';

/** Configuration of a random MLP; defaults: activation 'relu', density 1, seed 0, path 'auto'. */
export interface MlpConfig {
  /** [in, h1, ..., out]: integers >= 1, at least two. */
  sizes: number[];
  /** Activation of the hidden layers; the output layer has none (it returns logits). */
  activation?: Activation;
  /** Density of each weight matrix in (0, 1]: one number for all, or one per matrix. */
  density?: number | number[];
  /** Seeds the masks and the initial weights. */
  seed?: number;
  path?: LayerPath;
}

/** One layer given to MLP.fromWeights: dense weight [out, in] (zeros where masked), optional mask, bias [out]. */
export interface LayerWeights {
  weight: Float32Array;
  mask?: Uint8Array;
  bias: Float32Array;
  inFeatures: number;
  outFeatures: number;
}

/**
 * Callbacks into MLP.forward. `preActivation` runs for each hidden layer after its linear step and
 * before its activation, and may edit z [units, batch] (feature-major) in place; read z.data inside
 * the call, since a view kept across allocations may be detached.
 */
export interface ForwardHooks {
  preActivation?: (layer: number, z: Tensor, batch: number) => void;
}

/** Options of MLP.forward: its hooks, and `forBackward` when MLP.backward follows on the same workspace. */
export interface ForwardOptions extends ForwardHooks {
  /**
   * A backward follows: the sparse layers past the first keep their weights in the order the
   * backward reads them (the same values; it saves a gather pass per layer per step). Training
   * steps set it; a forward without it, for inference, does no extra work.
   */
  forBackward?: boolean;
}

const densitySchema = z.number().gt(0).lte(1);
const mlpConfigSchema = z.strictObject({
  sizes: z.array(z.number().int().min(1)).min(2),
  activation: z.enum(ACTIVATIONS).optional(),
  density: z.union([densitySchema, z.array(densitySchema)]).optional(),
  seed: z.number().int().optional(),
  path: z.enum(['auto', 'csr', 'dense']).optional(),
});

/** Most entries of one weight matrix (out × in): masks, the dense path and checkpoints hold a dense [out, in] copy (1 GiB of F32). */
export const MAX_MATRIX_ENTRIES = 2 ** 28;
/** Engine bytes per kept weight at the least: value, gradient, column index, CSC row and permutation (4 bytes each). */
const BYTES_PER_WEIGHT = 20;

/**
 * Refuses, before anything is allocated, a model whose weight matrices pass MAX_MATRIX_ENTRIES or
 * whose kept weights cannot fit the engine's memory (`maximumBytes`, 4 GiB for wasm32).
 */
function checkModelSize(sizes: readonly number[], density: number | readonly number[], maximumBytes: number): void {
  let bytes = 0;
  for (let i = 0; i + 1 < sizes.length; i++) {
    const entries = sizes[i] * sizes[i + 1];
    if (entries > MAX_MATRIX_ENTRIES) {
      throw new ConfigError(
        `MlpConfig.sizes: layer ${i} is ${sizes[i + 1]} × ${sizes[i]} = ${entries} weights, above widen's limit of ${MAX_MATRIX_ENTRIES} (2^28) per matrix; use narrower layers`,
        { where: `MlpConfig.sizes[${i + 1}]`, got: sizes[i + 1], allowed: `out × in <= ${MAX_MATRIX_ENTRIES}` },
      );
    }
    const d = typeof density === 'number' ? density : density[i];
    bytes += Math.max(1, Math.round(d * entries)) * BYTES_PER_WEIGHT;
  }
  if (bytes > maximumBytes) {
    const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
    throw new ConfigError(
      `MlpConfig: sizes [${sizes.join(', ')}] at this density need at least ${gib(bytes)} of engine memory (${BYTES_PER_WEIGHT} bytes per kept weight), above the engine's ${gib(maximumBytes)}; use narrower layers or a lower density`,
      { where: 'MlpConfig.sizes', got: sizes, allowed: `at most ${gib(maximumBytes)} of weights` },
    );
  }
}

/** Workspaces kept per model: the training batch, a last partial batch and an evaluation batch fit. */
const MAX_WORKSPACES = 4;

/**
 * A multi-layer perceptron of SparseLinear layers with one hidden activation, trained with an
 * explicit forward/backward over feature-major work buffers. Example:
 * `const m = MLP.create({ sizes: [784, 256, 10], density: 0.1, seed: 1 }); m.predict(x, 32)`.
 */
export class MLP {
  readonly layers: SparseLinear[];
  readonly activation: Activation;
  readonly engine: Engine;
  private readonly act: ActivationStep;
  private readonly paramList: Param[];
  private readonly workspaces = new Map<number, Workspace>();

  private constructor(layers: SparseLinear[], activation: Activation, engine: Engine) {
    for (let i = 1; i < layers.length; i++) {
      if (layers[i].inFeatures !== layers[i - 1].outFeatures) {
        throw new ShapeError(
          `layers.${i} has ${layers[i].inFeatures} inputs but layers.${i - 1} has ${layers[i - 1].outFeatures} outputs; consecutive layers must match`,
          { where: `layers.${i}.inFeatures`, got: layers[i].inFeatures, allowed: String(layers[i - 1].outFeatures) },
        );
      }
    }
    this.layers = layers;
    this.activation = activation;
    this.engine = engine;
    this.act = new ActivationStep(activation, engine);
    this.paramList = layers.flatMap((l, i) => l.params().map((p) => ({ ...p, name: `layers.${i}.${p.name}` })));
  }

  /** A randomly initialised MLP (PyTorch default init, random masks of the given densities). */
  static create(config: MlpConfig, engine: Engine = defaultEngine()): MLP {
    const c = parseConfig(mlpConfigSchema, config, 'MlpConfig');
    const n = c.sizes.length - 1;
    const density = c.density ?? 1;
    if (Array.isArray(density) && density.length !== n) {
      throw new ConfigError(
        `MlpConfig.density has ${density.length} entries but sizes define ${n} weight matrices; give one per matrix or a single number`,
        {
          where: 'MlpConfig.density',
          got: density.length,
          allowed: String(n),
        },
      );
    }
    checkModelSize(c.sizes, density, engine.arena.maximumBytes);
    const rng = new Rng(c.seed ?? 0);
    const layers = [];
    for (let i = 0; i < n; i++) {
      const d = Array.isArray(density) ? density[i] : density;
      layers.push(
        new SparseLinear({ inFeatures: c.sizes[i], outFeatures: c.sizes[i + 1], density: d, rng: rng.fork(i), path: c.path, engine }),
      );
    }
    return new MLP(layers, c.activation ?? 'relu', engine);
  }

  /** An MLP holding the given weights, masks (default: all kept) and biases. */
  static fromWeights(
    layers: LayerWeights[],
    options: { activation?: Activation; path?: LayerPath } = {},
    engine: Engine = defaultEngine(),
  ): MLP {
    if (!Array.isArray(layers) || layers.length === 0) {
      throw new ShapeError('MLP.fromWeights needs at least one layer', { where: 'MLP.fromWeights', got: layers });
    }
    const activation = parseActivation(options.activation ?? 'relu', 'MLP.fromWeights options.activation');
    const built: SparseLinear[] = [];
    let i = 0;
    try {
      for (; i < layers.length; i++) {
        const l = layers[i];
        const layer = new SparseLinear({ inFeatures: l.inFeatures, outFeatures: l.outFeatures, mask: l.mask, path: options.path, engine });
        built.push(layer);
        layer.setWeight(l.weight);
        layer.setBias(l.bias);
      }
      return new MLP(built, activation, engine);
    } catch (err) {
      // a bad layer must not leak the engine memory of the good ones
      for (const l of built) l.dispose();
      if (err instanceof WidenError && !err.message.startsWith('layers.')) throw inLayer(err, i);
      throw err;
    }
  }

  /** Number of inputs. */
  get inFeatures(): number {
    return this.layers[0].inFeatures;
  }

  /** Number of outputs (logits). */
  get outFeatures(): number {
    return this.layers[this.layers.length - 1].outFeatures;
  }

  /** Layer sizes [in, h1, ..., out]. */
  sizes(): number[] {
    return [this.inFeatures, ...this.layers.map((l) => l.outFeatures)];
  }

  /** Number of non-zero (kept) weights over all layers; biases are not counted. */
  nnz(): number {
    return this.layers.reduce((s, l) => s + l.nnz, 0);
  }

  /** Every trainable parameter, named `layers.{i}.weight` / `layers.{i}.bias`, with its gradient (one shared list). */
  params(): readonly Param[] {
    return this.paramList;
  }

  /** Sets all accumulated gradients to zero. */
  zeroGrad(): void {
    for (const l of this.layers) l.zeroGrad();
  }

  /** The work buffers for batch size `batch`, made on first use and then reused. */
  workspace(batch: number): Workspace {
    let ws = this.workspaces.get(batch);
    if (ws === undefined) {
      if (this.workspaces.size >= MAX_WORKSPACES) {
        const [oldest, old] = this.workspaces.entries().next().value as [number, Workspace];
        old.dispose();
        this.workspaces.delete(oldest);
      }
      ws = new Workspace(this.engine, this.sizes(), batch);
      this.workspaces.set(batch, ws);
    }
    return ws;
  }

  /**
   * Runs the forward pass on x [batch, in] and returns the workspace holding every activation.
   * With `options.preActivation`, ws.z holds the edited pre-activations (a later backward treats the
   * edit as part of the layer and adds no gradient for it).
   */
  forward(x: Float32Array, batch: number, options?: ForwardOptions): Workspace {
    if (!Number.isInteger(batch) || batch < 1)
      throw new ShapeError(`batch must be an integer >= 1, got ${batch}`, { where: 'MLP.forward', got: batch });
    const inF = this.inFeatures;
    if (!(x instanceof Float32Array) || x.length !== batch * inF) {
      throw new ShapeError(`x must be a Float32Array of batch x in = ${batch} x ${inF} = ${batch * inF} values, got ${x?.length ?? x}`, {
        where: 'x',
        got: x?.length,
        allowed: String(batch * inF),
      });
    }
    this.stageInputs(x, batch, 'x');
    return this.forwardStaged(batch, options);
  }

  /**
   * Copies x [batch, in] (its length checked by the caller) into `workspace(batch).inputRows` for
   * forwardStaged, and throws NumericError naming `what`[row, col] at its first NaN/Inf. The SIMD
   * count on the copy is ~15x cheaper than a JS scan; the scan runs only to name the bad entry.
   */
  stageInputs(x: Float32Array, batch: number, what: string): Workspace {
    const ws = this.workspace(batch);
    ws.inputRows.set(x);
    if (this.engine.backend.countNonFinite(ws.inputRows.size, ws.inputRows.ptr) > 0) checkFinite(x, this.inFeatures, what);
    return ws;
  }

  /**
   * MLP.forward on the inputs already in `workspace(batch).inputRows` ([batch, in], finite: the
   * caller checked them), e.g. gathered there by fit from a training set staged in the engine.
   */
  forwardStaged(batch: number, options?: ForwardOptions): Workspace {
    if (!Number.isInteger(batch) || batch < 1)
      throw new ShapeError(`batch must be an integer >= 1, got ${batch}`, { where: 'MLP.forwardStaged', got: batch });
    const ws = this.workspace(batch);
    this.engine.backend.transpose(batch, this.inFeatures, ws.inputRows.ptr, ws.input.ptr);
    const last = this.layers.length - 1;
    const pre = options?.preActivation;
    const forBackward = options?.forBackward === true;
    for (let l = 0; l <= last; l++) {
      // the first layer's input gradient is never needed (see backward), so it keeps nothing
      this.layers[l].forward(l === 0 ? ws.input : ws.h[l - 1], ws.z[l], batch, forBackward && l > 0);
      if (l === last) break;
      if (pre !== undefined) pre(l, ws.z[l], batch);
      this.act.forward(ws.z[l], ws.h[l]);
    }
    return ws;
  }

  /** Back-propagates dL/dlogits from the last `ws.dz` entry, adding every parameter gradient. */
  backward(ws: Workspace): void {
    for (let l = this.layers.length - 1; l >= 0; l--) {
      // the first layer's input gradient is never needed
      this.layers[l].backward(l === 0 ? ws.input : ws.h[l - 1], ws.dz[l], l === 0 ? null : ws.dz[l - 1], ws.batch);
      if (l > 0) this.act.backward(ws.z[l - 1], ws.h[l - 1], ws.dz[l - 1], ws.dz[l - 1]);
    }
  }

  /** Logits [batch, out] for the inputs x [batch, in]. */
  predict(x: Float32Array, batch: number): Float32Array {
    const ws = this.forward(x, batch);
    this.engine.backend.transpose(this.outFeatures, batch, ws.logits.ptr, ws.outputRows.ptr);
    return ws.outputRows.data.slice();
  }

  /** Frees the layers and work buffers; the model must not be used afterwards. */
  dispose(): void {
    for (const ws of this.workspaces.values()) ws.dispose();
    this.workspaces.clear();
    for (const l of this.layers) l.dispose();
  }
}

const ERROR_CLASSES: Partial<Record<WidenErrorCode, new (message: string, details: WidenErrorDetails) => WidenError>> = {
  shape: ShapeError,
  config: ConfigError,
  numeric: NumericError,
  checkpoint: CheckpointError,
  data: DataError,
  backend: BackendError,
};

/** `err` again, as a new error of its class whose message names layer i; the original is its cause. */
function inLayer(err: WidenError, i: number): WidenError {
  const message = `layers.${i}: ${err.message}`;
  const Class = ERROR_CLASSES[err.code];
  const wrapped = Class === undefined ? new WidenError(err.code, message, err.details) : new Class(message, err.details);
  wrapped.cause = err;
  return wrapped;
}
