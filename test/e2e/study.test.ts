import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { widen } from './helpers.js';

// prune, report and reproduce from the command line, as a user runs them.

const dir = mkdtempSync(join(tmpdir(), 'widen-study-'));

test('prune removes exactly the requested weights and writes a loadable checkpoint', () => {
  const ckpt = join(dir, 'dense.safetensors');
  const t = widen('train', '--hidden', '32', '--density', '1', '--epochs', '3', '--train-size', '1024', '--out', ckpt, '--json');
  assert.equal(t.code, 0, t.stderr);
  const p = widen('prune', ckpt, '--method', 'sparsegpt', '--sparsity', '0.75', '--json');
  assert.equal(p.code, 0, p.stderr);
  const out = p.json();
  // layers 32x32 and 4x32: round(0.75·1024) + round(0.75·128) removed
  assert.equal(out.nnz_before, 1152);
  assert.equal(out.nnz_after, 1152 - 768 - 96);
  assert.ok((out.accuracy_after as number) > 0.8, `accuracy after pruning ${out.accuracy_after}`);
  const i = widen('inspect', out.checkpoint as string, '--json');
  assert.equal(i.code, 0, i.stderr);
  assert.equal(i.json().nnz, out.nnz_after);
  const nm = widen('prune', ckpt, '--method', 'magnitude', '--nm', '1:4', '--json');
  assert.equal(nm.code, 0, nm.stderr);
  assert.equal(nm.json().nnz_after, 1152 / 4);
  for (const [args, message] of [
    [['prune', ckpt], /give exactly one of --sparsity/],
    [['prune', ckpt, '--sparsity', '1'], /sparsity/],
    [['prune', ckpt, '--nm', '2:3'], /does not divide the input width 32/],
    [['prune', ckpt, '--nm', 'half'], /expected N:M with integers/],
    [['prune', ckpt, '--sparsity', '0.5', '--method', 'random'], /valid values are: magnitude, global-magnitude, wanda, sparsegpt/],
  ] as const) {
    const r = widen(...args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, message);
  }
});

test('reproduce boolean --quick is refused for an unknown study; report refuses a folder without a store', () => {
  const bad = widen('reproduce', 'cifar');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /unknown study 'cifar'; studies: boolean/);
  const empty = widen('report', dir);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /holds no trials\.sqlite/);
});

test('widen run then widen report over two run folders writes every format', () => {
  const cfg = join(dir, 'tiny.json');
  const base = {
    task: { n: 12, m: 4, k: 3, trainSize: 256, testSize: 128 },
    model: { h: 4 },
    seeds: 2,
    training: { warmupEpochs: 2, afterSplitEpochs: 2, batchSize: 64 },
  };
  writeFileSync(cfg, JSON.stringify({ name: 'a', methods: ['dense', 'fpe-random'], ...base }));
  const cfg2 = join(dir, 'tiny2.json');
  writeFileSync(cfg2, JSON.stringify({ name: 'b', methods: ['fpe-clause'], ...base }));
  for (const [c, out] of [
    [cfg, join(dir, 'a')],
    [cfg2, join(dir, 'b')],
  ]) {
    const r = widen('run', c, '--out', out, '--workers', '1');
    assert.equal(r.code, 0, r.stderr);
  }
  for (const format of ['html', 'md', 'json', 'csv']) {
    const out = join(dir, `r.${format}`);
    const r = widen('report', join(dir, 'a'), join(dir, 'b'), '--format', format, '--out', out);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(out));
  }
  const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { cells: Array<{ method: string; seeds: number }> };
  assert.deepEqual(report.cells.map((c) => [c.method, c.seeds]).sort(), [
    ['dense', 2],
    ['fpe-clause', 2],
    ['fpe-random', 2],
  ]);
  assert.match(readFileSync(join(dir, 'r.html'), 'utf8'), /<svg/);
});
