import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

// STYLE.md: imports flow one way, math <- engine <- nn <- data/tasks <- expand/prune/measure <-
// experiments <- cli/web; cli and web use the public API only; no cycles.
// math sits inside the engine layer's stack: it needs engine's errors and Rng (leaf files that
// import nothing), and engine's reference GELU needs math's erfc, so those two files are their own
// bottom layer, math is above them and the rest of engine above math.
const LAYER: Record<string, number> = {
  'engine/errors.ts': 0,
  'engine/rng.ts': 0,
  math: 0.25,
  engine: 0.5,
  nn: 1,
  // data reads safetensors and validates specs with nn's helpers, so it sits just above nn; tasks
  // return nn's Dataset, the one labelled-data type, so they sit there too
  data: 1.5,
  tasks: 1.5,
  expand: 2,
  prune: 2,
  measure: 2,
  experiments: 3,
  'index.ts': 4,
  cli: 5,
  web: 5,
};

const SRC = resolve('src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    const spec = m[1] ?? m[2];
    out.push(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
  }
  return out;
}

const top = (file: string): string => {
  const path = relative(SRC, file);
  return path in LAYER ? path : path.split('/')[0];
};
const files = sources(SRC);

test('every src module sits in a known layer', () => {
  for (const f of files) assert.ok(top(f) in LAYER, `${relative(SRC, f)} is outside the known layers ${Object.keys(LAYER).join(', ')}`);
});

test('imports only point down the stack, and cli/web use the public API only', () => {
  const bad: string[] = [];
  for (const f of files) {
    const from = top(f);
    for (const target of imports(f)) {
      const to = top(target);
      if (from === to) continue;
      if ((from === 'cli' || from === 'web') && to !== 'index.ts')
        bad.push(`${relative(SRC, f)} -> ${relative(SRC, target)} (use src/index.ts)`);
      else if (LAYER[to] >= LAYER[from]) bad.push(`${relative(SRC, f)} -> ${relative(SRC, target)}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('the module graph has no cycles', () => {
  const graph = new Map(files.map((f) => [f, imports(f).filter((t) => files.includes(t))]));
  const state = new Map<string, 1 | 2>();
  const cycles: string[] = [];
  const visit = (f: string, path: string[]): void => {
    if (state.get(f) === 2) return;
    if (state.get(f) === 1) {
      cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative(SRC, p)).join(' -> '));
      return;
    }
    state.set(f, 1);
    for (const t of graph.get(f) ?? []) visit(t, [...path, f]);
    state.set(f, 2);
  };
  for (const f of files) visit(f, []);
  assert.deepEqual(cycles, []);
});
