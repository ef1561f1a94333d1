/** widen's version, written into checkpoints (a test keeps it equal to package.json's). */
export const WIDEN_VERSION = '0.1.0';

/** widen's version. */
export function widenVersion(): string {
  return WIDEN_VERSION;
}
