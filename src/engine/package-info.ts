import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

/** The widen package's root folder (holding package.json), found from this file under src/ or dist/src/. */
export function packageRoot(): string {
  if (root !== null) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && JSON.parse(readFileSync(candidate, 'utf8')).name === 'widen') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find widen's package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** widen's version from its package.json. */
export function widenVersion(): string {
  return String(JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version);
}
