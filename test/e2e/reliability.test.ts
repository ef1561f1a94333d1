import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { decodeSafetensors, encodeSafetensors, type SafetensorsInput } from '../../src/nn/index.js';
import { type CliResult, widen, widenWithEnv } from './helpers.js';

// Issue 14: each defect found by trying widen as a hostile user, fed its exact input through the CLI.
// Every refusal is a named widen error (exit 1, `widen: error: ...`), never a raw stack.

const dir = mkdtempSync(join(tmpdir(), 'widen-rel-'));
const file = (name: string, text: string | Uint8Array): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

function refused(r: CliResult, pattern: RegExp): void {
  assert.equal(r.code, 1, `expected exit 1, got ${r.code}: ${r.stderr}`);
  assert.match(r.stderr, /^widen: error: /, r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.match(r.stderr, pattern);
}

/** A blobs checkpoint trained at density 0.1 (the one defect 12 was found with). */
const ckpt = join(dir, 'm.safetensors');
const trained = widen(
  'train',
  '--hidden',
  '16',
  '--density',
  '0.1',
  '--epochs',
  '1',
  '--train-size',
  '256',
  '--test-size',
  '128',
  '--out',
  ckpt,
);

/** `ckpt` re-encoded with its metadata edited. */
function editedCheckpoint(name: string, edit: (m: Record<string, string>) => void): string {
  const { tensors, metadata } = decodeSafetensors(readFileSync(ckpt), ckpt);
  const out: Record<string, SafetensorsInput> = {};
  for (const [k, e] of tensors) out[k] = { dtype: e.dtype, shape: e.shape, data: e.data.slice() };
  const m = { ...metadata };
  edit(m);
  return file(name, encodeSafetensors(out, m));
}

test('defects 1 and 11: an optimizer that is the JSON string "null", a step above 2^53', () => {
  assert.equal(trained.code, 0, trained.stderr);
  refused(
    widen(
      'inspect',
      editedCheckpoint('null-opt.safetensors', (m) => (m.optimizer = 'null')),
    ),
    /__metadata__\.optimizer is "null", expected a JSON object/,
  );
  refused(
    widen(
      'inspect',
      editedCheckpoint('big-step.safetensors', (m) => (m.step = '9007199254740993')),
    ),
    /__metadata__\.step is "9007199254740993", expected an integer in \[0, 2\^53\)/,
  );
});

test('defect 2: configs nested 10,000 deep, and a toString key, are refused quickly with named errors', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const t0 = performance.now();
  refused(
    widen('train', '-c', file('deep.json', `{"model":{"hidden":${deep(10_000)}}}`)),
    /training config\.model\.hidden(\[0\])+ nests deeper than 32 levels/,
  );
  refused(
    widen('run', file('deep-kind.json', `{"name":"x","task":{"kind":${deep(10_000)}}}`), '--out', join(dir, 'deep-run')),
    /experiment config\.task\.kind(\[0\])+ nests deeper than 32 levels/,
  );
  refused(widen('train', '-c', file('tostring.json', '{"model":{"hidden":{"toString":1}}}')), /model\.hidden: .*expected array/);
  refused(widen('train', '-c', file('deep.yaml', `model:\n  hidden: ${deep(20_000)}\n`)), /is not valid YAML|nests deeper than 32 levels/);
  assert.ok(performance.now() - t0 < 60_000, 'four refusals, each in seconds');
});

test('defect 3: npy shapes (0, 1e309) and (0, 1e20) are refused, not read as [0, Infinity]', () => {
  const npy = (shape: string) => {
    const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;
    const header = `${dict.padEnd(Math.ceil((dict.length + 11) / 64) * 64 - 11, ' ')}\n`;
    return new Uint8Array([
      0x93,
      ...Buffer.from('NUMPY'),
      1,
      0,
      header.length & 255,
      header.length >> 8,
      ...Buffer.from(header),
      1,
      2,
      3,
      4,
    ]);
  };
  const y = file('y.npy', npy('(1,)'));
  for (const [name, shape] of [
    ['inf.npy', `(0, 1${'0'.repeat(309)})`],
    ['e20.npy', `(0, 100000000000000000000)`],
  ]) {
    const cfg = file(
      `${name}.json`,
      JSON.stringify({ task: { kind: 'dataset', data: { kind: 'npy', x: file(name, npy(shape)), y, test: 0.5 } } }),
    );
    refused(widen('train', '-c', cfg), /header shape \(0, 1\d+\) is too large: its element count passes 2\^53/);
  }
});

test('defect 4: run --out naming an existing file', () => {
  const cfg = file('tiny.yaml', 'name: tiny\ntask: {n: 8, m: 4, trainSize: 64, testSize: 64}\nmodel: {h: 4}\nseeds: 1\n');
  refused(widen('run', cfg, '--out', cfg), /--out .*tiny\.yaml is an existing file, not a run folder/);
});

test('defect 5: a 10^6-point grid and seeds: 1000000000 are refused before any grid point is built', () => {
  const values = Array.from({ length: 1000 }, (_, i) => i + 2);
  const grid = file('grid.json', JSON.stringify({ name: 'big', grid: { 'model.h': values, 'fpe.alpha': values } }));
  refused(
    widen('run', grid, '--out', join(dir, 'big')),
    /1000000 points × 4 methods × 10 seeds = 40000000 trials, above the limit of 100000/,
  );
  refused(
    widen('run', file('seeds.yaml', 'name: seeds\nseeds: 1000000000\n'), '--out', join(dir, 'seeds')),
    /seeds is 1000000000, above the limit of 100000 trials per config/,
  );
  assert.equal(existsSync(join(dir, 'big')), false, 'nothing written');
});

test('defect 6: --hidden 1000000000, --features 1000000000 and --hidden 60000,60000 --density 1 are refused at once', () => {
  const t0 = performance.now();
  refused(widen('train', '--hidden', '1000000000'), /layer 0 is 1000000000 × 32 = 32000000000 weights, above widen's limit of 268435456/);
  refused(widen('train', '--features', '1000000000'), /blobs task of 4096 \+ 1024 samples × 1000000000 features .* above widen's limit/);
  refused(widen('train', '--hidden', '60000,60000', '--density', '1'), /layer 1 is 60000 × 60000 = 3600000000 weights/);
  refused(
    widen('train', '--hidden', '16000,16000,16000', '--density', '1'),
    /need at least 9\.5 GiB of engine memory .* above the engine's 4\.0 GiB/,
  );
  assert.ok(performance.now() - t0 < 60_000, 'no allocation before the refusal');
});

test('defect 7: sparse-expand --k 0 and --k=-2 are refused, not reported as written', () => {
  refused(widen('sparse-expand', ckpt, '--k', '0', '--sparsity', '0.5'), /--k 0; experts per layer must be an integer >= 1/);
  refused(widen('sparse-expand', ckpt, '--k=-2', '--sparsity', '0.5'), /--k -2; experts per layer must be an integer >= 1/);
});

test('defect 8: a CSV over 512 MiB (longer than a JS string) trains, read in chunks', () => {
  const csv = join(dir, 'big.csv');
  const cell = `0.${'1'.repeat(998)}`; // 1000 characters: few cells, many bytes
  const features = 20;
  const fd = openSync(csv, 'w');
  writeSync(fd, `label,${Array.from({ length: features }, (_, i) => `f${i}`).join(',')}\n`);
  const rows = [0, 1].map((label) => Buffer.from(`${label},${Array(features).fill(cell).join(',')}\n`.repeat(100)));
  let size = 0;
  for (let i = 0; size <= 2 ** 29 + 2 ** 20; i++) size += writeSync(fd, rows[i % 2]);
  closeSync(fd);
  assert.ok(statSync(csv).size > 2 ** 29, 'over 512 MiB');
  const cfg = file(
    'big.json',
    JSON.stringify({
      task: { kind: 'dataset', data: { kind: 'csv', path: csv, label: 'label', test: 0.5 } },
      model: { hidden: [4] },
      epochs: 1,
    }),
  );
  const r = widen('train', '-c', cfg, '--out', join(dir, 'big.safetensors'), '--json');
  rmSync(csv);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json().nnz, Math.round(0.25 * features * 4) + Math.round(0.25 * 4 * 2));
});

test('item 3: a data file above WIDEN_MAX_FILE_BYTES is refused by size, naming the variable', () => {
  const csv = file('small.csv', 'label,a\n0,1\n1,2\n');
  const cfg = file(
    'small.json',
    JSON.stringify({ task: { kind: 'dataset', data: { kind: 'csv', path: csv, label: 'label', test: 0.5 } } }),
  );
  refused(
    widenWithEnv({ WIDEN_MAX_FILE_BYTES: '8' }, 'train', '-c', cfg),
    /small\.csv: is 16 bytes, above widen's data file limit of 8 bytes; raise it with WIDEN_MAX_FILE_BYTES=16/,
  );
});

test('risk: a gzip bomb IDX (1 GiB of zeros behind a [10, 28, 28] header) is refused at the declared size', async () => {
  const header = Buffer.from([0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28]);
  const zlib = await import('node:zlib');
  // compressed chunk by chunk: a 1 GiB input buffer would itself be the memory the test guards against
  const gz = zlib.createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gz.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise((ok) => gz.on('end', ok));
  gz.write(header);
  const zeros = Buffer.alloc(2 ** 24);
  for (let i = 0; i < 64; i++) gz.write(zeros);
  gz.end();
  await done;
  const bomb = file('bomb-idx3-ubyte.gz', Buffer.concat(parts));
  const probe = file(
    'bomb.ts',
    `import { readIdx } from '${join(process.cwd(), 'src/node/index.js')}';
try { readIdx('${bomb}'); } catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message, rss: process.memoryUsage().rss })); }`,
  );
  const r = spawnSync(process.execPath, ['--import', 'tsx', probe], { encoding: 'utf8' });
  const out = JSON.parse(r.stdout.trim()) as { name: string; message: string; rss: number };
  assert.equal(out.name, 'DataError');
  assert.match(out.message, /decompresses to more than 7857 bytes \(the size its IDX header declares\)/);
  assert.ok(out.rss < 600 * 2 ** 20, `memory stays bounded: ${out.rss} bytes`);
});

test('defect 9: a store with a non-JSON metrics cell, and a trials.sqlite that is not SQLite', () => {
  const run = join(dir, 'store-run');
  const cfg = file(
    'store.yaml',
    'name: store\ntask: {n: 8, m: 4, trainSize: 64, testSize: 64}\nmodel: {h: 4}\nseeds: 1\nmethods: [dense]\ntraining: {warmupEpochs: 2, afterSplitEpochs: 2}\n',
  );
  assert.equal(widen('run', cfg, '--out', run).code, 0);
  const db = new Database(join(run, 'trials.sqlite'));
  db.prepare("UPDATE trials SET metrics = '{oops'").run();
  db.close();
  refused(widen('report', run), /trial [0-9a-f]{16} has a metrics cell that is not JSON/);
  const junk = join(dir, 'junk');
  assert.equal(widen('run', cfg, '--out', junk).code, 0);
  writeFileSync(join(junk, 'trials.sqlite'), 'this is not a database');
  refused(widen('report', junk), /trials\.sqlite is not a readable widen trial store \(SQLite: file is not a database\)/);
  refused(widen('run', cfg, '--out', junk), /trials\.sqlite is not a readable widen trial store/);
});

test('risk: widen report opens a store read-only (no WAL switch, no new tables)', () => {
  const run = join(dir, 'ro-run');
  const cfg = file(
    'ro.yaml',
    'name: ro\ntask: {n: 8, m: 4, trainSize: 64, testSize: 64}\nmodel: {h: 4}\nseeds: 1\nmethods: [dense]\ntraining: {warmupEpochs: 2, afterSplitEpochs: 2}\n',
  );
  assert.equal(widen('run', cfg, '--out', run).code, 0);
  const store = join(run, 'trials.sqlite');
  const db = new Database(store);
  db.pragma('journal_mode = DELETE');
  db.close();
  const before = readFileSync(store);
  const r = widen('report', run, '--format', 'json', '--out', join(dir, 'ro.json'));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readFileSync(store), before, 'the store is byte-identical after report');
  assert.equal(existsSync(`${store}-wal`), false, 'no WAL file');
});

test('risk: resuming a run folder with another --backend is refused', () => {
  const run = join(dir, 'backend-run');
  const cfg = file(
    'be.yaml',
    'name: be\ntask: {n: 8, m: 4, trainSize: 64, testSize: 64}\nmodel: {h: 4}\nseeds: 1\nmethods: [dense]\ntraining: {warmupEpochs: 2, afterSplitEpochs: 2}\n',
  );
  assert.equal(widen('run', cfg, '--out', run, '--backend', 'ref').code, 0);
  refused(
    widen('run', cfg, '--out', run, '--backend', 'wasm'),
    /holds trials computed with the ref backend, not wasm(-relaxed)?; .* --backend ref/,
  );
  assert.equal(widen('run', cfg, '--out', run, '--backend', 'ref').code, 0, 'the same backend resumes');
});

test('risk: resuming a run folder with the other wasm kernel build (plain vs relaxed SIMD) is refused', () => {
  const run = join(dir, 'kernels-run');
  const cfg = file(
    'kb.yaml',
    'name: kb\ntask: {n: 8, m: 4, trainSize: 64, testSize: 64}\nmodel: {h: 4}\nseeds: 1\nmethods: [dense]\ntraining: {warmupEpochs: 2, afterSplitEpochs: 2}\n',
  );
  assert.equal(widenWithEnv({ WIDEN_KERNELS: 'relaxed' }, 'run', cfg, '--out', run, '--backend', 'wasm').code, 0);
  refused(
    widenWithEnv({ WIDEN_KERNELS: 'plain' }, 'run', cfg, '--out', run, '--backend', 'wasm'),
    /holds trials computed with the wasm-relaxed backend, not wasm; .*WIDEN_KERNELS=relaxed/,
  );
  // auto picks relaxed again on this Node (relaxed SIMD validates), so the default resumes
  assert.equal(widenWithEnv({ WIDEN_KERNELS: undefined }, 'run', cfg, '--out', run, '--backend', 'wasm').code, 0, 'the same build resumes');
});

test('defect 10: negative values after a space get the value check, not "Unknown option"', () => {
  refused(widen('train', '--epochs', '-1'), /training config\.epochs: Too small.*got -1/);
  refused(widen('train', '--seed', '-1'), /training config\.seed: Too small.*got -1/);
  refused(widen('train', '--hidden', '-5,3'), /training config\.model\.hidden\[0\]: Too small.*got -5/);
  refused(widen('prune', ckpt, '--sparsity', '-0.1'), /sparsity must be a number in \[0, 1\).*got -0\.1/);
});

test('defect 12: neurons on a model already at the asked sparsity refuses instead of reporting a 0.0% drop', () => {
  refused(
    widen('neurons', ckpt, '--calibration', '64', '--draws', '1'),
    /already 90\.0% sparse, at or above the asked sparsity 0\.9; sparsifying the selected units would change nothing/,
  );
});

test('risk: a checkpoint naming files or a download does not direct I/O without the user flag', () => {
  const stored = (data: object) =>
    editedCheckpoint(`io-${Object.keys(data).join('')}.safetensors`, (m) => {
      const run = JSON.parse(m.config);
      run.config.task = { kind: 'dataset', data };
      m.config = JSON.stringify(run);
    });
  refused(
    widen('eval', stored({ kind: 'csv', path: '/etc/passwd', label: 0, test: 0.5 })),
    /asks to read csv data from '\/etc\/passwd'; widen reads files named inside a checkpoint only when you pass --allow-files/,
  );
  const r = widen('eval', stored({ kind: 'fashion-mnist', download: true, baseUrl: 'http://127.0.0.1:9/evil/' }));
  assert.match(r.stderr, /asks to download fashion-mnist from http:\/\/127\.0\.0\.1:9\/evil\/; not downloading without --allow-download/);
  assert.doesNotMatch(r.stderr, /127\.0\.0\.1:9\/evil\/[a-z0-9-]+\.gz/, 'no request was made to the checkpoint URL');
});
