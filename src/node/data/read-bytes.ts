import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataError } from '../../engine/index.js';

/** The bytes of `path`; DataError (naming the file and the OS reason) if it cannot be read. */
export function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new DataError(`${path}: cannot read (${(err as Error).message})`, { where: path });
  }
}

/** `bytes` unchanged, or gunzipped when they start with the gzip magic 1f 8b; a broken stream is a DataError. */
export function maybeGunzip(bytes: Uint8Array, source: string): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (err) {
    throw new DataError(`${source}: cannot gunzip (${(err as Error).message}); the file is truncated or corrupt`, { where: source });
  }
}
