import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { WIDEN_VERSION } from '../../engine/index.js';
import { defaultWasmPath } from '../platform.js';

/** The code a trial runs on: widen's version and the SHA-256 of the engine build (build/widen.wasm). */
export interface BuildId {
  version: string;
  /** Hex SHA-256 of the wasm kernels, or 'none' when they are not built (the reference kernels run). */
  engineHash: string;
}

/** This process's BuildId; the wasm file is the one the engine loads ($WIDEN_WASM or build/widen.wasm). */
export function buildId(): BuildId {
  const path = process.env.WIDEN_WASM || defaultWasmPath();
  let engineHash = 'none';
  try {
    engineHash = createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    // no build: the engine falls back to the reference kernels, and the hash says so
  }
  return { version: WIDEN_VERSION, engineHash };
}

/** A BuildId as messages print it: `widen 0.1.0, engine 3f2a9c1b0d4e`. */
export function describeBuild(build: BuildId): string {
  return `widen ${build.version}, engine ${build.engineHash.slice(0, 12)}`;
}
