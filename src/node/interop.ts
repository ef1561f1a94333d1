import { extname } from 'node:path';
import { decodeNpz, type NdArray, safetensorsTensor } from '../data/index.js';
import { CheckpointError, DataError, type Engine } from '../engine/index.js';
import {
  exportExpandedOnnx,
  exportOnnx,
  importTorch,
  type LinearLayer,
  loadLayer,
  type OnnxExportOptions,
  type TorchImport,
  type TorchImportOptions,
  torchStateDict,
  weightsNpz,
} from '../interop/index.js';
import { decodeSafetensors, encodeSafetensors, entryToF32, isFloatDType, type MLP } from '../nn/index.js';
import { ExpandedMLP } from '../prune/index.js';
import { readNpy } from './data/files.js';
import { maxFileBytes, readBytes } from './data/read-bytes.js';
import { writeFileAtomic } from './files.js';

/** Why widen does not read pickled PyTorch files, and the two lines of Python that convert one. */
export function refusePickle(path: string): void {
  if (!/\.(pt|pth|bin|ckpt|pkl)$/i.test(path)) return;
  throw new CheckpointError(
    `${path}: a pickled PyTorch file; widen does not read pickles, because unpickling runs any code the file holds. Convert it once in Python:\n  from safetensors.torch import save_file\n  save_file(torch.load('${path}', map_location='cpu'), '${path.replace(/\.[^.]+$/, '.safetensors')}')`,
    { where: path, allowed: '.safetensors' },
  );
}

/** Reads a safetensors file (refusing pickles; see refusePickle) with the data file size limit. */
function readModelFile(path: string) {
  refusePickle(path);
  let bytes: Uint8Array;
  try {
    bytes = readBytes(path);
  } catch (err) {
    throw new CheckpointError((err as Error).message, { where: path });
  }
  return decodeSafetensors(bytes, path);
}

/**
 * Imports a PyTorch MLP state dict saved by safetensors.torch.save_file (see importTorch).
 * Example: `const { model } = importTorchFile('mlp.safetensors', { activation: 'gelu' })`.
 */
export function importTorchFile(path: string, options: Omit<TorchImportOptions, 'source'> = {}, engine?: Engine): TorchImport {
  return importTorch(readModelFile(path), { ...options, source: path }, engine);
}

/** Export formats of exportModelFile. */
export const EXPORT_FORMATS = ['torch', 'onnx', 'npz'] as const;
/** One of EXPORT_FORMATS. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Writes a model atomically as `torch` (safetensors with nn.Sequential names; `masks` for
 * torch.nn.utils.prune's layout), `onnx` (exportOnnx, or exportExpandedOnnx for an ExpandedMLP) or
 * `npz` (weights for NumPy). An ExpandedMLP has no torch or npz form: a CheckpointError says so.
 */
export function exportModelFile(
  model: MLP | ExpandedMLP,
  path: string,
  format: ExportFormat,
  options: OnnxExportOptions & { masks?: boolean } = {},
): void {
  const expanded = model instanceof ExpandedMLP;
  if (format === 'onnx') {
    writeFileAtomic(path, expanded ? exportExpandedOnnx(model as ExpandedMLP, options) : exportOnnx(model as MLP, options));
    return;
  }
  if (expanded) {
    throw new CheckpointError(
      `a Sparse Expansion model cannot be exported as ${format}: its routing (PCA + nearest centroid) has no nn.Sequential or plain-weights form; export it with --format onnx`,
      { where: path, got: format, allowed: 'onnx' },
    );
  }
  const mlp = model as MLP;
  if (format === 'torch')
    writeFileAtomic(path, encodeSafetensors(torchStateDict(mlp, options), { format: 'pt', activation: mlp.activation }));
  else writeFileAtomic(path, weightsNpz(mlp));
}

/**
 * Reads one linear layer: `spec` is `FILE.safetensors:TENSOR` (the weight [out, in]); `bias` names
 * its bias tensor in the same file. Example: `loadLayerFile('shard.safetensors:mlp.c_fc.weight')`.
 */
export function loadLayerFile(spec: string, bias?: string): LinearLayer & { file: string } {
  const at = spec.lastIndexOf(':');
  if (at <= 0 || at === spec.length - 1)
    throw new DataError(`--layer ${spec}: expected FILE.safetensors:TENSOR, e.g. model.safetensors:h.0.mlp.c_fc.weight`, { where: spec });
  const file = spec.slice(0, at);
  return { ...loadLayer(readModelFile(file), spec.slice(at + 1), { bias, source: file }), file };
}

/**
 * A layer's calibration inputs from a file: .npy (float16/32/64), .npz (`FILE.npz:NAME`, or its
 * only array) or .safetensors (`FILE.safetensors:NAME`, or its only tensor; F32, F16, BF16, F64).
 */
export function readInputsFile(spec: string): NdArray {
  const m = /^(.*\.(?:npz|safetensors)):([^:]+)$/i.exec(spec);
  const [path, name] = m === null ? [spec, undefined] : [m[1], m[2]];
  const ext = extname(path).toLowerCase();
  if (ext === '.npy') return readNpy(path);
  const only = (names: string[]) => {
    if (name !== undefined) return name;
    if (names.length === 1) return names[0];
    throw new DataError(`${path} holds ${names.length} arrays (${names.join(', ')}); name one: ${path}:NAME`, { where: path, got: names });
  };
  if (ext === '.npz') {
    const arrays = decodeNpz(readBytes(path), path, maxFileBytes());
    const key = only([...arrays.keys()]);
    const a = arrays.get(key);
    if (a === undefined)
      throw new DataError(`${path}: no array named '${key}'; the file has ${[...arrays.keys()].join(', ')}`, { where: path, got: key });
    return a;
  }
  if (ext === '.safetensors') {
    const file = decodeSafetensors(readBytes(path), path);
    const key = only([...file.tensors.keys()]);
    const e = file.tensors.get(key);
    if (e !== undefined && isFloatDType(e.dtype) && e.dtype !== 'F64' && e.dtype !== 'F32')
      return { dtype: 'float32', shape: e.shape, data: entryToF32(e, key, path) };
    return safetensorsTensor(file, key, path);
  }
  throw new DataError(`${spec}: inputs must be .npy, .npz or .safetensors (float16, bfloat16, float32 or float64)`, {
    where: spec,
    got: ext,
  });
}
