import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../engine/index.js';

let root: string | null = null;

/** The widen package's root folder (holding package.json), found from this file under src/ or dist/src/. */
export function packageRoot(): string {
  if (root !== null) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && JSON.parse(readFileSync(candidate, 'utf8')).name === 'widen') return (root = dir);
    const up = dirname(dir);
    if (up === dir) {
      throw new ConfigError(`cannot find widen's package.json above ${fileURLToPath(import.meta.url)}; reinstall widen`, {
        where: 'packageRoot',
      });
    }
    dir = up;
  }
}
