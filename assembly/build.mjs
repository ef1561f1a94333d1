// Compiles the AssemblyScript kernels in assembly/ to build/widen.wasm (run by `npm run build:wasm`).
// The module imports one shared memory and must hold no data segments and no globals, so that the
// main thread and the worker can each instantiate it on the same memory without clobbering it.
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(root, 'build', 'widen.wasm');
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
  'simd,threads',
  '--noAssert',
  '--noExportMemory',
]);
if (error) {
  process.stderr.write(stderr.toString());
  console.error(`build:wasm failed: ${error.message}`);
  process.exit(1);
}

// Section ids of the wasm binary format: 6 = global, 8 = start, 11 = data.
const FORBIDDEN = { 6: 'a global section', 8: 'a start function', 11: 'a data section' };
const bytes = await readFile(out);
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
console.log(`build:wasm: wrote ${out} (${bytes.length} bytes)`);
