import { DataError } from '../engine/index.js';
import { decodeElements, ELEMENT_SIZE, type ElementType, type NdArray, shapeSize } from './ndarray.js';

// IDX type codes (third magic byte), from the MNIST file-format description
const IDX_TYPES: Record<number, ElementType> = {
  8: 'uint8',
  9: 'int8',
  11: 'int16',
  12: 'int32',
  13: 'float32',
  14: 'float64',
};

/**
 * Decodes IDX bytes (MNIST's format): two zero bytes, a type code, the number of dims, big-endian
 * u32 dims, then big-endian values. Wrong magic, an unknown type, truncation and trailing bytes
 * are DataErrors naming `source`.
 */
export function decodeIdx(bytes: Uint8Array, source = '<bytes>'): NdArray {
  const fail = (problem: string) => new DataError(`${source}: ${problem}`, { where: source });
  const { dtype, shape, dataStart, count } = idxHeader(bytes, fail);
  const need = count * ELEMENT_SIZE[dtype];
  const have = bytes.length - dataStart;
  if (have < need) throw fail(`truncated: [${shape.join(', ')}] ${dtype} needs ${need} data bytes, the file has ${have}`);
  if (have > need) throw fail(`has ${have - need} bytes after the [${shape.join(', ')}] ${dtype} data; not a valid IDX file`);
  return { dtype, shape, data: decodeElements(bytes.subarray(dataStart), count, dtype, false, source) };
}

/**
 * The size in bytes of the IDX file whose first bytes are `head` (header plus data), from its
 * header alone: the bound a decompressor's output needs. Bad magic or type is a DataError as in decodeIdx.
 */
export function idxFileBytes(head: Uint8Array, source = '<bytes>'): number {
  const fail = (problem: string) => new DataError(`${source}: ${problem}`, { where: source });
  const { dtype, dataStart, count } = idxHeader(head, fail);
  return dataStart + count * ELEMENT_SIZE[dtype];
}

function idxHeader(
  bytes: Uint8Array,
  fail: (problem: string) => DataError,
): { dtype: ElementType; shape: number[]; dataStart: number; count: number } {
  if (bytes.length < 4) throw fail(`is ${bytes.length} bytes, too short for the 4-byte IDX magic (truncated?)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hex = [...bytes.subarray(0, 4)].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
    throw fail(`not an IDX file: magic is ${hex}, expected 0x00 0x00 <type> <dims>`);
  }
  const dtype = IDX_TYPES[bytes[2]];
  if (dtype === undefined)
    throw fail(
      `unknown IDX type code 0x${bytes[2].toString(16).padStart(2, '0')}; known: 0x08 u8, 0x09 i8, 0x0b i16, 0x0c i32, 0x0d f32, 0x0e f64`,
    );
  const dims = bytes[3];
  if (dims === 0) throw fail('declares 0 dimensions; an IDX array needs at least one');
  const dataStart = 4 + 4 * dims;
  if (bytes.length < dataStart) throw fail(`truncated: the header of ${dims} dims needs ${dataStart} bytes, the file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, dataStart);
  const shape = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i, false));
  // 255 dims of up to 2^32 overflow a double; 0 × Infinity would be NaN and pass every size check
  let product = 1;
  for (const d of shape) {
    product *= d === 0 ? 1 : d;
    if (!Number.isSafeInteger(product * ELEMENT_SIZE[dtype]))
      throw fail(`shape [${shape.join(', ')}] is too large: its byte count passes 2^53`);
  }
  return { dtype, shape, dataStart, count: shapeSize(shape) };
}
