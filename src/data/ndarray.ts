import { DataError } from '../engine/index.js';

/** Element types widen reads from data files (NumPy names); int64 is widened to float64 on load. */
export const ELEMENT_TYPES = ['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'int64', 'float32', 'float64'] as const;
/** One element type of ELEMENT_TYPES. */
export type ElementType = (typeof ELEMENT_TYPES)[number];

/** Bytes per element of each ElementType. */
export const ELEMENT_SIZE: Record<ElementType, number> = {
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  int64: 8,
  float32: 4,
  float64: 8,
};

/** The typed arrays an NdArray may hold. */
export type NumericArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** A dense C-order array read from a file: its element type, shape and values in host order. */
export interface NdArray {
  dtype: ElementType;
  shape: number[];
  data: NumericArray;
}

const CTORS = {
  uint8: Uint8Array,
  int8: Int8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  uint32: Uint32Array,
  int32: Int32Array,
  int64: Float64Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

/**
 * Decodes `count` elements of `dtype` starting at `bytes[0]`, in the given byte order, into a fresh
 * typed array. int64 values beyond 2^53 cannot be held exactly by a number and are refused.
 */
export function decodeElements(bytes: Uint8Array, count: number, dtype: ElementType, littleEndian: boolean, source: string): NumericArray {
  const out = new CTORS[dtype](count);
  if (dtype === 'uint8' || dtype === 'int8') {
    out.set(dtype === 'uint8' ? bytes.subarray(0, count) : new Int8Array(bytes.buffer, bytes.byteOffset, count));
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * ELEMENT_SIZE[dtype]);
  // DataView reads honour the file's byte order on any host
  const read = {
    uint16: (i: number) => view.getUint16(i * 2, littleEndian),
    int16: (i: number) => view.getInt16(i * 2, littleEndian),
    uint32: (i: number) => view.getUint32(i * 4, littleEndian),
    int32: (i: number) => view.getInt32(i * 4, littleEndian),
    float32: (i: number) => view.getFloat32(i * 4, littleEndian),
    float64: (i: number) => view.getFloat64(i * 8, littleEndian),
    int64: (i: number) => {
      const v = view.getBigInt64(i * 8, littleEndian);
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))
        throw new DataError(`${source}: int64 element ${i} is ${v}, beyond the +-2^53 range widen can hold exactly`, { where: source });
      return Number(v);
    },
  }[dtype];
  for (let i = 0; i < count; i++) out[i] = read(i);
  return out;
}

/** The number of elements of a shape (1 for a scalar). */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * A [samples, ...] array as a row-major Float32 feature matrix: rows = shape[0], features = the
 * product of the other dims (an image [n, 28, 28] gives 784 features).
 */
export function asFeatures(a: NdArray, source: string): { x: Float32Array; rows: number; features: number } {
  if (a.shape.length < 2)
    throw new DataError(`${source}: features must be an array [samples, features, ...], got shape [${a.shape.join(', ')}]`, {
      where: source,
      got: a.shape,
    });
  const x = a.data instanceof Float32Array ? a.data : Float32Array.from(a.data);
  return { x, rows: a.shape[0], features: shapeSize(a.shape.slice(1)) };
}

/** A label array of shape [n] or [n, 1] as Int32 class labels; non-integer or negative values are refused. */
export function asLabels(a: NdArray, source: string): Int32Array {
  if (a.shape.length !== 1 && !(a.shape.length === 2 && a.shape[1] === 1))
    throw new DataError(`${source}: labels must be an array [samples] or [samples, 1], got shape [${a.shape.join(', ')}]`, {
      where: source,
      got: a.shape,
    });
  const y = new Int32Array(a.data.length);
  for (let i = 0; i < y.length; i++) {
    const v = a.data[i];
    if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff)
      throw new DataError(`${source}: label ${v} at sample ${i} is not a class index; labels must be integers >= 0`, {
        where: source,
        got: v,
      });
    y[i] = v;
  }
  return y;
}
