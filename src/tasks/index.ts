// The synthetic tasks: named re-exports only (STYLE.md).
export { type Blobs, type BlobsOptions, makeBlobs } from './blobs.js';
export {
  BOOLEAN_DEFAULTS,
  BOOLEAN_MODES,
  type BooleanMode,
  type BooleanTask,
  type BooleanTaskOptions,
  type Clause,
  makeBooleanTask,
  type ResolvedBooleanOptions,
  resolveBooleanOptions,
} from './boolean.js';
export type { ClauseVars } from './clause-vars.js';
