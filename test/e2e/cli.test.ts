import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { widen } from './helpers.js';

// Runs the CLI from source in a child process, as a user would, and checks stdout/stderr/exit code.

const dir = mkdtempSync(join(tmpdir(), 'widen-cli-'));

test('widen demo --json trains a 90%-sparse MLP to high accuracy and reports the exact non-zero count', () => {
  const r = widen('demo', '--json', '--epochs', '4');
  assert.equal(r.code, 0, r.stderr);
  const out = r.json();
  // round(0.1·32·256) + round(0.1·256·256) + round(0.1·256·8) = 819 + 6554 + 205
  assert.equal(out.nnz, 7578);
  assert.equal(out.dense_weights, 75776);
  assert.ok((out.test_accuracy as number) > 0.9, `accuracy ${out.test_accuracy}`);
  // act 2: FPE keeps the dense non-zero count at twice the width
  const fpe = (out.fpe as { results: { method: string; width: number; nnz: number; accuracy: number }[] }).results;
  assert.deepEqual(
    fpe.map((r) => [r.method, r.width]),
    [
      ['dense', 8],
      ['fpe-random', 16],
      ['fpe-clause', 16],
    ],
  );
  assert.ok(
    fpe.every((r) => r.nnz === fpe[0].nnz),
    'every method at the dense non-zero count',
  );
  // act 3: 4 experts store 4x the non-zeros of one pruned copy and use as many per input
  const se = (out.sparse_expansion as { results: { k: number; nnz_stored: number; nnz_per_input: number }[] }).results;
  assert.equal(se[1].nnz_stored, 4 * se[0].nnz_stored);
  assert.ok(Math.abs(se[1].nnz_per_input - se[0].nnz_per_input) < 1e-6 * se[0].nnz_per_input + 1);
});

test('train writes a checkpoint that inspect and eval read back consistently; resume continues it', () => {
  const ckpt = join(dir, 'm.safetensors');
  const cfg = join(dir, 'cfg.json');
  writeFileSync(cfg, JSON.stringify({ task: { trainSize: 512, testSize: 256 }, model: { hidden: [32], density: 0.5 }, epochs: 2 }));
  const t = widen('train', '-c', cfg, '--lr', '0.01', '--out', ckpt, '--json');
  assert.equal(t.code, 0, t.stderr);
  const trained = t.json();
  assert.equal((trained.config as { optimizer: { lr: number } }).optimizer.lr, 0.01, 'flags override the config file');

  const i = widen('inspect', ckpt, '--json');
  assert.equal(i.code, 0, i.stderr);
  const info = i.json() as { nnz: number; layers: Array<{ in: number; out: number; nnz: number }>; step: number };
  assert.equal(info.nnz, trained.nnz);
  assert.deepEqual(
    info.layers.map((l) => [l.in, l.out, l.nnz]),
    [
      [32, 32, 512],
      [32, 4, 64],
    ],
  );
  assert.equal(info.step, 2 * Math.ceil(512 / 64));

  const e = widen('eval', ckpt, '--json', '--backend', 'ref');
  assert.equal(e.code, 0, e.stderr);
  assert.ok(Math.abs((e.json().test_accuracy as number) - (trained.test_accuracy as number)) < 1e-9, 'eval reproduces the test accuracy');

  const more = widen('train', '-c', cfg, '--lr', '0.01', '--epochs', '3', '--resume', ckpt, '--out', ckpt, '--json');
  assert.equal(more.code, 0, more.stderr);
  assert.equal((widen('inspect', ckpt, '--json').json() as { step: number }).step, 3 * 8, 'one more epoch of 8 steps');
  const clash = widen('train', '-c', cfg, '--lr', '0.02', '--resume', ckpt, '--out', join(dir, 'x.safetensors'));
  assert.equal(clash.code, 1);
  assert.match(clash.stderr, /only epochs may change when resuming/);
});

test('bad input is refused with a clear message and exit code 1', () => {
  const cases: Array<[string[], RegExp]> = [
    [['demo', '--threads', '3'], /invalid option value: --threads 3; valid values are: 1, 2/],
    [['serve', '--port', '99999'], /--port 99999 is not a TCP port; pass an integer in \[0, 65535\]/],
    [['train', '--activation', 'tanh'], /invalid option value: --activation tanh; valid values are: relu, gelu, sigmoid, identity/],
    [['train', '--lr', 'fast'], /invalid option value: --lr fast; expected a number/],
    [['train', '--hidden', '8,x'], /expected comma-separated integers/],
    [['frobnicate'], /unknown command 'frobnicate'; commands: demo, train, eval, inspect/],
    [['demo', '--no-such-flag'], /Unknown option `--noSuchFlag`|Unknown option/],
    [['inspect', join(dir, 'missing.safetensors')], /missing\.safetensors/],
    [['train', '--hidden', '0', '--epochs', '1'], /training config.model.hidden\[0\]/],
  ];
  for (const [args, message] of cases) {
    const r = widen(...args);
    assert.equal(r.code, 1, `${args.join(' ')} should fail; stderr: ${r.stderr}`);
    assert.match(r.stderr, /^widen: error: /m);
    assert.match(r.stderr, message, args.join(' '));
  }
  const cfg = join(dir, 'typo.json');
  writeFileSync(cfg, JSON.stringify({ model: { hiden: [8] } }));
  const typo = widen('train', '-c', cfg);
  assert.equal(typo.code, 1);
  assert.match(typo.stderr, /unknown key 'training config.model.hiden'; allowed keys: hidden, activation, density, path/);
  const corrupt = join(dir, 'corrupt.safetensors');
  writeFileSync(corrupt, readFileSync(cfg));
  const bad = widen('eval', corrupt);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /corrupt\.safetensors/);
});
