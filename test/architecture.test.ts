import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

// STYLE.md: imports flow one way, math/engine <- nn <- data/tasks <- expand/prune/measure <-
// experiments <- index.ts (the core entry) <- node (the Node shell) <- cli/web; cli uses the two
// public entries only; no cycles. The core (everything below node/) runs anywhere: no node:*
// module, no process, no Node-only package.
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
  // PyTorch/ONNX/NumPy interop and the one-layer analyses: build on nn, data, prune and measure
  interop: 2.5,
  experiments: 3,
  'index.ts': 4,
  'internals.ts': 4,
  // the Node shell: may import any core layer; the core never imports it
  node: 4.5,
  cli: 5,
  web: 5,
};
/** The layers that make up the platform-free core (package entry "."). */
const CORE = Object.keys(LAYER).filter((k) => LAYER[k] <= 4);
/** Packages the core may import: pure JavaScript that runs in a page as well as in Node. */
const CORE_PACKAGES = ['zod', 'yaml', '@noble/hashes', '@observablehq/plot', 'protobufjs', 'fflate'];
/** The two public entries: the core and the Node shell; cli imports nothing else. */
const ENTRIES = ['index.ts', 'node/index.ts'];

const SRC = resolve('src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Source text without comments. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Every module specifier the text imports or re-exports (static and dynamic). */
function specifiersOf(source: string): string[] {
  const text = stripComments(source);
  const out: string[] = [];
  for (const m of text.matchAll(
    /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm,
  )) {
    out.push(m[1] ?? m[2] ?? m[3]);
  }
  return out;
}

const specifiers = (file: string): string[] => specifiersOf(readFileSync(file, 'utf8'));

/** Why a core file's text is not platform-free: Node-only imports and Node globals, one line each. */
function coreProblems(source: string, name: string): string[] {
  const bad: string[] = [];
  for (const s of specifiersOf(source)) {
    if (s.startsWith('.')) continue;
    const pkg = s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0];
    if (!CORE_PACKAGES.includes(pkg)) bad.push(`${name} imports '${s}'`);
  }
  // string contents blanked, so a message that says "process" is no use of it
  const text = stripComments(source).replace(/(['"`])(?:\\.|(?!\1).)*\1/g, '""');
  for (const global of ['process', 'Buffer', 'require', '__dirname', '__filename']) {
    if (new RegExp(`(^|[^.\\w$])${global}\\b(?!\\s*:)`).test(text)) bad.push(`${name} uses ${global}`);
  }
  return bad;
}

/** The project files the file imports, resolved to .ts paths. */
function imports(file: string): string[] {
  return specifiers(file)
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts'));
}

const top = (file: string): string => {
  const path = relative(SRC, file);
  return path in LAYER ? path : path.split('/')[0];
};

const files = sources(SRC);
const isCore = (f: string): boolean => CORE.includes(top(f));

test('every src module sits in a known layer', () => {
  for (const f of files) assert.ok(top(f) in LAYER, `${relative(SRC, f)} is outside the known layers ${Object.keys(LAYER).join(', ')}`);
});

test('imports only point down the stack, and cli/web use the two public entries only', () => {
  const bad: string[] = [];
  for (const f of files) {
    const from = top(f);
    for (const target of imports(f)) {
      const to = top(target);
      if (from === to) continue;
      const rel = relative(SRC, target);
      if (from === 'cli' && !ENTRIES.includes(rel)) bad.push(`${relative(SRC, f)} -> ${rel} (use src/index.ts or src/node/index.ts)`);
      else if (from === 'web' && to !== 'index.ts') bad.push(`${relative(SRC, f)} -> ${rel} (use src/index.ts)`);
      else if (LAYER[to] >= LAYER[from]) bad.push(`${relative(SRC, f)} -> ${rel}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('the core imports no node:* module, no Node-only package, no process and no Buffer', () => {
  const bad = files.filter(isCore).flatMap((f) => coreProblems(readFileSync(f, 'utf8'), relative(SRC, f)));
  assert.deepEqual(bad, []);
});

test('the platform check finds planted violations and passes clean code', () => {
  const planted = [
    "import { readFileSync } from 'node:fs';",
    "import Database from 'better-sqlite3';",
    "export { Piscina } from 'piscina';",
    'const env = process.env.WIDEN_X;',
    "const b = Buffer.from('x');",
    "const m = await import('node:os');",
  ].join('\n');
  assert.deepEqual(coreProblems(planted, 'f.ts'), [
    "f.ts imports 'node:fs'",
    "f.ts imports 'better-sqlite3'",
    "f.ts imports 'piscina'",
    "f.ts imports 'node:os'",
    'f.ts uses process',
    'f.ts uses Buffer',
  ]);
  const clean = [
    "import { z } from 'zod';",
    "import { sha256 } from '@noble/hashes/sha2.js';",
    '// process.env is read by the Node shell, not here',
    "const message = 'the process stopped';",
    'const o = { process: 1 };',
    'o.process;',
  ].join('\n');
  assert.deepEqual(coreProblems(clean, 'g.ts'), []);
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

test('web/ (the browser app, outside src/) imports the core entry and its own files only', () => {
  const WEB = resolve('web');
  const bad: string[] = [];
  for (const f of sources(join(WEB, 'src'))) {
    for (const s of specifiers(f)) {
      if (s === 'widen' || s === 'lit' || s.startsWith('lit/')) continue;
      if (s.startsWith('.')) {
        const target = resolve(dirname(f), s.replace(/\?url$/, ''));
        // its own files, and the kernel bytes the worker fetches
        if (target.startsWith(`${WEB}/`) || [resolve('build/widen.wasm'), resolve('build/widen-relaxed.wasm')].includes(target)) continue;
      }
      bad.push(`${relative(WEB, f)} imports '${s}' (use 'widen', the core entry)`);
    }
  }
  assert.deepEqual(bad, []);
  assert.equal(JSON.parse(readFileSync('web/tsconfig.json', 'utf8')).compilerOptions.paths.widen[0], '../src/index.ts');
});
