import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, expandTrials, resolveExperimentConfig, trialId } from '../../../src/index.js';
import { loadExperimentConfig } from '../../../src/node/index.js';

const dir = mkdtempSync(join(tmpdir(), 'widen-config-'));

/** The message resolveExperimentConfig throws for `value` (the test fails if it accepts it). */
function rejection(value: unknown): string {
  try {
    resolveExperimentConfig(value);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${err}`);
    return err.message;
  }
  assert.fail(`accepted ${JSON.stringify(value)}`);
}

describe('experiment config', () => {
  it('fills in the spec defaults', () => {
    const c = resolveExperimentConfig({ name: 'defaults' });
    assert.deepEqual(c.task, { kind: 'boolean', mode: 'which-clause', n: 32, m: 8, k: 3, trainSize: 4096, testSize: 2048 });
    assert.deepEqual(c.model, { h: 8, activation: 'relu' });
    assert.deepEqual(c.methods, ['dense', 'sparse-init', 'fpe-random', 'fpe-clause']);
    assert.equal(c.alpha, 2);
    assert.equal(c.seeds, 10);
    assert.deepEqual(c.training, {
      warmupEpochs: 1000,
      afterSplitEpochs: 1000,
      optimizer: { kind: 'adam', lr: 0.01 },
      batchSize: 256,
      resetOptimizer: false,
      evalEvery: 10,
    });
  });

  it('rejects bad keys and values with the key path and what is allowed', () => {
    const cases: Array<[unknown, string]> = [
      [
        { name: 'x', task: { mdoe: 'dnf' } },
        "invalid experiment config: unknown key 'experiment config.task.mdoe'; allowed keys: kind, mode, n, m, k, trainSize, testSize",
      ],
      [
        { name: 'x', task: { mode: 'xor' } },
        'invalid experiment config: experiment config.task.mode must be one of "which-clause", "multi-label", "dnf", got "xor"',
      ],
      [
        { name: 'x', alpha: 1 },
        'invalid experiment config: experiment config.alpha: alpha must be an integer >= 2 (FPE splits each neuron into alpha children), got 1',
      ],
      [
        { name: 'x', alpha: 2.5 },
        'invalid experiment config: experiment config.alpha: alpha must be an integer >= 2 (FPE splits each neuron into alpha children), got 2.5',
      ],
      [
        { name: 'x', methods: ['dense', 'fpe-magic'] },
        'invalid experiment config: experiment config.methods[1] must be one of "dense", "sparse-init", "fpe-random", "fpe-clause", "fpe-gram", "overlap", "fpe-partition", "fpe-partition-scaled", "fpe-layer-restore", "fpe-selective-wd", "fpe-selective-collisions", "fpe-schedule", "fpe-clause-routed", got "fpe-magic"',
      ],
      [
        { name: 'x', training: { optimizer: { kind: 'adam', momentum: 0.9 } } },
        "invalid experiment config.training.optimizer: unknown key 'experiment config.training.optimizer.momentum'; allowed keys: kind, lr, beta1, beta2, eps, weightDecay",
      ],
      [
        { name: 'x', task: { k: 40 } },
        "invalid experiment config: experiment config.task.k is impossible: boolean option 'k' must be an integer in [1, 32], got 40; a clause has k literals on k distinct variables of the n = 32",
      ],
      [
        { name: 'x', task: { n: 3, m: 100 } },
        "invalid experiment config: experiment config.task.m is impossible: boolean option 'm' = 100 exceeds the 8 distinct clauses of k = 3 literals over n = 3 variables (C(n, k)·2^k); lower m or raise n",
      ],
      [
        { name: 'x', alpha: 64 },
        'invalid experiment config: experiment config.alpha must be <= task.n = 32 (each child needs an input of its own), got 64',
      ],
      [
        { name: 'x', methods: ['overlap'], overlapFactor: 3 },
        'invalid experiment config: experiment config.overlapFactor must be in (1, alpha] = (1, 2] (a child cannot keep more than all inputs), got 3',
      ],
      [
        { name: 'bad name!' },
        'invalid experiment config: experiment config.name: expected a name of letters, digits, ".", "_" or "-", got "bad name!"',
      ],
    ];
    for (const [value, message] of cases) assert.equal(rejection(value), message);
  });

  it('checks grid keys and every grid value and point up front', () => {
    assert.match(
      rejection({ name: 'x', grid: { 'task.q': [1] } }),
      /^invalid experiment config: unknown grid key 'grid\["task.q"\]'; grid keys may be: task.mode, task.n, task.m, /,
    );
    assert.match(rejection({ name: 'x', grid: [{ 'task.m': [4] }, { seeds: [1] }] }), /unknown grid key 'grid\[1\]\["seeds"\]'/);
    assert.equal(
      rejection({ name: 'x', grid: { 'task.m': [4, 0] } }),
      'invalid experiment config: grid["task.m"][1] = 0 is not allowed: experiment config.task.m: Too small: expected number to be >0, got 0',
    );
    assert.equal(
      rejection({ name: 'x', grid: { 'task.n': [2, 32] } }),
      "invalid experiment config: grid point task.n=2 is not allowed: experiment config.task.k is impossible: boolean option 'k' must be an integer in [1, 2], got 3; a clause has k literals on k distinct variables of the n = 2",
    );
    // n = 3 and m = 9 are each fine with the base config, but together impossible (8 distinct clauses over 3 variables)
    assert.match(rejection({ name: 'x', grid: { 'task.n': [3, 32], 'task.m': [9] } }), /grid point task.n=3, task.m=9 is not allowed/);
  });

  it('expands methods × grid points × seeds into trials with stable ids', () => {
    const c = resolveExperimentConfig({
      name: 'sweep',
      task: { n: 8, m: 4 },
      seeds: 3,
      grid: { 'task.m': [4, 6], 'model.h': [4, 8] },
    });
    const trials = expandTrials(c);
    assert.equal(trials.length, 4 * 4 * 3);
    assert.equal(new Set(trials.map((t) => t.id)).size, trials.length);
    assert.deepEqual(
      trials.map((t) => t.id),
      expandTrials(resolveExperimentConfig(structuredClone(c))).map((t) => t.id),
      'ids are stable',
    );
    for (const t of trials) assert.equal(t.id, trialId(t.config));
    // key order does not matter, content does
    const { method, ...rest } = trials[0].config;
    assert.equal(trialId({ ...rest, method }), trials[0].id);
    assert.notEqual(trialId({ ...trials[0].config, seed: 99 }), trials[0].id);
    assert.match(trials[0].id, /^[0-9a-f]{16}$/);
  });

  it('runs a trial that several grid points produce once; dense has alpha 1', () => {
    const c = resolveExperimentConfig({
      name: 'a',
      task: { n: 8, m: 4 },
      seeds: [5],
      methods: ['dense', 'fpe-random'],
      grid: { alpha: [2, 4] },
    });
    const trials = expandTrials(c);
    assert.deepEqual(
      trials.map((t) => [t.config.method, t.config.alpha]),
      [
        ['dense', 1],
        ['fpe-random', 2],
        ['fpe-random', 4],
      ],
    );
    const union = resolveExperimentConfig({
      name: 'u',
      task: { n: 8, m: 4 },
      seeds: 2,
      grid: [{ 'task.m': [4, 6] }, { 'task.m': [6, 8] }],
    });
    assert.equal(expandTrials(union).length, 3 * 4 * 2);
  });

  it('loads JSON and YAML files and names the file and line of a syntax error', () => {
    const yaml = join(dir, 'ok.yaml');
    writeFileSync(yaml, 'name: y\ntask:\n  m: 4\n  n: 8\ngrid:\n  model.h: [4, 8]\n');
    assert.equal(expandTrials(loadExperimentConfig(yaml)).length, 2 * 4 * 10);
    const json = join(dir, 'ok.json');
    writeFileSync(json, JSON.stringify({ name: 'j', seeds: [1, 2] }));
    assert.deepEqual(loadExperimentConfig(json).seeds, [1, 2]);

    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'name: y\ntask:\n  m: [4\n  n: 8\n');
    assert.throws(() => loadExperimentConfig(broken), {
      name: 'ConfigError',
      message: new RegExp(`^experiment config ${broken} is not valid YAML at line 4, column \\d+: `),
    });
    const badJson = join(dir, 'broken.json');
    writeFileSync(badJson, '{"name": ');
    assert.throws(() => loadExperimentConfig(badJson), { message: new RegExp(`^experiment config ${badJson} is not valid JSON: `) });
    assert.throws(() => loadExperimentConfig(join(dir, 'missing.yaml')), {
      message: `cannot read experiment config ${join(dir, 'missing.yaml')}: ENOENT`,
    });
    const typo = join(dir, 'typo.yaml');
    writeFileSync(typo, 'name: t\nmodle: {h: 4}\n');
    assert.throws(() => loadExperimentConfig(typo), {
      message: new RegExp(`^${typo}: invalid experiment config: unknown key 'experiment config.modle'`),
    });
  });

  it('ships valid configs for the spec: the headline cell and the three sweeps', () => {
    const configs = join(import.meta.dirname, '../../../experiments/boolean');
    const counts: Record<string, number> = {};
    for (const f of readdirSync(configs)) counts[f] = expandTrials(loadExperimentConfig(join(configs, f))).length;
    assert.deepEqual(counts, { 'headline.yaml': 40, 'sweeps.yaml': 230 });
  });
});
