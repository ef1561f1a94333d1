import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
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
import {
  decodeSafetensors,
  decodeSafetensorsHeader,
  encodeSafetensors,
  entryToF32,
  isFloatDType,
  type MLP,
  type SafetensorsFile,
  safetensorsHeaderLength,
} from '../nn/index.js';
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
 * Reads only the named tensors of a safetensors file (the header, then each tensor's byte range),
 * so that one layer of a multi-gigabyte shard costs its own size in memory. The whole header is
 * validated first; a missing name lists the names present (DataError), a bad file is a CheckpointError.
 * Example: `readSafetensorsTensors('model-00001-of-00002.safetensors', ['model.layers.0.mlp.up_proj.weight'])`.
 */
export function readSafetensorsTensors(path: string, names: readonly string[]): SafetensorsFile & { names: string[] } {
  refusePickle(path);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new CheckpointError(`${path}: cannot read (${(err as Error).message})`, { where: path });
  }
  try {
    const size = fstatSync(fd).size;
    const read = (length: number, at: number): Uint8Array => {
      const out = new Uint8Array(length);
      for (let done = 0; done < length; ) {
        const got = readSync(fd, out, done, length - done, at + done);
        if (got === 0)
          throw new CheckpointError(`${path}: file ended at byte ${at + done} while reading (changed while read?)`, { where: path });
        done += got;
      }
      return out;
    };
    // the declared header length is checked against the file size before its bytes are read
    const n = safetensorsHeaderLength(read(Math.min(8, size), 0), size, path);
    const header = decodeSafetensorsHeader(read(8 + n, 0), size, path);
    const present = [...header.entries.keys()];
    const tensors = new Map();
    for (const name of names) {
      const e = header.entries.get(name);
      if (e === undefined)
        throw new DataError(`${path}: no tensor named '${name}'; the file has ${present.map((k) => `'${k}'`).join(', ') || 'no tensors'}`, {
          where: path,
          got: name,
        });
      tensors.set(name, { dtype: e.dtype, shape: e.shape, data: read(e.end - e.begin, header.dataStart + e.begin) });
    }
    return { tensors, metadata: header.metadata, names: present };
  } finally {
    closeSync(fd);
  }
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
  const name = spec.slice(at + 1);
  const tensors = readSafetensorsTensors(file, bias === undefined ? [name] : [name, bias]);
  return { ...loadLayer(tensors, name, { bias, source: file }), file };
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
    const key = name ?? only(readSafetensorsTensors(path, []).names);
    const file = readSafetensorsTensors(path, [key]);
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
