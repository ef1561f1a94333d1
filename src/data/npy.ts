import { DataError } from '../engine/index.js';
import { halfToFloat } from '../nn/index.js';
import { decodeElements, ELEMENT_SIZE, type ElementType, type NdArray, shapeSize } from './ndarray.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

// descr kind+size (without the byte-order character) -> element type
const DESCR: Record<string, ElementType> = {
  u1: 'uint8',
  i1: 'int8',
  u2: 'uint16',
  i2: 'int16',
  u4: 'uint32',
  i4: 'int32',
  i8: 'int64',
  f4: 'float32',
  f8: 'float64',
};

/**
 * Decodes NumPy .npy bytes (format versions 1.0, 2.0 and 3.0) of a C-order numeric array:
 * float16 (read as float32), float32/64, int8/16/32/64, uint8/16/32, little or big endian. Fortran order, object and
 * structured arrays, other dtypes and truncated files are DataErrors naming `source` and the fix.
 */
export function decodeNpy(bytes: Uint8Array, source = '<bytes>'): NdArray {
  const fail = (problem: string, got?: unknown) => new DataError(`${source}: ${problem}`, { where: source, got });
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw fail('not a .npy file: it does not start with \\x93NUMPY');
  const major = bytes[6];
  if (major < 1 || major > 3) throw fail(`unsupported .npy format version ${major}.${bytes[7]}; widen reads 1.0, 2.0 and 3.0`, major);
  // v1 has a u16 header length, v2/v3 a u32 one (both little-endian)
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) throw fail(`truncated: ${bytes.length} bytes end inside the header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lenBytes;
  const dataStart = headerStart + headerLen;
  if (bytes.length < dataStart) throw fail(`truncated: the header needs ${dataStart} bytes, the file has ${bytes.length}`);
  // v3 headers are UTF-8, earlier ones latin-1
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const { descr, fortran, shape } = parseHeader(header, fail);
  if (fortran) throw fail('is stored in Fortran order; re-save it in C order: np.save(path, np.ascontiguousarray(a))');
  // float16 (descr f2) is widened to float32 on load, as torch and NumPy activations often come in half precision
  const half = /^[<>]f2$/.test(descr);
  const dtype = half ? 'float32' : parseDescr(descr, fail);
  const count = shapeSize(shape);
  const need = count * (half ? 2 : ELEMENT_SIZE[dtype]);
  const have = bytes.length - dataStart;
  if (have < need) throw fail(`truncated: [${shape.join(', ')}] ${dtype} needs ${need} data bytes, the file has ${have}`);
  if (have > need) throw fail(`has ${have - need} bytes after the [${shape.join(', ')}] ${dtype} data; not a valid .npy file`);
  if (half) {
    const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart, need);
    return { dtype, shape, data: Float32Array.from({ length: count }, (_, i) => halfToFloat(view.getUint16(i * 2, descr[0] === '<'))) };
  }
  return { dtype, shape, data: decodeElements(bytes.subarray(dataStart), count, dtype, descr[0] !== '>', source) };
}

type Fail = (problem: string, got?: unknown) => DataError;

// The header is a Python dict literal such as
// {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
function parseHeader(header: string, fail: Fail): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header);
  if (descr === null) {
    if (/'descr'\s*:\s*\[/.test(header)) throw fail('holds a structured (record) array; save one plain numeric array per file');
    throw fail(`header has no 'descr' string: ${header.trim()}`);
  }
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  if (fortran === null) throw fail(`header has no 'fortran_order' flag: ${header.trim()}`);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (shape === null) throw fail(`header has no 'shape' tuple: ${header.trim()}`);
  const dims = shape[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (!dims.every((d) => /^\d+$/.test(d))) throw fail(`header shape (${shape[1]}) is not a tuple of non-negative integers`);
  const sizes = dims.map(Number);
  // every dimension, and the product of the non-zero ones, must be exact: 0 * Infinity is NaN
  let product = 1;
  for (const d of sizes) {
    product *= d === 0 ? 1 : d;
    if (!Number.isSafeInteger(product))
      throw fail(`header shape (${shape[1]}) is too large: its element count passes 2^53`, shape[1].slice(0, 80));
  }
  return { descr: descr[1], fortran: fortran[1] === 'True', shape: sizes };
}

function parseDescr(descr: string, fail: Fail): ElementType {
  const order = descr[0];
  const kind = descr.slice(1);
  if (kind === 'O')
    throw fail(`holds Python objects (dtype ${descr}), which widen cannot read; save a numeric array, e.g. a.astype(np.float32)`, descr);
  const dtype = DESCR[kind];
  if (dtype === undefined || !'<>|'.includes(order) || (order === '|' && ELEMENT_SIZE[dtype] > 1))
    throw fail(`dtype ${descr} is not supported; widen reads float16/32/64, int8/16/32/64 and uint8/16/32 (little or big endian)`, descr);
  return dtype;
}

/** A C-order array as NumPy .npy bytes (format 1.0, little-endian): float32, float64 or uint8. Example: `encodeNpy(w, [out, inF])`. */
export function encodeNpy(data: Float32Array | Float64Array | Uint8Array, shape: readonly number[]): Uint8Array {
  const descr = data instanceof Float32Array ? '<f4' : data instanceof Float64Array ? '<f8' : '|u1';
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  // magic + version + u16 length + header + '\n' is padded with spaces to a multiple of 64 bytes
  header = `${header.padEnd(Math.ceil((10 + header.length + 1) / 64) * 64 - 10 - 1, ' ')}\n`;
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC);
  out.set([1, 0, header.length & 0xff, header.length >> 8], 6);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
