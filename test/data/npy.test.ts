import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decodeNpy } from '../../src/data/npy.js';
import { readNpy } from '../../src/node/index.js';
import { fixture, put, tempDir } from './helpers.js';

// written by scripts/fixtures/make_data_fixture.py: numpy is the oracle for every value
const expected = JSON.parse(readFileSync(fixture('npy-expected.json'), 'utf8')) as {
  arrays: Record<string, { shape: number[]; values: number[] }>;
};

/** A .npy v1.0 file laid out by hand: magic, version, u16 LE header length, header dict, data. */
function npyV1(header: string, data: Uint8Array): Uint8Array {
  const pad = 16 - ((10 + header.length + 1) % 16);
  const text = `${header}${' '.repeat(pad % 16)}\n`;
  const out = new Uint8Array(10 + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, text.length, true);
  out.set(Buffer.from(text, 'latin1'), 10);
  out.set(data, 10 + text.length);
  return out;
}

describe('.npy loader', () => {
  it('reads every dtype, both byte orders and versions 1-3 exactly as numpy wrote them', () => {
    const names = Object.keys(expected.arrays);
    assert.ok(names.length >= 19, `fixture lists ${names.length} arrays`);
    for (const name of names) {
      const a = readNpy(fixture(name));
      const want = expected.arrays[name];
      assert.deepEqual(a.shape, want.shape, name);
      assert.deepEqual([...a.data], want.values, name);
    }
  });

  it('keeps the declared dtype (int64 is widened to float64 values)', () => {
    assert.equal(readNpy(fixture('npy-u2-be.npy')).dtype, 'uint16');
    const i8 = readNpy(fixture('npy-i8-be.npy'));
    assert.equal(i8.dtype, 'int64');
    assert.ok(i8.data instanceof Float64Array);
  });

  it('refuses Fortran order, object arrays and structured arrays with the fix', () => {
    const f = fixture('npy-fortran.npy');
    assert.throws(
      () => readNpy(f),
      new RegExp(`^DataError: ${f}: is stored in Fortran order; re-save it in C order: np\\.save\\(path, np\\.ascontiguousarray\\(a\\)\\)`),
    );
    const o = fixture('npy-object.npy');
    assert.throws(() => readNpy(o), new RegExp(`^DataError: ${o}: holds Python objects \\(dtype \\|O\\), which widen cannot read`));
    const rec = npyV1("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4));
    assert.throws(() => decodeNpy(rec, 'rec.npy'), /rec\.npy: holds a structured \(record\) array/);
    // float16 is read (widened to float32, see npz.test.ts); complex is not
    const c8 = npyV1("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(8));
    assert.throws(() => decodeNpy(c8, 'complex.npy'), /complex\.npy: dtype <c8 is not supported; widen reads float16\/32\/64/);
  });

  it('refuses truncated files at every stage', () => {
    const bytes = readFileSync(fixture('npy-f8-le.npy'));
    assert.throws(() => decodeNpy(bytes.subarray(0, 5), 'cut.npy'), /^DataError: cut\.npy: not a \.npy file/);
    assert.throws(() => decodeNpy(bytes.subarray(0, 60), 'cut.npy'), /cut\.npy: truncated: the header needs 128 bytes, the file has 60/);
    assert.throws(
      () => decodeNpy(bytes.subarray(0, bytes.length - 1), 'cut.npy'),
      /cut\.npy: truncated: \[2, 3\] float64 needs 48 data bytes, the file has 47/,
    );
    const dir = tempDir();
    const path = put(dir, 'cut.npy', bytes.subarray(0, 130));
    assert.throws(() => readNpy(path), new RegExp(`${path}: truncated: \\[2, 3\\] float64 needs 48 data bytes, the file has 2`));
  });

  it('refuses wrong magic, unknown versions and missing header keys', () => {
    assert.throws(() => decodeNpy(new Uint8Array(16), 'zero.npy'), /zero\.npy: not a \.npy file: it does not start with \\x93NUMPY/);
    const v9 = npyV1("{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }", new Uint8Array(0));
    v9[6] = 9;
    assert.throws(() => decodeNpy(v9, 'v9.npy'), /v9\.npy: unsupported \.npy format version 9\.0; widen reads 1\.0, 2\.0 and 3\.0/);
    const noShape = npyV1("{'descr': '<f4', 'fortran_order': False, }", new Uint8Array(0));
    assert.throws(() => decodeNpy(noShape, 'ns.npy'), /ns\.npy: header has no 'shape' tuple/);
  });

  it('refuses int64 values a number cannot hold exactly', () => {
    const data = new Uint8Array(8);
    new DataView(data.buffer).setBigInt64(0, 2n ** 60n, true);
    const big = npyV1("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", data);
    assert.throws(() => decodeNpy(big, 'big.npy'), /big\.npy: int64 element 0 is 1152921504606846976, beyond the \+-2\^53 range/);
  });
});
