import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { selectKernels, WIDEN_VERSION } from '../../engine/index.js';
import { defaultWasmPath, nodePlatform, relaxedWasmPath } from '../platform.js';

/** The code a trial runs on: widen's version and the SHA-256 of the engine build (build/widen.wasm). */
export interface BuildId {
  version: string;
  /** Hex SHA-256 of the wasm kernels this process runs (the plain or the relaxed-SIMD build), or 'none' when they are not built (the reference kernels run). */
  engineHash: string;
}

/** This process's BuildId; the wasm file is the one the engine loads ($WIDEN_WASM or build/widen.wasm, or widen-relaxed.wasm beside it where that runs). */
export function buildId(): BuildId {
  const plain = process.env.WIDEN_WASM || defaultWasmPath();
  let engineHash = 'none';
  try {
    // the build engines here will run: two workers on different kernel builds give different bits
    const path = selectKernels(nodePlatform()).flavour === 'relaxed' ? relaxedWasmPath(plain) : plain;
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
