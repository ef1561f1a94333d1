import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after } from 'node:test';
import { gzipSync } from 'node:zlib';

/** test/fixtures/data/<name>, absolute. */
export const fixture = (name: string): string => resolve('test/fixtures/data', name);

const SETTERS: Record<number, [number, (v: DataView, at: number, x: number) => void]> = {
  8: [1, (v, at, x) => v.setUint8(at, x)],
  9: [1, (v, at, x) => v.setInt8(at, x)],
  11: [2, (v, at, x) => v.setInt16(at, x, false)],
  12: [4, (v, at, x) => v.setInt32(at, x, false)],
  13: [4, (v, at, x) => v.setFloat32(at, x, false)],
  14: [8, (v, at, x) => v.setFloat64(at, x, false)],
};

/** IDX bytes laid out by hand from the format description: 0, 0, type, dims, big-endian dims and values. */
export function idxBytes(type: number, shape: number[], values: ArrayLike<number>): Uint8Array {
  const [size, set] = SETTERS[type];
  const start = 4 + 4 * shape.length;
  const out = new Uint8Array(start + values.length * size);
  const view = new DataView(out.buffer);
  out.set([0, 0, type, shape.length]);
  for (let i = 0; i < shape.length; i++) view.setUint32(4 + 4 * i, shape[i], false);
  for (let i = 0; i < values.length; i++) set(view, start + i * size, values[i]);
  return out;
}

/** A fresh temp directory, removed when the test file ends. */
export function tempDir(prefix = 'widen-data-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `bytes` (or text) to dir/name, creating parent dirs; returns the path. */
export function put(dir: string, name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

/**
 * The four gzipped IDX files of a tiny MNIST-shaped image set: `train` and `test` images of 2x2
 * pixels whose first pixel is `marker` (so a test can tell which copy was loaded), labels i % 10.
 */
export function tinyImageSet(train: number, test: number, marker: number): Record<string, Uint8Array> {
  const images = (n: number) =>
    idxBytes(
      0x08,
      [n, 2, 2],
      Array.from({ length: n * 4 }, (_, i) => (i === 0 ? marker : (i * 7) % 256)),
    );
  const labels = (n: number) =>
    idxBytes(
      0x08,
      [n],
      Array.from({ length: n }, (_, i) => i % 10),
    );
  return {
    'train-images-idx3-ubyte.gz': gzipSync(images(train)),
    'train-labels-idx1-ubyte.gz': gzipSync(labels(train)),
    't10k-images-idx3-ubyte.gz': gzipSync(images(test)),
    't10k-labels-idx1-ubyte.gz': gzipSync(labels(test)),
  };
}

/** Writes every file of `files` into `dir`. */
export function putAll(dir: string, files: Record<string, Uint8Array>): void {
  for (const [name, bytes] of Object.entries(files)) put(dir, name, bytes);
}
