import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { zipSync } from 'fflate';
import { DataError, decodeNpy, decodeNpz, encodeNpy, encodeNpz } from '../../src/index.js';

describe('encodeNpy, decodeNpz and encodeNpz', () => {
  it('encodeNpy writes a version 1.0 header padded to 64 bytes that decodeNpy reads back', () => {
    const data = Float32Array.of(1, 2, 3, 4, 5, 6);
    const bytes = encodeNpy(data, [2, 3]);
    const headerLength = bytes[8] | (bytes[9] << 8);
    assert.equal((10 + headerLength) % 64, 0);
    assert.equal(bytes[10 + headerLength - 1], 0x0a);
    assert.deepEqual(decodeNpy(bytes), { dtype: 'float32', shape: [2, 3], data });
    assert.deepEqual(decodeNpy(encodeNpy(Uint8Array.of(1, 0, 1), [3])).shape, [3]);
  });

  it('decodeNpy widens float16 (<f2) to float32', () => {
    const header = `${"{'descr': '<f2', 'fortran_order': False, 'shape': (3,), }".padEnd(117, ' ')}\n`;
    const bytes = new Uint8Array(10 + header.length + 6);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]);
    bytes.set(new TextEncoder().encode(header), 10);
    new DataView(bytes.buffer).setUint16(10 + header.length, 0x3c00, true); // 1
    new DataView(bytes.buffer).setUint16(12 + header.length, 0xc100, true); // -2.5
    new DataView(bytes.buffer).setUint16(14 + header.length, 0x7bff, true); // 65504
    assert.deepEqual(decodeNpy(bytes), { dtype: 'float32', shape: [3], data: Float32Array.of(1, -2.5, 65504) });
  });

  it('round trip through a zip; deflated members (np.savez_compressed) read too', () => {
    const w = Float32Array.of(0.5, -1, 2, 0);
    const arrays = decodeNpz(encodeNpz({ 'layers.0.weight': { data: w, shape: [2, 2] } }));
    assert.deepEqual(arrays.get('layers.0.weight'), { dtype: 'float32', shape: [2, 2], data: w });
    const deflated = zipSync({ 'x.npy': [encodeNpy(w, [4]), { level: 9 }] });
    assert.deepEqual(decodeNpz(deflated).get('x')?.data, w);
  });

  it('refuses a member that unpacks past the limit before inflating it, and members that are not .npy', () => {
    const big = zipSync({ 'x.npy': [encodeNpy(new Float32Array(1000), [1000]), { level: 9 }] });
    assert.throws(
      () => decodeNpz(big, 'a.npz', 1000),
      (e: Error) => e instanceof DataError && /unpack to more than 1000 bytes/.test(e.message),
    );
    assert.throws(
      () => decodeNpz(zipSync({ 'x.txt': new Uint8Array(2) }), 'a.npz'),
      (e: Error) => e instanceof DataError && /'x\.txt' is not a \.npy array/.test(e.message),
    );
    assert.throws(
      () => decodeNpz(new Uint8Array(10), 'a.npz'),
      (e: Error) => e instanceof DataError && /not a readable \.npz/.test(e.message),
    );
  });
});
