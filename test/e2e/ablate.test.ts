import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createEngine, resolveTrainConfig } from '../../src/index.js';
import { runTraining } from '../../src/node/index.js';
import { widen } from './helpers.js';

// Runs `widen ablate` from source in a child process, as a user would.

const dir = mkdtempSync(join(tmpdir(), 'widen-ablate-cli-'));
const ckpt = join(dir, 'gelu.safetensors');

interface Selection {
  selection: string;
  draw: number | null;
  units: number[];
  accuracy: number;
  loss: number;
  loss_increase: number;
  accuracy_drop: number;
  class_accuracy: number[];
}
interface Spread {
  mean: number;
  sd: number;
  min: number;
  max: number;
}

test('train a small GELU model on blobs', () => {
  const args = ['--activation', 'gelu', '--density', '1', '--hidden', '16,16', '--noise', '2', '--epochs', '2'];
  const t = widen('train', ...args, '--train-size', '512', '--test-size', '256', '--out', ckpt);
  assert.equal(t.code, 0, t.stderr);
});

test('ablate --json reports every selection, the random spread, the matched control and per-class effects', () => {
  const report = join(dir, 'ablation.json');
  const r = widen('ablate', ckpt, '--calibration', '128', '--top', '0.1', '--draws', '3', '--seed', '2', '--json', '--out', report);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(readFileSync(report, 'utf8')), r.json(), '--out writes the same report as a file');
  const s = r.json() as {
    activation: string;
    p: number;
    layers: Array<{ layer: number; units: number; top_wd: number[] }>;
    selections: Selection[];
    random_summary: { draws: number; loss_increase: Spread; accuracy_drop: Spread; p_value: number };
    matched: { matched: boolean; units: number[]; fraction: number; target_loss_increase: number };
    per_class: Array<{ class: number; baseline: number; top_wd: number; random_mean: number; bottom_wd: number }>;
  };
  assert.equal(s.activation, 'gelu');
  assert.deepEqual(
    s.selections.map((x) => [x.selection, x.draw]),
    [
      ['none', null],
      ['top-wd', null],
      ['random', 0],
      ['random', 1],
      ['random', 2],
      ['bottom-wd', null],
    ],
  );
  const [none, top] = s.selections;
  assert.deepEqual(
    [none.units, top.units, s.selections[2].units],
    [
      [0, 0],
      [2, 2],
      [2, 2],
    ],
    'max(1, round(0.1·16)) = 2 per layer',
  );
  assert.deepEqual(
    s.layers.map((l) => [l.layer, l.units, l.top_wd.length]),
    [
      [0, 16, 2],
      [1, 16, 2],
    ],
  );
  assert.equal(none.loss_increase, 0);
  for (const x of s.selections) {
    assert.ok(x.accuracy >= 0 && x.accuracy <= 1 && Number.isFinite(x.loss), `${x.selection}: ${x.accuracy} ${x.loss}`);
    assert.equal(x.class_accuracy.length, 4);
    assert.ok(Math.abs(x.loss_increase - (x.loss - none.loss)) < 1e-12, 'loss_increase');
  }
  const inc = s.selections.filter((x) => x.selection === 'random').map((x) => x.loss_increase);
  assert.equal(s.random_summary.draws, 3);
  assert.deepEqual([s.random_summary.loss_increase.min, s.random_summary.loss_increase.max], [Math.min(...inc), Math.max(...inc)]);
  assert.ok(s.random_summary.p_value >= 0.25 && s.random_summary.p_value <= 1, `p ${s.random_summary.p_value}`);
  const bottom = s.selections[5];
  assert.deepEqual(s.matched.units, bottom.units);
  assert.equal(s.matched.target_loss_increase, top.loss_increase);
  assert.equal(s.matched.matched, bottom.loss_increase >= top.loss_increase);
  assert.deepEqual(
    s.per_class.map((c) => c.class),
    [0, 1, 2, 3],
  );
  assert.ok(Math.abs(s.per_class[1].top_wd - (top.class_accuracy[1] - none.class_accuracy[1])) < 1e-12, 'per-class change');
});

test('ablate prints one row per selection, on the chosen layers only', () => {
  const r = widen('ablate', ckpt, '--calibration', '128', '--draws', '2', '--layers', '1');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /clamp max\(z, 0\) in layers\.1 \(16 units\);?/);
  for (const name of ['none', 'top-wd', 'random', 'bottom-wd']) assert.match(r.stdout, new RegExp(`^${name}\\*?\\s`, 'm'));
  assert.match(r.stdout, /^top-wd\s+0,1\s/m, 'one unit of layers.1, none of layers.0');
  assert.match(r.stdout, /random, 2 draws: Δloss .* ± /);
  assert.match(r.stdout, /per-class accuracy/);
});

test('ablate refuses ReLU checkpoints and bad options with a clear message and exit code 1', async () => {
  const relu = join(dir, 'relu.safetensors');
  const engine = createEngine({ threads: 1 });
  const config = resolveTrainConfig({ task: { trainSize: 128, testSize: 64 }, model: { hidden: [8] }, epochs: 1 });
  (await runTraining(config, { engine, out: relu })).model.dispose();
  engine.dispose();
  const cases: Array<[string[], RegExp]> = [
    [
      [relu],
      /activation is relu, which already maps negative pre-activations to 0, so clamping them changes nothing; allowed activations: gelu/,
    ],
    [[ckpt, '--top', '1.5'], /invalid option value: --top 1.5; expected a fraction in \(0, 1\]/],
  ];
  for (const [args, message] of cases) {
    const r = widen('ablate', ...args);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr, message);
  }
});
