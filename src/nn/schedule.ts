import { z } from 'zod';
import { ConfigError } from '../engine/index.js';
import { parseConfig } from './config.js';

/** Learning-rate schedule kinds. */
export const SCHEDULES = ['constant', 'cosine'] as const;

/**
 * A learning-rate schedule relative to the optimizer's base lr: an optional linear warm-up over
 * `warmupSteps`, then constant, or a cosine decay that reaches `minLr` at `totalSteps` and stays there.
 */
export interface ScheduleConfig {
  kind: (typeof SCHEDULES)[number];
  /** Steps of linear warm-up: step s < warmupSteps uses lr·(s+1)/warmupSteps. Default 0. */
  warmupSteps?: number;
  /** cosine only: the step at which the decay ends (> warmupSteps). */
  totalSteps?: number;
  /** cosine only: the final learning rate (absolute, default 0). */
  minLr?: number;
}

/** The learning rate of 0-based step `step` (the number of updates already taken). */
export type LrSchedule = (step: number) => number;

const schema = z.strictObject({
  kind: z.enum(SCHEDULES),
  warmupSteps: z.number().int().min(0).default(0),
  totalSteps: z.number().int().min(1).optional(),
  minLr: z.number().min(0).optional(),
});

/**
 * Builds `lrAt(step)` for base learning rate `lr`. Example:
 * `createSchedule({ kind: 'cosine', warmupSteps: 100, totalSteps: 1000 }, 1e-3)(0) === 1e-5`.
 */
export function createSchedule(config: ScheduleConfig, lr: number, where = 'ScheduleConfig'): LrSchedule {
  const c = parseConfig(schema, config, where);
  if (!Number.isFinite(lr) || lr < 0)
    throw new ConfigError(`${where}: base learning rate must be a finite number >= 0, got ${lr}`, { where, got: lr });
  const warm = c.warmupSteps;
  const warmup = (s: number, after: (s: number) => number): number => (s < warm ? (lr * (s + 1)) / warm : after(s));
  if (c.kind === 'constant') {
    for (const key of ['totalSteps', 'minLr'] as const) {
      if (c[key] !== undefined)
        throw new ConfigError(`${where}.${key} applies to kind 'cosine' only; remove it or use kind 'cosine'`, {
          where: `${where}.${key}`,
          got: c[key],
        });
    }
    return (s) => warmup(s, () => lr);
  }
  const total = c.totalSteps;
  if (total === undefined || total <= warm) {
    throw new ConfigError(`${where}.totalSteps must be an integer > warmupSteps (${warm}) for kind 'cosine', got ${total ?? 'nothing'}`, {
      where: `${where}.totalSteps`,
      got: total,
      allowed: `> ${warm}`,
    });
  }
  const minLr = c.minLr ?? 0;
  if (minLr > lr)
    throw new ConfigError(`${where}.minLr (${minLr}) must not exceed the base learning rate ${lr}`, {
      where: `${where}.minLr`,
      got: minLr,
      allowed: `<= ${lr}`,
    });
  return (s) =>
    warmup(s, (t) => {
      const progress = Math.min(1, (t - warm) / (total - warm));
      return minLr + (lr - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
    });
}
