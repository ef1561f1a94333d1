import type { NdArray } from '../data/index.js';
import { ConfigError, DataError, ShapeError } from '../engine/index.js';
import { entryToF32, type FloatDType, f32ToEntry, type SafetensorsFile, type SafetensorsInput } from '../nn/index.js';
import type { ExpandedMLP } from '../prune/index.js';

/** One linear layer of a (large) model read from a safetensors file: y = W·x + b, W [out, in] as float32. */
export interface LinearLayer {
  weight: Float32Array;
  bias: Float32Array | null;
  inFeatures: number;
  outFeatures: number;
  /** The tensor names and stored dtypes, to write the layer back under them. */
  weightName: string;
  biasName: string | null;
  dtype: FloatDType;
  biasDType: FloatDType | null;
}

/**
 * The linear layer `name` (a 2-D float tensor [out, in], torch's nn.Linear layout) and its bias
 * `bias` from a decoded safetensors file, converted to float32 from F32, F16, BF16 or F64. A
 * missing name lists the names present; a wrong dtype lists the supported ones (CheckpointError).
 * Example: `loadLayer(file, 'model.layers.0.mlp.down_proj.weight', { source: 'shard.safetensors' })`.
 */
export function loadLayer(file: SafetensorsFile, name: string, options: { bias?: string; source?: string } = {}): LinearLayer {
  const source = options.source ?? '<safetensors>';
  const get = (n: string) => {
    const e = file.tensors.get(n);
    if (e === undefined)
      throw new DataError(
        `${source}: no tensor named '${n}'; the file has ${[...file.tensors.keys()].map((k) => `'${k}'`).join(', ') || 'no tensors'}`,
        {
          where: source,
          got: n,
        },
      );
    return e;
  };
  const w = get(name);
  if (w.shape.length !== 2)
    throw new ShapeError(`${source}: tensor '${name}' has shape [${w.shape.join(', ')}]; a linear layer's weight is [out, in]`, {
      where: `${source}: ${name}`,
      got: w.shape,
    });
  const [outFeatures, inFeatures] = w.shape;
  const weight = entryToF32(w, name, source);
  let bias: Float32Array | null = null;
  let biasDType: FloatDType | null = null;
  if (options.bias !== undefined) {
    const b = get(options.bias);
    if (b.shape.length !== 1 || b.shape[0] !== outFeatures)
      throw new ShapeError(`${source}: bias '${options.bias}' has shape [${b.shape.join(', ')}], the weight needs [${outFeatures}]`, {
        where: `${source}: ${options.bias}`,
        got: b.shape,
      });
    bias = entryToF32(b, options.bias, source);
    biasDType = b.dtype as FloatDType;
  }
  return {
    weight,
    bias,
    inFeatures,
    outFeatures,
    weightName: name,
    biasName: options.bias ?? null,
    dtype: w.dtype as FloatDType,
    biasDType,
  };
}

/** Calibration rows x [rows, in] of a layer from an array [..., in] (leading dimensions flattened, e.g. [batch, seq, hidden]). */
export function layerInputRows(a: NdArray, inFeatures: number, source: string): { x: Float32Array; rows: number } {
  const last = a.shape[a.shape.length - 1];
  if (a.shape.length < 2 || last !== inFeatures) {
    throw new ShapeError(
      `${source}: inputs of shape [${a.shape.join(', ')}] do not chain with the layer: it takes ${inFeatures} inputs, so the last dimension must be ${inFeatures}`,
      {
        where: source,
        got: a.shape,
        allowed: `[..., ${inFeatures}]`,
      },
    );
  }
  if (!(a.dtype === 'float32' || a.dtype === 'float64'))
    throw new DataError(
      `${source}: inputs have dtype ${a.dtype}; layer inputs must be float16, bfloat16 (safetensors), float32 or float64`,
      { where: source, got: a.dtype },
    );
  const x = a.data instanceof Float32Array ? a.data : Float32Array.from(a.data);
  return { x, rows: x.length / inFeatures };
}

/** A layer's calibration rows split into the rows the method sees and the held-out rows its output error is measured on (the last ones). */
export interface LayerRows {
  calibration: { x: Float32Array; size: number };
  heldOut: { x: Float32Array; size: number };
}

/** Splits x [rows, in] into calibration rows and the last round(holdout · rows) held-out rows (at least 1 of each). */
export function splitRows(x: Float32Array, rows: number, inFeatures: number, holdout: number): LayerRows {
  if (!(holdout > 0 && holdout < 1))
    throw new ConfigError(`holdout must be a fraction in (0, 1), got ${holdout}`, { where: 'holdout', got: holdout, allowed: '(0, 1)' });
  const held = Math.round(holdout * rows);
  if (held < 1 || rows - held < 2)
    throw new DataError(`${rows} input rows leave too few for calibration and a held-out ${holdout} share; give more rows`, {
      where: 'inputs',
      got: rows,
    });
  const cut = (rows - held) * inFeatures;
  return { calibration: { x: x.subarray(0, cut), size: rows - held }, heldOut: { x: x.subarray(cut, rows * inFeatures), size: held } };
}

/** Output error of a changed layer on rows: ||(W − W')·X|| (Frobenius) and that divided by ||W·X||. */
export interface OutputError {
  absolute: number;
  relative: number;
}

/** ||W·X − W'·X|| on the rows (float64 sums; biases are unchanged, so they cancel) and its ratio to ||W·X||. */
export function outputError(layer: LinearLayer, weight: Float32Array, rows: { x: Float32Array; size: number }): OutputError {
  const { inFeatures: inF, outFeatures: out } = layer;
  if (weight.length !== out * inF || rows.x.length !== rows.size * inF)
    throw new ShapeError(
      `outputError: weight needs ${out * inF} values (got ${weight.length}), rows ${rows.size * inF} (got ${rows.x.length})`,
      { where: 'outputError' },
    );
  let [diff, base] = [0, 0];
  for (let r = 0; r < out; r++) {
    const w = layer.weight.subarray(r * inF, (r + 1) * inF);
    const v = weight.subarray(r * inF, (r + 1) * inF);
    for (let t = 0; t < rows.size; t++) {
      const x = rows.x.subarray(t * inF, (t + 1) * inF);
      let [y, yv] = [0, 0];
      for (let j = 0; j < inF; j++) {
        y += w[j] * x[j];
        yv += v[j] * x[j];
      }
      diff += (y - yv) ** 2;
      base += y * y;
    }
  }
  return { absolute: Math.sqrt(diff), relative: base === 0 ? 0 : Math.sqrt(diff / base) };
}

/** The pruned layer as safetensors tensors under its original names and dtypes (weight, and the bias unchanged). */
export function prunedLayerTensors(layer: LinearLayer, weight: Float32Array): Record<string, SafetensorsInput> {
  const out: Record<string, SafetensorsInput> = {
    [layer.weightName]: f32ToEntry(weight, layer.dtype, [layer.outFeatures, layer.inFeatures]),
  };
  if (layer.bias !== null && layer.biasName !== null) out[layer.biasName] = f32ToEntry(layer.bias, layer.biasDType!, [layer.outFeatures]);
  return out;
}

/**
 * An expanded layer as safetensors tensors: expert c's weight and bias as `experts.{c}.{name}`
 * (original names and dtypes), and the router in float64: `router.pca_mean` [in],
 * `router.pca_components` [dim, in], `router.centroids` [k, dim] (absent for k = 1).
 */
export function expandedLayerTensors(layer: LinearLayer, model: ExpandedMLP): Record<string, SafetensorsInput> {
  const [{ router, experts }] = model.layers;
  const out: Record<string, SafetensorsInput> = {};
  experts.forEach((e, c) => {
    out[`experts.${c}.${layer.weightName}`] = f32ToEntry(e.weight(), layer.dtype, [layer.outFeatures, layer.inFeatures]);
    if (layer.biasName !== null) out[`experts.${c}.${layer.biasName}`] = f32ToEntry(e.bias(), layer.biasDType!, [layer.outFeatures]);
  });
  if (router !== null) {
    out['router.pca_mean'] = { dtype: 'F64', shape: [layer.inFeatures], data: router.pca.mean };
    out['router.pca_components'] = { dtype: 'F64', shape: [router.pca.dim, layer.inFeatures], data: router.pca.components };
    out['router.centroids'] = { dtype: 'F64', shape: [router.k, router.pca.dim], data: router.centroids };
  }
  return out;
}
