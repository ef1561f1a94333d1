#!/usr/bin/env node
// The `widen` command: runs the compiled CLI from dist/ (built by `npm install` via `prepare`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('widen: error: dist/ is missing; run `npm install` (or `npm run build`) in the widen folder first\n');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
