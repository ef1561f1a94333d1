import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

// STYLE.md: imports flow one way, engine <- nn/tasks/data <- expand/prune/measure <- experiments
// <- node (the shell) <- cli/web; cli uses the two public entries only, web the core's; no cycles.
const LAYER: Record<string, number> = {
  engine: 0,
  nn: 1,
  tasks: 1,
  // data reads safetensors and validates specs with nn's helpers, so it sits just above nn
  data: 1.5,
  expand: 2,
  prune: 2,
  measure: 2,
  experiments: 3,
  'index.ts': 4,
  // the Node shell: may import any core layer; the core never imports it
  node: 4.5,
  cli: 5,
  web: 5,
};

const SRC = resolve('src');
/** The two public entries: the core and the Node shell; cli imports nothing else. */
const ENTRIES = ['index.ts', 'node/index.ts'];

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

const top = (file: string): string => relative(SRC, file).split('/')[0];
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
      if (from === 'cli' && !ENTRIES.includes(relative(SRC, target)))
        bad.push(`${relative(SRC, f)} -> ${relative(SRC, target)} (use src/index.ts or src/node/index.ts)`);
      else if (from === 'web' && to !== 'index.ts') bad.push(`${relative(SRC, f)} -> ${relative(SRC, target)} (use src/index.ts)`);
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
