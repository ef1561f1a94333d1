import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import * as widen from '../src/index.js';

test('the public API exports exactly the pinned runtime names', () => {
  // Adding an export is a decision: update this list in the same change.
  assert.deepEqual(Object.keys(widen).sort(), [
    'ACTIVATIONS',
    'ActivationStep',
    'Adam',
    'Arena',
    'BackendError',
    'BaseOptimizer',
    'CHECKPOINT_FORMAT',
    'CSR_MAX_DENSITY',
    'CheckpointError',
    'ConfigError',
    'Engine',
    'ExperimentConfigSchema',
    'LOSSES',
    'METHODS',
    'MLP',
    'NumericError',
    'OPTIMIZERS',
    'RefBackend',
    'Rng',
    'SAFETENSORS_DTYPES',
    'SCHEDULES',
    'STORE_FILE',
    'Sgd',
    'ShapeError',
    'SparseLinear',
    'Tensor',
    'TrainConfigSchema',
    'WidenError',
    'Workspace',
    'applyLoss',
    'buildCsr',
    'checkDataset',
    'compactDense',
    'copyMask',
    'createEngine',
    'createOptimizer',
    'createSchedule',
    'decodeSafetensors',
    'defaultEngine',
    'encodeSafetensors',
    'entryF32',
    'entryU8',
    'evaluate',
    'expandCompact',
    'expandTrials',
    'fit',
    'loadCheckpoint',
    'loadExperimentConfig',
    'lossAndGradients',
    'lossCount',
    'makeBlobs',
    'openStore',
    'packageRoot',
    'parseActivation',
    'parseConfig',
    'parseLoss',
    'randomMask',
    'readSafetensors',
    'resolveExperimentConfig',
    'resolveOptimizerConfig',
    'resolveTrainConfig',
    'restoreOptimizer',
    'runBooleanTrial',
    'runExperiment',
    'runTraining',
    'saveCheckpoint',
    'slotsFor',
    'trainStep',
    'trialId',
    'widenVersion',
    'writeFileAtomic',
    'writeSafetensors',
  ]);
});

test('importing widen has no side effects: it adds no process listeners', () => {
  const probe = `
    const events = ['exit', 'beforeExit', 'warning', 'uncaughtException', 'unhandledRejection', 'SIGINT', 'SIGTERM'];
    const count = () => events.map((e) => process.listenerCount(e)).join(',');
    const before = count();
    await import('./src/index.ts');
    const after = count();
    console.log(JSON.stringify({ before, after }));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const { before, after } = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}');
  assert.equal(after, before);
});
