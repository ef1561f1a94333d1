import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { decodeIdx } from '../../src/data/idx.js';
import { DataError } from '../../src/engine/index.js';
import { readIdx } from '../../src/node/index.js';
import { idxBytes, put, tempDir } from './helpers.js';

describe('IDX loader', () => {
  it('decodes every type code with big-endian dims and values, exactly', () => {
    const cases: Array<[number, string, number[]]> = [
      [0x08, 'uint8', [0, 1, 128, 255]],
      [0x09, 'int8', [-128, -1, 0, 127]],
      [0x0b, 'int16', [-32768, -2, 300, 32767]],
      [0x0c, 'int32', [-(2 ** 31), -1, 70000, 2 ** 31 - 1]],
      [0x0d, 'float32', [-1.5, 0.25, 3.4e38, 1e-3]],
      [0x0e, 'float64', [-1.5, 0.1, 1.7e308, -1e-300]],
    ];
    for (const [code, dtype, values] of cases) {
      const a = decodeIdx(idxBytes(code, [2, 2], values), 'case.idx');
      assert.equal(a.dtype, dtype);
      assert.deepEqual(a.shape, [2, 2]);
      assert.deepEqual([...a.data], dtype === 'float32' ? [...Float32Array.from(values)] : values);
    }
  });

  it('reads raw and gzip files alike, by magic bytes not by name', () => {
    const dir = tempDir();
    const raw = idxBytes(0x08, [3, 1, 2], [1, 2, 3, 4, 5, 6]);
    const a = readIdx(put(dir, 'plain.gz', raw));
    const b = readIdx(put(dir, 'packed', gzipSync(raw)));
    assert.deepEqual(a, b);
    assert.deepEqual(a.shape, [3, 1, 2]);
    assert.deepEqual(a.data, new Uint8Array([1, 2, 3, 4, 5, 6]));
  });

  it('refuses truncated files at every stage, naming the file', () => {
    const good = idxBytes(0x0c, [2, 3], [1, 2, 3, 4, 5, 6]);
    assert.throws(() => decodeIdx(good.subarray(0, 3), 'cut.idx'), /^DataError: cut\.idx: is 3 bytes, too short for the 4-byte IDX magic/);
    assert.throws(
      () => decodeIdx(good.subarray(0, 9), 'cut.idx'),
      /cut\.idx: truncated: the header of 2 dims needs 12 bytes, the file has 9/,
    );
    assert.throws(
      () => decodeIdx(good.subarray(0, 12), 'cut.idx'),
      /cut\.idx: truncated: \[2, 3\] int32 needs 24 data bytes, the file has 0/,
    );
    assert.throws(
      () => decodeIdx(good.subarray(0, 35), 'cut.idx'),
      /cut\.idx: truncated: \[2, 3\] int32 needs 24 data bytes, the file has 23/,
    );
    const long = new Uint8Array(good.length + 2);
    long.set(good);
    assert.throws(() => decodeIdx(long, 'long.idx'), /long\.idx: has 2 bytes after the \[2, 3\] int32 data; not a valid IDX file/);
  });

  it('refuses a truncated gzip stream', () => {
    const dir = tempDir();
    const gz = gzipSync(idxBytes(0x08, [100], new Uint8Array(100).fill(7)));
    const path = put(dir, 'cut.gz', gz.subarray(0, gz.length - 10));
    assert.throws(
      () => readIdx(path),
      (e: Error) => e instanceof DataError && /cut\.gz: cannot gunzip \(.*\); the file is truncated or corrupt/.test(e.message),
    );
  });

  it('refuses wrong magic and unknown type codes', () => {
    assert.throws(
      () => decodeIdx(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0]), 'zip.idx'),
      /zip\.idx: not an IDX file: magic is 0x50 0x4b 0x03 0x04/,
    );
    assert.throws(() => decodeIdx(new Uint8Array([0, 0, 0x0a, 1, 0, 0, 0, 0]), 'odd.idx'), /odd\.idx: unknown IDX type code 0x0a/);
    assert.throws(() => decodeIdx(new Uint8Array([0, 0, 8, 0]), 'flat.idx'), /flat\.idx: declares 0 dimensions/);
  });

  it('names the missing file', () => {
    assert.throws(() => readIdx('/nonexistent/x.idx'), /^DataError: \/nonexistent\/x\.idx: cannot read \(ENOENT/);
  });
});
