import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, test } from 'node:test';
import { BOOLEAN_METHODS, booleanTrials, runBooleanSeed, runTorchBoolean } from '../../bench/boolean.js';
import { createEngine } from '../../src/engine/index.js';

// The bench's boolean case: both engines run the same protocol on the same task, so they make the
// same number of curve points (the evaluation cadence) and end at the same non-zero count.
const engine = createEngine({ backend: 'wasm', threads: 1 });
after(() => engine.dispose());
const torchImports = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

test('booleanTrials: one headline-cell seed, the four methods, E1 = E2 as asked', () => {
  const trials = booleanTrials(7);
  assert.deepEqual(
    trials.map((t) => t.method),
    [...BOOLEAN_METHODS],
  );
  for (const t of trials) {
    assert.deepEqual([t.mode, t.n, t.m, t.k, t.h, t.seed, t.batchSize], ['which-clause', 32, 16, 3, 8, 0, 256]);
    assert.deepEqual([t.warmupEpochs, t.afterSplitEpochs, t.trainSize], [7, 7, 4096]);
    if (t.method !== 'dense') assert.equal(t.alpha, 2);
  }
});

test('the PyTorch peer runs the protocol widen runs: same curve points and non-zero counts per method', {
  skip: !torchImports && 'no torch for /usr/bin/python3',
}, () => {
  // 12 + 12 epochs with evaluations every 10: points at 10, 12 (split), 22, 24 for FPE; 10, 20, 24 otherwise
  const trials = booleanTrials(12);
  const widen = runBooleanSeed(trials, engine);
  const peer = runTorchBoolean(trials);
  if (!peer.ok) assert.fail(peer.reason);
  const { methods } = peer.run;
  for (const [i, w] of widen.entries()) {
    const p = methods[i];
    assert.equal(p.method, w.method);
    assert.equal(p.curve_points, w.record.curves.epoch.length, `${w.method}: curve points`);
    assert.equal(p.nnz, w.record.metrics.nnz, `${w.method}: non-zeros at the end`);
    assert.ok(p.wall > 0 && p.cpu > 0 && p.accuracy >= 0 && p.accuracy <= 1, `${w.method}: ${JSON.stringify(p)}`);
  }
});
