import { type Activation, CheckpointError, ConfigError, defaultEngine, type Engine, WidenError, widenVersion } from '../engine/index.js';
import { parseActivation } from './activation.js';
import { compactDense, expandCompact } from './compact.js';
import { type LayerWeights, MLP } from './mlp.js';
import { type Optimizer, type OptimizerState, type ResolvedOptimizerConfig, resolveOptimizerConfig, slotsFor } from './optim/index.js';
import { decodeSafetensors, encodeSafetensors, entryF32, entryU8, type SafetensorsEntry, type SafetensorsInput } from './safetensors.js';

/** Value of `__metadata__.format` in every widen checkpoint. */
export const CHECKPOINT_FORMAT = 'widen-checkpoint';

/** What saveCheckpoint stores: the model, optionally its optimizer, the run config and the step. */
export interface CheckpointInput {
  model: MLP;
  optimizer?: Optimizer;
  /** Any JSON-serialisable run config; stored as JSON in the metadata. */
  config?: unknown;
  /** Training step (default: the optimizer's step count, else 0). */
  step?: number;
}

/** A loaded checkpoint; restore the optimizer with `restoreOptimizer(model, optimizerState)`. */
export interface Checkpoint {
  model: MLP;
  optimizerState?: OptimizerState;
  config: unknown;
  step: number;
  /** widen version that wrote the file. */
  version: string;
}

/**
 * Encodes a model (and optimizer state) as safetensors bytes (saveCheckpoint in widen/node writes
 * them atomically). Tensors: `layers.{i}.weight`
 * (F32 [out, in], zeros where masked), `layers.{i}.mask` (U8 [out, in]), `layers.{i}.bias` (F32 [out])
 * and optimizer state `layers.{i}.{weight|bias}.{adam_m|adam_v|momentum}` (F32, dense shapes).
 * Example: `const bytes = encodeCheckpoint({ model, optimizer, config, step: 1000 })`.
 */
export function encodeCheckpoint(c: CheckpointInput): Uint8Array {
  const step = c.step ?? c.optimizer?.stepCount ?? 0;
  if (!Number.isSafeInteger(step) || step < 0)
    throw new ConfigError(`checkpoint step must be an integer in [0, 2^53), got ${step}`, { where: 'saveCheckpoint.step', got: step });
  let config: string;
  try {
    config = JSON.stringify(c.config ?? null);
  } catch (err) {
    throw new ConfigError(`checkpoint config must be JSON-serialisable (${(err as Error).message})`, { where: 'saveCheckpoint.config' });
  }
  const tensors: Record<string, SafetensorsInput> = {};
  const masks = c.model.layers.map((l) => l.mask());
  c.model.layers.forEach((l, i) => {
    const shape = [l.outFeatures, l.inFeatures];
    tensors[`layers.${i}.weight`] = { dtype: 'F32', shape, data: l.weight() };
    tensors[`layers.${i}.mask`] = { dtype: 'U8', shape, data: masks[i] };
    tensors[`layers.${i}.bias`] = { dtype: 'F32', shape: [l.outFeatures], data: l.bias() };
  });
  const metadata: Record<string, string> = {
    format: CHECKPOINT_FORMAT,
    version: widenVersion(),
    step: String(step),
    activation: c.model.activation,
    layers: String(c.model.layers.length),
    config,
  };
  if (c.optimizer !== undefined) {
    const state = c.optimizer.exportState();
    metadata.optimizer = JSON.stringify({ ...state.config, stepCount: state.stepCount });
    for (const [name, buf] of Object.entries(state.buffers)) {
      const [, i, kind] = name.split('.');
      const l = c.model.layers[Number(i)];
      tensors[name] =
        kind === 'weight'
          ? { dtype: 'F32', shape: [l.outFeatures, l.inFeatures], data: expandCompact(masks[Number(i)], buf) }
          : { dtype: 'F32', shape: [l.outFeatures], data: buf };
    }
  }
  return encodeSafetensors(tensors, metadata);
}

/**
 * Decodes and validates checkpoint bytes (`source` names them in errors, e.g. the file path).
 * Every fault (truncation, bad
 * header, wrong dtype or shape, missing or unexpected tensor, a non-zero weight where the mask is
 * 0, inconsistent layer sizes) is a CheckpointError naming the file; nothing is half-loaded.
 */
export function decodeCheckpoint(bytes: Uint8Array, source: string, engine: Engine = defaultEngine()): Checkpoint {
  const path = source;
  const fail = (problem: string): CheckpointError => new CheckpointError(`${path}: ${problem}`, { where: path });
  const { tensors, metadata } = decodeSafetensors(bytes, path);
  if (metadata.format !== CHECKPOINT_FORMAT)
    throw fail(`not a widen checkpoint: __metadata__.format is ${JSON.stringify(metadata.format)}, expected '${CHECKPOINT_FORMAT}'`);
  const count = Number(metadata.layers);
  const step = Number(metadata.step);
  if (!Number.isInteger(count) || count < 1)
    throw fail(`__metadata__.layers is ${JSON.stringify(metadata.layers)}, expected an integer >= 1`);
  if (!Number.isSafeInteger(step) || step < 0)
    throw fail(`__metadata__.step is ${JSON.stringify(metadata.step)}, expected an integer in [0, 2^53)`);
  let activation: Activation;
  try {
    activation = parseActivation(metadata.activation, '__metadata__.activation');
  } catch (err) {
    throw fail((err as Error).message);
  }
  const config = parseJson(metadata.config ?? 'null', '__metadata__.config', fail);
  const used = new Set<string>();
  const take = (name: string, shape: number[]): SafetensorsEntry => {
    const e = tensors.get(name);
    if (e === undefined) throw fail(`required tensor '${name}' is missing`);
    if (e.shape.length !== shape.length || e.shape.some((d, j) => d !== shape[j]))
      throw fail(`tensor '${name}' has shape [${e.shape.join(', ')}], expected [${shape.join(', ')}]`);
    used.add(name);
    return e;
  };

  const layers: LayerWeights[] = [];
  for (let i = 0; i < count; i++) {
    const w = tensors.get(`layers.${i}.weight`);
    if (w === undefined) throw fail(`required tensor 'layers.${i}.weight' is missing`);
    if (w.shape.length !== 2) throw fail(`tensor 'layers.${i}.weight' has shape [${w.shape.join(', ')}], expected [out, in]`);
    const [out, inF] = w.shape;
    if (i > 0 && inF !== layers[i - 1].outFeatures)
      throw fail(`layers.${i} has ${inF} inputs but layers.${i - 1} has ${layers[i - 1].outFeatures} outputs`);
    const weight = entryF32(path, `layers.${i}.weight`, take(`layers.${i}.weight`, [out, inF]));
    const mask = entryU8(path, `layers.${i}.mask`, take(`layers.${i}.mask`, [out, inF]));
    const bias = entryF32(path, `layers.${i}.bias`, take(`layers.${i}.bias`, [out]));
    checkMasked(weight, mask, `layers.${i}.weight`, fail);
    checkFinite(bias, `layers.${i}.bias`, fail);
    layers.push({ weight, mask, bias, inFeatures: inF, outFeatures: out });
  }

  let optimizerState: OptimizerState | undefined;
  if (metadata.optimizer !== undefined) {
    const parsed = parseJson(metadata.optimizer, '__metadata__.optimizer', fail);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw fail(`__metadata__.optimizer is ${JSON.stringify(metadata.optimizer).slice(0, 80)}, expected a JSON object`);
    const { stepCount, ...hyper } = parsed as Record<string, unknown>;
    if (!Number.isSafeInteger(stepCount) || (stepCount as number) < 0)
      throw fail(`__metadata__.optimizer.stepCount is ${JSON.stringify(stepCount)}, expected an integer in [0, 2^53 - 1]`);
    let resolved: ResolvedOptimizerConfig;
    try {
      resolved = resolveOptimizerConfig(hyper, '__metadata__.optimizer');
    } catch (err) {
      throw fail((err as Error).message);
    }
    const buffers: Record<string, Float32Array> = {};
    layers.forEach((l, i) => {
      for (const slot of slotsFor(resolved)) {
        const wName = `layers.${i}.weight.${slot}`;
        const dense = entryF32(path, wName, take(wName, [l.outFeatures, l.inFeatures]));
        checkMasked(dense, l.mask!, wName, fail);
        buffers[wName] = compactDense(l.mask!, dense);
        const bName = `layers.${i}.bias.${slot}`;
        buffers[bName] = entryF32(path, bName, take(bName, [l.outFeatures]));
        checkFinite(buffers[bName], bName, fail);
      }
    });
    optimizerState = { config: resolved, stepCount: stepCount as number, buffers };
  }
  const extra = [...tensors.keys()].filter((k) => !used.has(k));
  if (extra.length > 0) throw fail(`unexpected tensor(s) ${extra.map((k) => `'${k}'`).join(', ')}; this checkpoint has ${count} layer(s)`);

  let model: MLP;
  try {
    model = MLP.fromWeights(layers, { activation }, engine);
  } catch (err) {
    throw err instanceof WidenError ? fail(err.message) : err;
  }
  return { model, optimizerState, config, step, version: metadata.version ?? 'unknown' };
}

function checkMasked(values: Float32Array, mask: Uint8Array, name: string, fail: (p: string) => CheckpointError): void {
  checkFinite(values, name, fail);
  for (let j = 0; j < mask.length; j++) {
    if (mask[j] > 1) throw fail(`mask of ${name} holds ${mask[j]}; masks hold only 0 and 1`);
    if (mask[j] === 0 && values[j] !== 0)
      throw fail(`${name} is ${values[j]} at flat index ${j} where the mask is 0; masked entries must be 0`);
  }
}

function checkFinite(values: Float32Array, name: string, fail: (p: string) => CheckpointError): void {
  for (let j = 0; j < values.length; j++) if (!Number.isFinite(values[j])) throw fail(`${name} holds ${values[j]} at flat index ${j}`);
}

function parseJson(text: string, what: string, fail: (p: string) => CheckpointError): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw fail(`${what} is not valid JSON (${(err as Error).message})`);
  }
}
