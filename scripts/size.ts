// Line counts per source file, largest first (STYLE.md: aim under 300, say why over 500).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = ['src', 'assembly'];
const LIMIT = 500;
const files: Array<[string, number]> = [];
const walk = (dir: string): void => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.ts')) files.push([p, readFileSync(p, 'utf8').split('\n').length]);
  }
};
for (const r of roots) walk(r);
files.sort((a, b) => b[1] - a[1]);
let total = 0;
for (const [p, n] of files) {
  total += n;
  const head = readFileSync(p, 'utf8').slice(0, 400);
  const flag = n > LIMIT && !/over 500 lines/i.test(head) ? '  <- over 500 lines with no reason at the top' : '';
  console.log(`${String(n).padStart(6)}  ${p}${flag}`);
}
console.log(`${String(total).padStart(6)}  total in ${files.length} files`);
