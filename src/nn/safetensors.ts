import { CheckpointError, ShapeError } from '../engine/index.js';

/** Element types of the safetensors format, with their sizes in bytes. */
export const SAFETENSORS_DTYPES = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
} as const;
/** A safetensors dtype name. */
export type SafetensorsDType = keyof typeof SAFETENSORS_DTYPES;

/** One stored tensor: dtype, shape and a copy of its raw little-endian bytes (aligned, own buffer). */
export interface SafetensorsEntry {
  dtype: SafetensorsDType;
  shape: number[];
  data: Uint8Array;
}

/** A decoded safetensors file: its tensors in file order and the `__metadata__` string map. */
export interface SafetensorsFile {
  tensors: Map<string, SafetensorsEntry>;
  metadata: Record<string, string>;
}

/** A tensor to encode: dtype, shape, and a typed array holding exactly its bytes. */
export interface SafetensorsInput {
  dtype: SafetensorsDType;
  shape: readonly number[];
  data: ArrayBufferView;
}

/** Headers above this size are refused, as the reference implementation does. */
const MAX_HEADER = 100_000_000;
// typed-array views are read in host byte order; the format is little-endian
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Encodes tensors (in the given order) and string metadata as safetensors bytes: an 8-byte
 * little-endian header length, a JSON header padded with spaces to 8-byte alignment, then the data.
 */
export function encodeSafetensors(tensors: Record<string, SafetensorsInput>, metadata: Record<string, string> = {}): Uint8Array {
  requireLittleEndian('encodeSafetensors');
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const expected = t.shape.reduce((a, b) => a * b, 1) * (SAFETENSORS_DTYPES[t.dtype] ?? Number.NaN);
    if (name === '__metadata__' || t.data.byteLength !== expected) {
      throw new ShapeError(`tensor '${name}' (${t.dtype} [${t.shape.join(', ')}]) needs ${expected} bytes, got ${t.data.byteLength}`, {
        where: 'encodeSafetensors',
        got: name,
      });
    }
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + expected] };
    offset += expected;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  // the header is padded with spaces to a multiple of 8 bytes, as the reference writer does
  const head = new Uint8Array(json.length + ((8 - (json.length % 8)) % 8)).fill(0x20);
  head.set(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const t of Object.values(tensors)) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/** A validated safetensors header: each tensor's dtype, shape and byte range in the data section (file order), and the metadata. */
export interface SafetensorsHeader {
  entries: Map<string, { dtype: SafetensorsDType; shape: number[]; begin: number; end: number }>;
  metadata: Record<string, string>;
  /** Offset of the data section in the file: 8 + the header length. */
  dataStart: number;
}

/** The header length a safetensors file declares in its first 8 bytes, checked against the file length and the size limit. */
export function safetensorsHeaderLength(first8: Uint8Array, fileLength: number, source = '<bytes>'): number {
  const fail = (problem: string): CheckpointError => new CheckpointError(`${source}: ${problem}`, { where: source });
  if (fileLength < 8 || first8.length < 8) throw fail(`file is ${fileLength} bytes, too short for the 8-byte header length (truncated?)`);
  const n = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(fileLength - 8))
    throw fail(`header length ${n} exceeds the ${fileLength - 8} bytes after the length field (truncated or not safetensors)`);
  if (n > BigInt(MAX_HEADER)) throw fail(`header length ${n} is over the ${MAX_HEADER}-byte limit`);
  return Number(n);
}

/**
 * Decodes and validates a safetensors header from the file's first 8 + n bytes (`prefix`; more
 * is fine) and the file's length, without the data: checks the header length, JSON, dtypes,
 * shapes against byte ranges, and that the ranges tile the data section exactly (contiguous, in
 * bounds, non-overlapping). Lets a caller read one tensor of a large file. Throws CheckpointError.
 */
export function decodeSafetensorsHeader(prefix: Uint8Array, fileLength: number, source = '<bytes>'): SafetensorsHeader {
  const fail = (problem: string): CheckpointError => new CheckpointError(`${source}: ${problem}`, { where: source });
  const n = safetensorsHeaderLength(prefix, fileLength, source);
  const headerEnd = 8 + n;
  if (prefix.length < headerEnd) throw fail(`${prefix.length} bytes given for a header that ends at byte ${headerEnd}`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(prefix.subarray(8, headerEnd)));
  } catch (err) {
    throw fail(`header is not valid UTF-8 JSON (${(err as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw fail('header is not a JSON object');
  const dataLength = fileLength - headerEnd;
  const metadata: Record<string, string> = {};
  const ranges: Array<{ name: string; begin: number; end: number; dtype: SafetensorsDType; shape: number[] }> = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw fail('__metadata__ is not an object');
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string') throw fail(`__metadata__.${k} is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    ranges.push({ name, ...parseEntry(name, raw, fail) });
  }
  // keep file order for callers
  const entries = new Map(ranges.map((r) => [r.name, { dtype: r.dtype, shape: r.shape, begin: r.begin, end: r.end }]));
  ranges.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expect = 0;
  for (const r of ranges) {
    if (r.begin !== expect)
      throw fail(
        `tensor '${r.name}' starts at byte ${r.begin} of the data section, expected ${expect}: ranges must be contiguous and non-overlapping`,
      );
    if (r.end > dataLength)
      throw fail(`tensor '${r.name}' ends at byte ${r.end} but the data section has ${dataLength} bytes (truncated?)`);
    expect = r.end;
  }
  if (expect !== dataLength) throw fail(`tensors cover ${expect} bytes but the data section has ${dataLength}: trailing or missing data`);
  return { entries, metadata, dataStart: headerEnd };
}

/**
 * Decodes and validates safetensors bytes; `source` (a file name) goes into every error. Checks
 * as decodeSafetensorsHeader does, then copies each tensor. Throws CheckpointError on any fault.
 */
export function decodeSafetensors(bytes: Uint8Array, source = '<bytes>'): SafetensorsFile {
  const { entries, metadata, dataStart } = decodeSafetensorsHeader(bytes, bytes.length, source);
  const tensors = new Map<string, SafetensorsEntry>();
  // copies give each tensor its own aligned buffer (and, unlike Buffer#slice, never a view into node's shared pool)
  for (const [name, r] of entries) {
    tensors.set(name, { dtype: r.dtype, shape: r.shape, data: new Uint8Array(bytes.subarray(dataStart + r.begin, dataStart + r.end)) });
  }
  return { tensors, metadata };
}

function parseEntry(name: string, raw: unknown, fail: (p: string) => CheckpointError) {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw fail(`entry '${name}' is not an object`);
  const { dtype, shape, data_offsets: offsets, ...extra } = raw as Record<string, unknown>;
  const unknownKeys = Object.keys(extra);
  if (unknownKeys.length > 0) throw fail(`entry '${name}' has unknown keys ${unknownKeys.join(', ')}; allowed: dtype, shape, data_offsets`);
  if (typeof dtype !== 'string' || !(dtype in SAFETENSORS_DTYPES)) {
    throw fail(`tensor '${name}' has dtype ${JSON.stringify(dtype)}; allowed: ${Object.keys(SAFETENSORS_DTYPES).join(', ')}`);
  }
  const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  if (!Array.isArray(shape) || !shape.every(isIndex))
    throw fail(`tensor '${name}' has shape ${JSON.stringify(shape)}; expected an array of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex) || offsets[0] > offsets[1]) {
    throw fail(`tensor '${name}' has data_offsets ${JSON.stringify(offsets)}; expected [begin, end] with 0 <= begin <= end`);
  }
  const bytes = shape.reduce((a: number, b: number) => a * b, 1) * SAFETENSORS_DTYPES[dtype as SafetensorsDType];
  if (offsets[1] - offsets[0] !== bytes) {
    throw fail(
      `tensor '${name}' (${dtype} [${shape.join(', ')}]) needs ${bytes} bytes but data_offsets [${offsets.join(', ')}] span ${offsets[1] - offsets[0]}`,
    );
  }
  return { begin: offsets[0] as number, end: offsets[1] as number, dtype: dtype as SafetensorsDType, shape: shape as number[] };
}

/** The entry's values as a fresh Float32Array; CheckpointError unless it is F32. */
export function entryF32(file: string, name: string, e: SafetensorsEntry): Float32Array {
  requireDType(file, name, e, 'F32');
  // a Float32Array view needs a 4-byte aligned offset; decoded entries always have one
  const bytes = e.data.byteOffset % 4 === 0 ? e.data : new Uint8Array(e.data);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

/** The entry's values as a Uint8Array; CheckpointError unless it is U8. */
export function entryU8(file: string, name: string, e: SafetensorsEntry): Uint8Array {
  requireDType(file, name, e, 'U8');
  return e.data;
}

function requireDType(file: string, name: string, e: SafetensorsEntry, dtype: SafetensorsDType): void {
  requireLittleEndian(file);
  if (e.dtype !== dtype)
    throw new CheckpointError(`${file}: tensor '${name}' has dtype ${e.dtype}, expected ${dtype}`, {
      where: file,
      got: e.dtype,
      allowed: dtype,
    });
}

function requireLittleEndian(where: string): void {
  if (!HOST_LITTLE_ENDIAN) throw new CheckpointError(`${where}: safetensors I/O needs a little-endian host`, { where });
}
