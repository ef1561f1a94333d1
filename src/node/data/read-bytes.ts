import { readFileSync, statSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';
import { DataError } from '../../engine/index.js';

/** Default of the largest data file widen reads, and of the largest a .gz may decompress to: 2 GiB. */
export const DEFAULT_MAX_FILE_BYTES = 2 ** 31;

/** The file size limit: $WIDEN_MAX_FILE_BYTES when it is a positive integer, else DEFAULT_MAX_FILE_BYTES. */
export function maxFileBytes(): number {
  const v = Number(process.env.WIDEN_MAX_FILE_BYTES);
  return Number.isSafeInteger(v) && v > 0 ? v : DEFAULT_MAX_FILE_BYTES;
}

/** The bytes of `path`; DataError (naming the file and the OS reason, or the size limit) if it cannot be read. */
export function readBytes(path: string): Uint8Array {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw new DataError(`${path}: cannot read (${(err as Error).message})`, { where: path });
  }
  const limit = maxFileBytes();
  if (size > limit) {
    throw new DataError(
      `${path}: is ${size} bytes, above widen's data file limit of ${limit} bytes; raise it with WIDEN_MAX_FILE_BYTES=${size} if the machine has the memory`,
      { where: path, got: size, allowed: `at most ${limit} bytes (WIDEN_MAX_FILE_BYTES)` },
    );
  }
  try {
    return readFileSync(path);
  } catch (err) {
    throw new DataError(`${path}: cannot read (${(err as Error).message})`, { where: path });
  }
}

/** Whether `bytes` start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * `bytes` unchanged, or gunzipped when they start with the gzip magic: at most `limit` bytes of
 * output (default: the file size limit), so a gzip bomb is refused after `limit` bytes rather than
 * filling memory; a broken stream is a DataError.
 */
export function maybeGunzip(bytes: Uint8Array, source: string, limit = maxFileBytes(), why = "widen's data file limit"): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: Math.max(1, limit) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new DataError(`${source}: decompresses to more than ${limit} bytes (${why}); the file is corrupt or not what it claims`, {
        where: source,
        allowed: `at most ${limit} bytes decompressed`,
      });
    }
    throw new DataError(`${source}: cannot gunzip (${(err as Error).message}); the file is truncated or corrupt`, { where: source });
  }
}

/**
 * The first bytes of a gzip stream's output (at least `want` when the stream has them), read from
 * at most 64 KiB of input, so at most ~64 MiB of output even for a bomb.
 */
export function gunzipHead(bytes: Uint8Array, want: number): Uint8Array {
  for (let take = 4096; ; take *= 4) {
    const part = bytes.subarray(0, Math.min(take, bytes.length));
    let out: Uint8Array;
    try {
      out = gunzipSync(part, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      return new Uint8Array(0);
    }
    if (out.length >= want || part.length === bytes.length || take >= 65536) return out;
  }
}

/** Lines of UTF-8 `bytes` (without line ends), decoded 16 MiB at a time, so no string holds the whole file. */
export function* utf8Lines(bytes: Uint8Array): Generator<string> {
  const decoder = new TextDecoder('utf-8');
  const CHUNK = 16 * 2 ** 20;
  let rest = '';
  for (let at = 0; at < bytes.length; at += CHUNK) {
    const text = rest + decoder.decode(bytes.subarray(at, at + CHUNK), { stream: at + CHUNK < bytes.length });
    const lines = text.split(/\r?\n/);
    rest = lines.pop() ?? '';
    yield* lines;
  }
  yield rest;
}
