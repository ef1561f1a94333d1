import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CheckpointError, entryToF32, f32ToEntry } from '../../src/index.js';
import { floatToBfloat16, floatToHalf, halfToFloat } from '../../src/nn/index.js';

describe('float16 and bfloat16 conversions', () => {
  it('every half decodes to the value its bits give, and encodes back to the same bits', () => {
    const f16 = new Float32Array(1);
    for (let h = 0; h < 65536; h++) {
      const v = halfToFloat(h);
      if (Number.isNaN(v)) {
        assert.equal(h & 0x7c00, 0x7c00);
        continue;
      }
      f16[0] = v;
      assert.equal(floatToHalf(f16[0]), h, `half 0x${h.toString(16)} = ${v}`);
    }
  });

  it('rounds to the nearest half, ties to even, overflow to infinity, tiny to zero (as torch .half())', () => {
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even (1); 1 + 3·2^-11 rounds up to 1 + 2^-9
    assert.equal(halfToFloat(floatToHalf(1 + 2 ** -11)), 1);
    assert.equal(halfToFloat(floatToHalf(1 + 3 * 2 ** -11)), 1 + 2 ** -9);
    assert.equal(halfToFloat(floatToHalf(65520)), Number.POSITIVE_INFINITY); // above max 65504 + half an ulp
    assert.equal(halfToFloat(floatToHalf(65519)), 65504);
    assert.equal(halfToFloat(floatToHalf(2 ** -25)), 0); // half of the smallest subnormal: ties to even 0
    assert.equal(halfToFloat(floatToHalf(3 * 2 ** -26)), 2 ** -24);
    assert.equal(floatToHalf(-0), 0x8000);
  });

  it('bfloat16 keeps the top 16 bits, rounded to nearest even', () => {
    const bits = (x: number) => new Uint32Array(Float32Array.of(x).buffer)[0];
    assert.equal(floatToBfloat16(1), bits(1) >>> 16);
    assert.equal(floatToBfloat16(1 + 2 ** -8), bits(1) >>> 16); // tie: even
    assert.equal(floatToBfloat16(1 + 3 * 2 ** -8), (bits(1) >>> 16) + 2);
    assert.equal(floatToBfloat16(Number.NaN) & 0x7fc0, 0x7fc0);
  });

  it('entryToF32 reads F16, BF16 and F64 and f32ToEntry writes them back', () => {
    const values = Float32Array.of(0, 1.5, -2.25, 1024, -0.125);
    for (const dtype of ['F16', 'BF16', 'F64', 'F32'] as const) {
      const e = f32ToEntry(values, dtype, [5]);
      const data = new Uint8Array(e.data.buffer, e.data.byteOffset, e.data.byteLength);
      assert.deepEqual(entryToF32({ dtype, shape: [5], data }, 'w', 'f'), values, dtype);
    }
    assert.throws(
      () => entryToF32({ dtype: 'I8', shape: [2], data: new Uint8Array(2) }, 'w', 'f.safetensors'),
      (e: Error) =>
        e instanceof CheckpointError &&
        e.message === "f.safetensors: tensor 'w' has dtype I8; widen reads weights and inputs as F32, F16, BF16, F64",
    );
  });
});
