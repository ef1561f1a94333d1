import { CheckpointError, defaultEngine, type Engine, widenVersion } from '../../engine/index.js';
import {
  decodeSafetensors,
  encodeSafetensors,
  entryF32,
  entryU8,
  parseActivation,
  type SafetensorsEntry,
  type SafetensorsInput,
  SparseLinear,
} from '../../nn/index.js';
import { type ExpandedLayer, ExpandedMLP } from './expanded-mlp.js';
import type { LayerRouter } from './router.js';

/** Value of `__metadata__.format` in every expanded-model file. */
export const EXPANDED_FORMAT = 'widen-expanded';

/**
 * Encodes an ExpandedMLP as safetensors bytes (saveExpanded in widen/node writes them atomically): per layer l and expert c
 * `layers.{l}.experts.{c}.{weight,mask,bias}` (F32 [out, in], U8 [out, in], F32 [out]) and, for
 * k > 1, the router `layers.{l}.pca.mean` (F64 [d]), `layers.{l}.pca.components` (F64 [dim, d]), `layers.{l}.pca.explained_variance` (F64 [dim]) and
 * `layers.{l}.centroids` (F64 [k, dim]), so routing after loading is bit-identical. `config`
 * (JSON) goes into the metadata. Example: `encodeExpanded(expanded, { k: 16 })`.
 */
export function encodeExpanded(model: ExpandedMLP, config: unknown = null): Uint8Array {
  const tensors: Record<string, SafetensorsInput> = {};
  model.layers.forEach((layer, l) => {
    layer.experts.forEach((e, c) => {
      const shape = [e.outFeatures, e.inFeatures];
      tensors[`layers.${l}.experts.${c}.weight`] = { dtype: 'F32', shape, data: e.weight() };
      tensors[`layers.${l}.experts.${c}.mask`] = { dtype: 'U8', shape, data: e.mask() };
      tensors[`layers.${l}.experts.${c}.bias`] = { dtype: 'F32', shape: [e.outFeatures], data: e.bias() };
    });
    const r = layer.router;
    if (r === null) return;
    tensors[`layers.${l}.pca.mean`] = { dtype: 'F64', shape: [r.pca.inFeatures], data: r.pca.mean };
    tensors[`layers.${l}.pca.components`] = { dtype: 'F64', shape: [r.pca.dim, r.pca.inFeatures], data: r.pca.components };
    tensors[`layers.${l}.pca.explained_variance`] = { dtype: 'F64', shape: [r.pca.dim], data: r.pca.explainedVariance };
    tensors[`layers.${l}.centroids`] = { dtype: 'F64', shape: [r.k, r.pca.dim], data: r.centroids };
  });
  const metadata = {
    format: EXPANDED_FORMAT,
    version: widenVersion(),
    activation: model.activation,
    experts: JSON.stringify(model.experts()),
    config: JSON.stringify(config),
  };
  return encodeSafetensors(tensors, metadata);
}

/** A loaded expanded model and the config stored with it. */
export interface LoadedExpanded {
  model: ExpandedMLP;
  config: unknown;
}

/** Decodes bytes made by encodeExpanded (`source` names them in errors); any fault is a CheckpointError naming the source and the tensor. */
export function decodeExpanded(bytes: Uint8Array, source: string, engine: Engine = defaultEngine()): LoadedExpanded {
  const path = source;
  const fail = (problem: string): CheckpointError => new CheckpointError(`${path}: ${problem}`, { where: path });
  const { tensors, metadata } = decodeSafetensors(bytes, path);
  if (metadata.format !== EXPANDED_FORMAT) {
    throw fail(`not a widen expanded model: __metadata__.format is ${JSON.stringify(metadata.format)}, expected '${EXPANDED_FORMAT}'`);
  }
  const counts = parseJson(metadata.experts, '__metadata__.experts', fail);
  if (!Array.isArray(counts) || counts.length === 0 || counts.some((k) => !Number.isInteger(k) || k < 1)) {
    throw fail(`__metadata__.experts is ${metadata.experts}, expected a list of expert counts >= 1 (one per layer)`);
  }
  let activation: ExpandedMLP['activation'];
  try {
    activation = parseActivation(metadata.activation, '__metadata__.activation');
  } catch (err) {
    throw fail((err as Error).message);
  }
  const take = (name: string): SafetensorsEntry => {
    const e = tensors.get(name);
    if (e === undefined) throw fail(`required tensor '${name}' is missing`);
    return e;
  };
  const f64 = (name: string, shape: number[]): Float64Array => {
    const e = take(name);
    if (e.dtype !== 'F64' || e.shape.join() !== shape.join()) {
      throw fail(`tensor '${name}' is ${e.dtype} [${e.shape.join(', ')}], expected F64 [${shape.join(', ')}]`);
    }
    return new Float64Array(new Uint8Array(e.data).buffer);
  };
  const layers: ExpandedLayer[] = [];
  try {
    (counts as number[]).forEach((k, l) => {
      const experts: SparseLinear[] = [];
      layers.push({ router: null, experts });
      for (let c = 0; c < k; c++) {
        const name = `layers.${l}.experts.${c}`;
        const w = take(`${name}.weight`);
        const [out, inF] = w.shape;
        const layer = new SparseLinear({
          inFeatures: inF,
          outFeatures: out,
          mask: entryU8(path, `${name}.mask`, take(`${name}.mask`)),
          engine,
        });
        experts.push(layer);
        layer.setWeight(entryF32(path, `${name}.weight`, w));
        layer.setBias(entryF32(path, `${name}.bias`, take(`${name}.bias`)));
      }
      if (k === 1) return;
      const d = experts[0].inFeatures;
      const dim = take(`layers.${l}.pca.components`).shape[0];
      const pca = {
        inFeatures: d,
        dim,
        mean: f64(`layers.${l}.pca.mean`, [d]),
        components: f64(`layers.${l}.pca.components`, [dim, d]),
        explainedVariance: f64(`layers.${l}.pca.explained_variance`, [dim]),
      };
      const router: LayerRouter = { pca, k, centroids: f64(`layers.${l}.centroids`, [k, dim]) };
      layers[l].router = router;
    });
    return {
      model: new ExpandedMLP(layers, activation, engine),
      config: parseJson(metadata.config ?? 'null', '__metadata__.config', fail),
    };
  } catch (err) {
    for (const l of layers) for (const e of l.experts) e.dispose();
    if (err instanceof CheckpointError) throw err;
    throw fail((err as Error).message);
  }
}

function parseJson(text: string | undefined, what: string, fail: (p: string) => CheckpointError): unknown {
  try {
    return JSON.parse(text ?? '');
  } catch (err) {
    throw fail(`${what} is not valid JSON (${(err as Error).message})`);
  }
}
