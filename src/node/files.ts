import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CheckpointError, type Engine } from '../engine/index.js';
import {
  type Checkpoint,
  type CheckpointInput,
  decodeCheckpoint,
  decodeSafetensors,
  encodeCheckpoint,
  encodeSafetensors,
  type SafetensorsFile,
  type SafetensorsInput,
} from '../nn/index.js';
import { decodeExpanded, type ExpandedMLP, encodeExpanded, type LoadedExpanded } from '../prune/index.js';

/**
 * Writes `bytes` to `path` so that readers see the old file or the whole new one, never a part:
 * a temp file in the same directory, fsync, rename over `path`, then fsync of the directory.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const dir = dirname(resolve(path));
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const fd = openSync(tmp, 'wx', 0o644);
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new CheckpointError(`${path}: cannot write (${(err as Error).message})`, { where: path });
  }
  // the rename is durable only once the directory entry is on disk
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}

/** The bytes of a model file; a missing or unreadable file is a CheckpointError naming it. */
function readModelBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new CheckpointError(`${path}: cannot read (${(err as Error).message})`, { where: path });
  }
}

/** Reads and decodes a safetensors file; a missing or unreadable file is a CheckpointError too. */
export function readSafetensors(path: string): SafetensorsFile {
  return decodeSafetensors(readModelBytes(path), path);
}

/** Encodes tensors and metadata and writes them to `path` atomically (see writeFileAtomic). */
export function writeSafetensors(path: string, tensors: Record<string, SafetensorsInput>, metadata: Record<string, string> = {}): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/**
 * Saves a model (and optimizer state) as a safetensors checkpoint, atomically (encodeCheckpoint
 * says what is in it). Example: `saveCheckpoint('run/ckpt.safetensors', { model, optimizer, config, step: 1000 })`.
 */
export function saveCheckpoint(path: string, c: CheckpointInput): void {
  writeFileAtomic(path, encodeCheckpoint(c));
}

/** Loads and validates a checkpoint written by saveCheckpoint (decodeCheckpoint lists the checks); faults are CheckpointErrors naming the file. */
export function loadCheckpoint(path: string, engine?: Engine): Checkpoint {
  return decodeCheckpoint(readModelBytes(path), path, engine);
}

/** Saves an ExpandedMLP (encodeExpanded says what is in it) atomically. Example: `saveExpanded('m.expanded.safetensors', expanded, { k: 16 })`. */
export function saveExpanded(path: string, model: ExpandedMLP, config: unknown = null): void {
  writeFileAtomic(path, encodeExpanded(model, config));
}

/** Loads a file written by saveExpanded; any fault is a CheckpointError naming the file and the tensor. */
export function loadExpanded(path: string, engine?: Engine): LoadedExpanded {
  return decodeExpanded(readModelBytes(path), path, engine);
}
