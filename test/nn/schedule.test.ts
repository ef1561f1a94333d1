import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/engine/index.js';
import { createSchedule, type ScheduleConfig } from '../../src/nn/index.js';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

describe('learning-rate schedules', () => {
  it('constant returns the base rate at every step', () => {
    const lrAt = createSchedule({ kind: 'constant' }, 0.1);
    for (const s of [0, 1, 1000]) assert.equal(lrAt(s), 0.1);
  });

  it('linear warm-up ramps (s+1)/warmupSteps, then holds', () => {
    const lrAt = createSchedule({ kind: 'constant', warmupSteps: 4 }, 1);
    assert.deepEqual([0, 1, 2, 3, 4, 50].map(lrAt), [0.25, 0.5, 0.75, 1, 1, 1]);
  });

  it('cosine decays from lr to minLr over totalSteps and stays there', () => {
    const lrAt = createSchedule({ kind: 'cosine', totalSteps: 100, minLr: 0.1 }, 1.1);
    close(lrAt(0), 1.1);
    close(lrAt(50), 0.6);
    close(lrAt(25), 0.1 + 0.5 * (1 + Math.cos(Math.PI / 4)));
    close(lrAt(100), 0.1);
    close(lrAt(500), 0.1);
  });

  it('warm-up composes with cosine: the decay starts after the warm-up', () => {
    const lrAt = createSchedule({ kind: 'cosine', warmupSteps: 10, totalSteps: 110 }, 2);
    close(lrAt(0), 0.2);
    close(lrAt(9), 2);
    close(lrAt(10), 2);
    close(lrAt(60), 1);
    close(lrAt(110), 0);
  });

  it('refuses inconsistent configs', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ kind: 'cosine' }, /ScheduleConfig\.totalSteps must be an integer > warmupSteps \(0\) for kind 'cosine', got nothing/],
      [{ kind: 'cosine', warmupSteps: 10, totalSteps: 10 }, /totalSteps must be an integer > warmupSteps \(10\)/],
      [{ kind: 'linear' }, /ScheduleConfig\.kind must be one of "constant", "cosine", got "linear"/],
      [{ kind: 'constant', totalSteps: 10 }, /ScheduleConfig\.totalSteps applies to kind 'cosine' only/],
      [{ kind: 'constant', warmup: 10 }, /unknown key 'ScheduleConfig\.warmup'; allowed keys: kind, warmupSteps, totalSteps, minLr/],
      [{ kind: 'cosine', totalSteps: 10, minLr: 5 }, /ScheduleConfig\.minLr \(5\) must not exceed the base learning rate 1/],
    ];
    for (const [config, pattern] of bad) {
      assert.throws(
        () => createSchedule(config as ScheduleConfig, 1),
        (e) => e instanceof ConfigError && pattern.test(e.message),
        JSON.stringify(config),
      );
    }
  });
});
