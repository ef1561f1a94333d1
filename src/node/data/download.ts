import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DataError } from '../../engine/index.js';

/** Options of downloadVerified: the expected checksum ('md5:<hex>' or 'sha256:<hex>') and bounds. */
export interface DownloadOptions {
  checksum: string;
  /** Whole-request time limit; default 10 minutes (Fashion-MNIST's largest file is 26 MB). */
  timeoutMs?: number;
  /** Refuse bodies larger than this; default 256 MiB. */
  maxBytes?: number;
}

/**
 * Downloads `url` to `dest`: streams into a temp file beside `dest` while hashing, checks the
 * checksum, then renames, so `dest` only ever holds a verified file. An HTTP error, a network
 * fault, an oversize body or a checksum mismatch deletes the temp file and throws a DataError.
 */
export async function downloadVerified(url: string, dest: string, options: DownloadOptions): Promise<void> {
  const m = /^(md5|sha256):([0-9a-f]+)$/i.exec(options.checksum);
  if (m === null)
    throw new DataError(`checksum for ${url} must be 'md5:<hex>' or 'sha256:<hex>', got ${JSON.stringify(options.checksum)}`, {
      where: url,
      got: options.checksum,
    });
  const [algorithm, expected] = [m[1].toLowerCase(), m[2].toLowerCase()];
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.${Date.now()}.part`;
  const hash = createHash(algorithm);
  const fail = (problem: string) => {
    rmSync(tmp, { force: true });
    return new DataError(`${url}: ${problem}; nothing was saved to ${dest}`, { where: url });
  };
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 600_000) });
  } catch (err) {
    throw fail(`download failed (${describe(err)})`);
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    throw fail(`download failed with HTTP ${response.status} ${response.statusText}`);
  }
  const file = await open(tmp, 'wx', 0o644);
  let bytes = 0;
  try {
    for await (const chunk of response.body) {
      bytes += chunk.length;
      if (bytes > maxBytes)
        throw new DataError(`body exceeds the ${maxBytes}-byte limit`, {
          where: url,
          got: bytes,
          allowed: `<= ${maxBytes} bytes (options.maxBytes)`,
        });
      hash.update(chunk);
      await file.write(chunk);
    }
    await file.sync();
  } catch (err) {
    await file.close();
    throw fail(`download failed after ${bytes} bytes (${describe(err)})`);
  }
  await file.close();
  const got = hash.digest('hex');
  if (got !== expected) throw fail(`${algorithm} checksum mismatch (expected ${expected}, got ${got}); deleted the temp file ${tmp}`);
  renameSync(tmp, dest);
}

function describe(err: unknown): string {
  const e = err as Error & { cause?: Error };
  return e.cause?.message ? `${e.message}: ${e.cause.message}` : String(e?.message ?? err);
}
