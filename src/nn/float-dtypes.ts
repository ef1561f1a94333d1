import { CheckpointError } from '../engine/index.js';
import type { SafetensorsDType, SafetensorsEntry, SafetensorsInput } from './safetensors.js';

/** Safetensors dtypes whose values widen reads as weights or activations (converted to float32). */
export const FLOAT_DTYPES = ['F32', 'F16', 'BF16', 'F64'] as const;
/** One dtype of FLOAT_DTYPES. */
export type FloatDType = (typeof FLOAT_DTYPES)[number];

/** Whether a safetensors dtype is one of FLOAT_DTYPES. */
export function isFloatDType(dtype: SafetensorsDType): dtype is FloatDType {
  return (FLOAT_DTYPES as readonly string[]).includes(dtype);
}

/** The value of an IEEE half-precision number given by its 16 bits. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** The 16 bits of the half-precision number nearest to `x` (ties to even; overflow to infinity), as torch's .half() rounds. */
export function floatToHalf(x: number): number {
  F32[0] = x;
  const bits = U32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    // subnormal half (or zero): shift the full mantissa, round to nearest even
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = m & ((1 << shift) - 1);
    let v = m >>> shift;
    if (rest > half || (rest === half && (v & 1) === 1)) v++;
    return sign | v;
  }
  let v = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (v & 1) === 1)) v++; // may carry into the exponent, up to infinity: correct
  return sign | v;
}

/** The 16 bits of the bfloat16 number nearest to `x` (ties to even), as torch's .bfloat16() rounds. */
export function floatToBfloat16(x: number): number {
  F32[0] = x;
  const bits = U32[0];
  if ((bits & 0x7fffffff) > 0x7f800000) return ((bits >>> 16) & 0x8000) | 0x7fc0;
  return (bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16;
}

/**
 * The values of a float tensor as a fresh Float32Array: F32 as is, F16 and BF16 widened exactly,
 * F64 rounded. Any other dtype is a CheckpointError naming the tensor and FLOAT_DTYPES.
 */
export function entryToF32(entry: SafetensorsEntry, name: string, source: string): Float32Array {
  const { dtype, data } = entry;
  const count = data.byteLength / (dtype === 'F64' ? 8 : dtype === 'F32' ? 4 : 2);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new Float32Array(count);
  if (dtype === 'F32') for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  else if (dtype === 'F64') for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
  else if (dtype === 'F16') {
    // a table of the 65536 halves is faster than decoding 45M of them one by one
    const table = halfTable();
    for (let i = 0; i < count; i++) out[i] = table[view.getUint16(i * 2, true)];
  } else if (dtype === 'BF16') {
    const u = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) u[i] = view.getUint16(i * 2, true) << 16;
  } else {
    throw new CheckpointError(
      `${source}: tensor '${name}' has dtype ${dtype}; widen reads weights and inputs as ${FLOAT_DTYPES.join(', ')}`,
      {
        where: `${source}: ${name}`,
        got: dtype,
        allowed: FLOAT_DTYPES.join(', '),
      },
    );
  }
  return out;
}

let HALVES: Float32Array | null = null;
function halfTable(): Float32Array {
  HALVES ??= Float32Array.from({ length: 65536 }, (_, h) => halfToFloat(h));
  return HALVES;
}

/** float32 values as a safetensors tensor of `dtype` (F16 and BF16 rounded to nearest even, as torch casts). */
export function f32ToEntry(values: Float32Array, dtype: FloatDType, shape: readonly number[]): SafetensorsInput {
  if (dtype === 'F32') return { dtype, shape, data: values };
  if (dtype === 'F64') return { dtype, shape, data: Float64Array.from(values) };
  const out = new Uint16Array(values.length);
  const convert = dtype === 'F16' ? floatToHalf : floatToBfloat16;
  for (let i = 0; i < values.length; i++) out[i] = convert(values[i]);
  return { dtype, shape, data: out };
}
