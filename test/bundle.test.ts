import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import { createEngine, MLP } from '../src/index.js';
import { defaultWasmPath, enableRelaxedSimd, relaxedWasmPath } from '../src/node/index.js';

// The core entry ("widen") as a page gets it: bundled by esbuild for the browser, where no Node
// built-in resolves, then run in a bare JS context (no require, process, Buffer or module
// loader) that is handed the kernel bytes, as a page would after fetch.

/** The core bundled for the browser as one IIFE script defining `widen`. */
async function bundleCore() {
  const result = await build({
    entryPoints: ['src/index.ts'],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'widen',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs) };
}

test('the core entry bundles for the browser with no Node built-in and no Node-only package', async () => {
  const { code, inputs } = await bundleCore();
  assert.ok(code.length > 0);
  const packages = [
    ...new Set(inputs.filter((p) => p.includes('node_modules/')).map((p) => p.split('node_modules/').pop()!.split('/')[0])),
  ];
  for (const p of packages)
    assert.ok(
      [
        'zod',
        'yaml',
        '@noble',
        '@observablehq',
        'd3-array',
        'd3-scale',
        'd3',
        'interval-tree-1d',
        'isoformat',
        'binary-search-bounds',
        // interop: zip for .npz, protobuf for .onnx (pure JS)
        'fflate',
        'protobufjs',
        '@protobufjs',
        'long',
      ].some((ok) => p === ok || p.startsWith('d3-')),
      `the core bundle pulls in ${p}`,
    );
  assert.ok(
    !inputs.some((p) => p.startsWith('src/node/') || p.startsWith('src/cli/')),
    'the core bundle includes the Node shell or the CLI',
  );
  assert.doesNotMatch(code, /require\(["']node:/);
});

test('esbuild refuses a Node built-in in a browser bundle (the check above can fail)', async () => {
  await assert.rejects(
    build({
      stdin: { contents: "import { readFileSync } from 'node:fs'; readFileSync('x');" },
      bundle: true,
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    }),
    /node:fs/,
  );
});

test('the bundled core instantiates the wasm engine in a plain JS context and computes what Node computes, with either kernel build', async () => {
  const { code } = await bundleCore();
  const bytes = readFileSync(defaultWasmPath());
  const relaxedBytes = readFileSync(relaxedWasmPath(defaultWasmPath()));
  // Node 20 validates relaxed SIMD only behind a V8 flag (process-wide, so the context sees it too)
  assert.equal(enableRelaxedSimd(), true);
  // only what any JS host has, plus the APIs a page offers that the core uses
  const context = createContext({ TextEncoder, TextDecoder, performance, console });
  runInContext(code, context);
  context.kernels = new Uint8Array(bytes);
  const sizes = [5, 7, 3];
  const input = Array.from({ length: 4 * 5 }, (_, i) => Math.sin(i));
  context.input = input;
  for (const flavour of ['plain', 'relaxed'] as const) {
    context.relaxedKernels = flavour === 'relaxed' ? new Uint8Array(relaxedBytes) : undefined;
    const inPage = runInContext(
      `(() => {
        const platform = widen.createPlatform(relaxedKernels ? { kernels, relaxedKernels } : { kernels });
        const engine = widen.createEngine({ platform, backend: 'wasm' });
        const model = widen.MLP.create({ sizes: [5, 7, 3], activation: 'gelu', seed: 3 }, engine);
        const out = Array.from(model.predict(new Float32Array(input), 4));
        return { backend: engine.backend.name, flavour: engine.backend.flavour, threads: engine.backend.threads, out };
      })()`,
      context,
    ) as { backend: string; flavour: string; threads: number; out: number[] };
    assert.equal(inPage.backend, 'wasm');
    assert.equal(inPage.flavour, flavour, 'the page takes the relaxed build when it is given one that validates');
    assert.equal(inPage.threads, 1);
    const engine = createEngine({ backend: 'wasm', threads: 1, kernels: flavour });
    const model = MLP.create({ sizes, activation: 'gelu', seed: 3 }, engine);
    const here = Array.from(model.predict(new Float32Array(input), 4));
    assert.deepEqual(Array.from(inPage.out), here, `${flavour} kernels`);
    assert.ok(here.some((v) => v !== 0));
    model.dispose();
    engine.dispose();
  }
});
