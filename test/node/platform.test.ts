import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  Arena,
  BARE_PLATFORM,
  BackendError,
  backendId,
  ConfigError,
  createEngine,
  createPlatform,
  createWasmBackend,
  defaultEngine,
  defaultPlatform,
  selectKernels,
  setDefaultPlatform,
  widenVersion,
} from '../../src/engine/index.js';
import { defaultWasmPath, enableRelaxedSimd, nodePlatform, useNodePlatform } from '../../src/node/index.js';

// Node's EnginePlatform (kernels read from disk, worker threads, cores, process.env) and the
// core's behaviour with and without a platform.

describe('the Node platform and the core without one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'widen-wasm-'));

  test('a missing or corrupt wasm file gives a BackendError that says how to build it', () => {
    const arena = new Arena({ initialPages: 4 });
    assert.throws(
      () => createWasmBackend(arena, { threads: 1, platform: nodePlatform({ wasmPath: join(dir, 'missing.wasm') }) }),
      (err: unknown) => err instanceof BackendError && /missing\.wasm/.test(err.message) && /npm run build:wasm/.test(err.message),
    );
    const corrupt = join(dir, 'corrupt.wasm');
    writeFileSync(corrupt, 'not wasm');
    assert.throws(
      () => createWasmBackend(arena, { threads: 2, platform: nodePlatform({ wasmPath: corrupt }) }),
      (err: unknown) => err instanceof BackendError && /corrupt\.wasm/.test(err.message) && /failed to compile/.test(err.message),
    );
  });

  test("createEngine falls back to ref with one warning when the wasm file is missing ('auto'), and throws for 'wasm'", () => {
    const saved = process.env.WIDEN_WASM;
    process.env.WIDEN_WASM = join(dir, 'missing.wasm');
    try {
      const warnings: string[] = [];
      const engine = createEngine({ backend: 'auto', threads: 1, onWarning: (w) => warnings.push(w) });
      assert.equal(engine.backend.name, 'ref');
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /missing\.wasm/);
      assert.throws(() => createEngine({ backend: 'wasm', threads: 1 }), BackendError);
    } finally {
      if (saved === undefined) delete process.env.WIDEN_WASM;
      else process.env.WIDEN_WASM = saved;
    }
    const engine = createEngine({ backend: 'auto', threads: 1 });
    assert.equal(engine.backend.name, 'wasm');
    engine.dispose();
  });

  test('without a platform the core has no kernels: auto means ref, wasm says what to pass, threads default to 1', () => {
    const warnings: string[] = [];
    const bare = createEngine({ platform: BARE_PLATFORM, onWarning: (w) => warnings.push(w) });
    assert.equal(bare.backend.name, 'ref');
    assert.throws(
      () => createEngine({ backend: 'wasm', platform: BARE_PLATFORM }),
      (err: unknown) => err instanceof BackendError && /useNodePlatform\(\)/.test(err.message) && /createPlatform/.test(err.message),
    );
    // a platform made from the bytes alone: no threads, so the default is 1 and 2 is refused
    const bytes = readFileSync(defaultWasmPath());
    const platform = createPlatform({ kernels: bytes, cores: 2, env: { WIDEN_BACKEND: 'wasm' } });
    const engine = createEngine({ platform });
    assert.equal(engine.backend.name, 'wasm');
    assert.equal(engine.backend.threads, 1);
    engine.dispose();
    assert.throws(
      () => createEngine({ platform, threads: 2 }),
      (err: unknown) => err instanceof BackendError && /threads: 1/.test(err.message),
    );
  });

  test('the platform environment supplies defaults: WIDEN_BACKEND and WIDEN_THREADS', () => {
    const base = nodePlatform();
    const ref = createEngine({ platform: { ...base, env: { WIDEN_BACKEND: 'ref' } } });
    assert.equal(ref.backend.name, 'ref');
    const one = createEngine({ platform: { ...base, env: { WIDEN_THREADS: '1' } } });
    assert.equal(one.backend.threads, 1);
    one.dispose();
    assert.throws(() => createEngine({ platform: { ...base, env: { WIDEN_THREADS: 'two' } } }), /WIDEN_THREADS must be 1 or 2/);
  });

  test('a kernel thread that fails to start falls back to the wasm kernels on one thread (same bits), not to ref', () => {
    const warnings: string[] = [];
    const platform = {
      ...nodePlatform(),
      startThread: () => {
        throw new BackendError('the wasm worker thread failed to start within 10000 ms');
      },
    };
    const engine = createEngine({ backend: 'auto', threads: 2, platform, onWarning: (m) => warnings.push(m) });
    assert.equal(engine.backend.name, 'wasm');
    assert.equal(engine.backend.threads, 1);
    assert.match(warnings.join('\n'), /failed to start within 10000 ms; running the wasm kernels on one thread \(same results\)/);
    engine.dispose();
    assert.throws(
      () => createEngine({ backend: 'wasm', threads: 2, platform }),
      /failed to start/,
      'an explicit wasm backend still refuses',
    );
  });

  test("the version written into checkpoints is package.json's", () => {
    assert.equal(widenVersion(), JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  test('the default engine follows the default platform: ref without one, wasm once useNodePlatform() is called', () => {
    const saved = defaultPlatform();
    try {
      // a bare platform whose one-time fallback warning goes nowhere
      setDefaultPlatform({ ...BARE_PLATFORM, warn: () => {} });
      const bare = defaultEngine();
      assert.equal(bare.backend.name, 'ref');
      assert.equal(defaultEngine(), bare, 'the default engine is made once per platform');
      useNodePlatform();
      const node = defaultEngine();
      assert.equal(node.backend.name, 'wasm');
      assert.notEqual(node, bare);
    } finally {
      setDefaultPlatform(saved);
    }
  });
});

describe('kernel builds: plain and relaxed SIMD', () => {
  const plain = readFileSync(defaultWasmPath());
  const relaxed = readFileSync(join(defaultWasmPath(), '..', 'widen-relaxed.wasm'));

  test("'auto' takes the relaxed build where the host validates it, else the plain one; WIDEN_KERNELS and kernels force one", () => {
    // the Node platform sets V8's relaxed-SIMD flag on Node 20, so relaxed validates on every supported Node
    assert.equal(enableRelaxedSimd(), true);
    const both = createPlatform({ kernels: plain, relaxedKernels: relaxed });
    assert.equal(selectKernels(both).flavour, 'relaxed');
    assert.equal(selectKernels(both, 'plain').flavour, 'plain');
    assert.equal(selectKernels({ ...both, env: { WIDEN_KERNELS: 'plain' } }).flavour, 'plain');
    assert.equal(selectKernels({ ...both, env: { WIDEN_KERNELS: 'plain' } }, 'relaxed').flavour, 'relaxed');
    const engine = createEngine({ backend: 'wasm', threads: 1, platform: both, kernels: 'plain' });
    assert.equal(backendId(engine.backend), 'wasm');
    engine.dispose();
    // no relaxed build, or one the host refuses (here: bytes that are not wasm): plain, and 'relaxed' is an error
    for (const p of [createPlatform({ kernels: plain }), createPlatform({ kernels: plain, relaxedKernels: new Uint8Array([1, 2, 3]) })]) {
      assert.equal(selectKernels(p).flavour, 'plain');
      assert.throws(
        () => selectKernels(p, 'relaxed'),
        (err: unknown) =>
          err instanceof BackendError &&
          /relaxed-SIMD kernels are not available/.test(err.message) &&
          /WIDEN_KERNELS=plain/.test(err.message),
      );
    }
  });

  test('an unknown flavour is a ConfigError naming where it came from', () => {
    const p = createPlatform({ kernels: plain, relaxedKernels: relaxed });
    assert.throws(
      () => selectKernels({ ...p, env: { WIDEN_KERNELS: 'fast' } }),
      (err: unknown) =>
        err instanceof ConfigError && /'fast'/.test(err.message) && /WIDEN_KERNELS/.test(err.message) && /plain, relaxed/.test(err.message),
    );
    assert.throws(() => createEngine({ backend: 'wasm', platform: p, kernels: 'fast' as 'plain' }), ConfigError);
    // with backend 'auto' too: a typo must not quietly fall back to the reference kernels
    assert.throws(() => createEngine({ backend: 'auto', platform: { ...p, env: { WIDEN_KERNELS: 'fma' } } }), ConfigError);
  });

  test('the Node platform finds widen-relaxed.wasm beside the plain kernels, and none beside a copy without it', () => {
    assert.equal(nodePlatform().relaxedKernels?.() instanceof WebAssembly.Module, true);
    const dir = mkdtempSync(join(tmpdir(), 'widen-plain-only-'));
    writeFileSync(join(dir, 'widen.wasm'), plain);
    const p = nodePlatform({ wasmPath: join(dir, 'widen.wasm') });
    assert.equal(p.relaxedKernels?.(), null);
    assert.equal(selectKernels(p).flavour, 'plain');
  });
});
