import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { expandTrials, resolveExperimentConfig, WIDEN_VERSION } from '../../../src/index.js';
import { buildId, defaultWasmPath, relaxedWasmPath } from '../../../src/node/index.js';
import { taskOfJob, trialJobData } from '../../../src/node/queue/trial-job.js';

const CONFIG = resolveExperimentConfig({ name: 'tiny', task: { n: 8, m: 4 }, seeds: 2, methods: ['dense', 'fpe-random'] });
const BUILD = { version: WIDEN_VERSION, engineHash: 'a'.repeat(64) };

describe('trial jobs', () => {
  it('carry the version and the sha256 of the kernel build that runs (widen-relaxed.wasm where relaxed SIMD validates, else widen.wasm)', () => {
    const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
    const saved = process.env.WIDEN_KERNELS;
    try {
      // this Node validates relaxed SIMD (Node 20 behind the flag the Node platform sets), so 'auto' runs the relaxed build
      delete process.env.WIDEN_KERNELS;
      assert.deepEqual(buildId(), { version: WIDEN_VERSION, engineHash: sha(relaxedWasmPath(defaultWasmPath())) });
      process.env.WIDEN_KERNELS = 'plain';
      assert.deepEqual(buildId(), { version: WIDEN_VERSION, engineHash: sha(defaultWasmPath()) });
    } finally {
      if (saved === undefined) delete process.env.WIDEN_KERNELS;
      else process.env.WIDEN_KERNELS = saved;
    }
  });

  it('give back exactly the trial they were made for, re-derived from the validated config', () => {
    for (const trial of expandTrials(CONFIG)) {
      const data = JSON.parse(JSON.stringify(trialJobData(CONFIG, trial.id, BUILD)));
      assert.deepEqual(taskOfJob(data, BUILD), { id: trial.id, experiment: 'tiny', config: trial.config });
    }
  });

  it('are refused when made by another version or engine build, saying which', () => {
    const id = expandTrials(CONFIG)[0].id;
    const other = { version: '0.0.9', engineHash: 'b'.repeat(64) };
    assert.throws(
      () => taskOfJob(trialJobData(CONFIG, id, other), BUILD),
      (err: Error) => {
        assert.equal(err.name, 'BuildMismatchError');
        assert.equal(
          err.message,
          `job ${id} was enqueued by widen 0.0.9, engine bbbbbbbbbbbb but this worker runs widen ${WIDEN_VERSION}, engine aaaaaaaaaaaa; run the same widen version and engine build on every machine of a sweep (update this worker or the coordinator)`,
        );
        return true;
      },
    );
    assert.throws(
      () => taskOfJob(trialJobData(CONFIG, id, { ...BUILD, engineHash: 'none' }), BUILD),
      /enqueued by widen .*, engine none but/,
    );
  });

  it('are refused when their data fails the schemas', () => {
    const id = expandTrials(CONFIG)[0].id;
    const good = trialJobData(CONFIG, id, BUILD);
    assert.throws(() => taskOfJob({ ...good, extra: 1 }, BUILD), /invalid queue job: data: Unrecognized key/);
    assert.throws(() => taskOfJob({ ...good, trial: 'x; rm -rf /' }, BUILD), /invalid queue job: trial:/);
    assert.throws(() => taskOfJob({ ...good, experiment: { ...CONFIG, evil: true } }, BUILD), /unknown key 'experiment config\.evil'/);
    assert.throws(() => taskOfJob({ ...good, experiment: { ...CONFIG, alpha: 1.5 } }, BUILD), /alpha must be an integer >= 2/);
    assert.throws(() => taskOfJob({ ...good, trial: '0123456789abcdef' }, BUILD), /experiment 'tiny' has no trial 0123456789abcdef/);
  });
});
