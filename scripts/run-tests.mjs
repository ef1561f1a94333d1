// Runs every test/**/*.test.ts with Node's test runner (Node 20 does not expand globs after --test).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const find = (dir) =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? find(p) : p.endsWith('.test.ts') ? [p] : [];
    });
const only = process.argv.slice(2);
const files = only.length > 0 ? only : find('test');
const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', './test/setup.mjs', '--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
