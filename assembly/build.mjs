// Compiles the AssemblyScript kernels in assembly/ to build/widen.wasm and build/widen-relaxed.wasm
// (run by `npm run build:wasm`).
// The module imports one shared memory and must hold no data segments and no globals, so that the
// main thread and the worker can each instantiate it on the same memory without clobbering it.
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * The two builds of the same sources: plain SIMD, and relaxed SIMD where Fma.madd (assembly/lanes.ts)
 * becomes f32x4.relaxed_madd. The engine picks the relaxed one where the host validates it.
 */
const FLAVOURS = [
  { file: 'widen.wasm', features: 'simd,threads' },
  { file: 'widen-relaxed.wasm', features: 'simd,threads,relaxed-simd' },
];

for (const { file, features } of FLAVOURS) {
  const out = join(root, 'build', file);
  mkdirSync(dirname(out), { recursive: true });
  const { error, stderr } = await asc.main([
    join(root, 'assembly', 'index.ts'),
    '--outFile',
    out,
    '-O3',
    '--runtime',
    'stub',
    '--importMemory',
    '--sharedMemory',
    '--initialMemory',
    '1',
    '--maximumMemory',
    '65536',
    '--enable',
    features,
    '--noAssert',
    '--noExportMemory',
  ]);
  if (error) {
    process.stderr.write(stderr.toString());
    console.error(`build:wasm failed (${file}): ${error.message}`);
    process.exit(1);
  }
  const bytes = await readFile(out);
  checkSections(bytes, out);
  console.log(`build:wasm: wrote ${out} (${bytes.length} bytes)`);
}

/** Exits 1 when the module has a global, a start function or a data section. */
function checkSections(bytes, out) {
  // Section ids of the wasm binary format: 6 = global, 8 = start, 11 = data.
  const FORBIDDEN = { 6: 'a global section', 8: 'a start function', 11: 'a data section' };
  for (let at = 8; at < bytes.length; ) {
    const id = bytes[at++];
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++];
      size |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    if (id in FORBIDDEN) {
      console.error(`build:wasm: ${out} has ${FORBIDDEN[id]}; kernels must use no static data and no globals`);
      process.exit(1);
    }
    at += size;
  }
}
