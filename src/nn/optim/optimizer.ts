import { z } from 'zod';
import { ConfigError, type Engine, ShapeError, type Tensor } from '../../engine/index.js';
import { parseConfig } from '../config.js';
import type { Param } from '../sparse-linear.js';

/** Optimizer kinds. */
export const OPTIMIZERS = ['sgd', 'adam', 'adamw'] as const;
/** Name of an optimizer: SGD (optionally momentum/Nesterov), Adam (L2 decay) or AdamW (decoupled decay). */
export type OptimizerKind = (typeof OPTIMIZERS)[number];

/** Optimizer settings; unset fields take PyTorch's defaults for the kind. */
export interface OptimizerConfig {
  kind: OptimizerKind;
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  nesterov?: boolean;
}

/** An OptimizerConfig with every default filled in; the keys depend on the kind. */
export type ResolvedOptimizerConfig =
  | { kind: 'sgd'; lr: number; momentum: number; weightDecay: number; nesterov: boolean }
  | { kind: 'adam' | 'adamw'; lr: number; beta1: number; beta2: number; eps: number; weightDecay: number };

/** Per-parameter state buffers, named as in checkpoints (`layers.0.weight.adam_m`). */
export type StateSlot = 'adam_m' | 'adam_v' | 'momentum';

/** A snapshot of an optimizer: its config, its step count and compact copies of its state buffers. */
export interface OptimizerState {
  config: ResolvedOptimizerConfig;
  stepCount: number;
  /** `${paramName}.${slot}` -> the buffer, compact like the parameter ([nnz] for weights). */
  buffers: Record<string, Float32Array>;
}

/** Updates a model's parameters from their gradients; the state lives at the non-zeros only. */
export interface Optimizer {
  readonly config: ResolvedOptimizerConfig;
  /** Updates taken so far. */
  readonly stepCount: number;
  /** State buffers kept per parameter. */
  readonly slots: readonly StateSlot[];
  /** One update of every parameter with learning rate `lr` (default: config.lr). */
  step(lr?: number): void;
  /** A deep copy of the state, e.g. for a checkpoint. */
  exportState(): OptimizerState;
  /** Restores a state exported by an optimizer of the same kind over the same model shapes. */
  importState(state: OptimizerState): void;
  /** Frees the state buffers. */
  dispose(): void;
}

const unit = z.number().min(0).lt(1);
const nonNegative = z.number().min(0);
const SCHEMAS = {
  sgd: z.strictObject({
    kind: z.literal('sgd'),
    lr: nonNegative,
    momentum: nonNegative.default(0),
    weightDecay: nonNegative.default(0),
    nesterov: z.boolean().default(false),
  }),
  adam: z.strictObject({
    kind: z.literal('adam'),
    lr: nonNegative,
    beta1: unit.default(0.9),
    beta2: unit.default(0.999),
    eps: nonNegative.default(1e-8),
    weightDecay: nonNegative.default(0),
  }),
  adamw: z.strictObject({
    kind: z.literal('adamw'),
    lr: nonNegative,
    beta1: unit.default(0.9),
    beta2: unit.default(0.999),
    eps: nonNegative.default(1e-8),
    weightDecay: nonNegative.default(0.01),
  }),
};

/** Validates an optimizer config and fills in PyTorch's defaults; ConfigError names the bad key under `where`. */
export function resolveOptimizerConfig(config: unknown, where = 'OptimizerConfig'): ResolvedOptimizerConfig {
  const kind = (config as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string' || !(OPTIMIZERS as readonly string[]).includes(kind)) {
    throw new ConfigError(`unknown optimizer ${JSON.stringify(kind)} at ${where}.kind; allowed: ${OPTIMIZERS.join(', ')}`, {
      where: `${where}.kind`,
      got: kind,
      allowed: OPTIMIZERS.join(', '),
    });
  }
  const resolved = parseConfig(SCHEMAS[kind as OptimizerKind], config, where);
  if (resolved.kind === 'sgd' && resolved.nesterov && resolved.momentum === 0) {
    throw new ConfigError(`${where}.nesterov needs momentum > 0, got momentum 0`, {
      where: `${where}.nesterov`,
      got: 0,
      allowed: 'momentum > 0',
    });
  }
  return resolved;
}

/** The state buffers an optimizer with this config keeps per parameter. */
export function slotsFor(config: ResolvedOptimizerConfig): StateSlot[] {
  if (config.kind === 'sgd') return config.momentum > 0 ? ['momentum'] : [];
  return ['adam_m', 'adam_v'];
}

/** Shared machinery of the optimizers: state buffers per parameter and slot, step counting, export/import. */
export abstract class BaseOptimizer implements Optimizer {
  readonly config: ResolvedOptimizerConfig;
  readonly slots: readonly StateSlot[];
  protected readonly engine: Engine;
  protected readonly params: readonly Param[];
  /** state[i][s]: buffer of slot s for params[i], the same size as the parameter. */
  protected readonly state: Tensor[][];
  private steps = 0;

  protected constructor(engine: Engine, params: readonly Param[], config: ResolvedOptimizerConfig) {
    const slots = slotsFor(config);
    this.engine = engine;
    this.params = params;
    this.config = config;
    this.slots = slots;
    this.state = params.map((p) => slots.map(() => engine.tensor([p.value.size])));
  }

  get stepCount(): number {
    return this.steps;
  }

  step(lr: number = this.config.lr): void {
    if (!Number.isFinite(lr) || lr < 0)
      throw new ConfigError(`learning rate must be a finite number >= 0, got ${lr}`, { where: 'Optimizer.step', got: lr });
    this.steps++;
    for (let i = 0; i < this.params.length; i++) this.update(this.params[i], this.state[i], lr, this.steps);
  }

  /** Updates one parameter in place; `step` is 1-based. */
  protected abstract update(p: Param, state: Tensor[], lr: number, step: number): void;

  exportState(): OptimizerState {
    const buffers: Record<string, Float32Array> = {};
    this.params.forEach((p, i) => {
      this.slots.forEach((s, j) => {
        buffers[`${p.name}.${s}`] = this.state[i][j].data.slice();
      });
    });
    return { config: { ...this.config }, stepCount: this.steps, buffers };
  }

  importState(state: OptimizerState): void {
    if (state.config.kind !== this.config.kind) {
      throw new ConfigError(`cannot import ${state.config.kind} state into a ${this.config.kind} optimizer`, {
        where: 'Optimizer.importState',
        got: state.config.kind,
        allowed: this.config.kind,
      });
    }
    if (!Number.isInteger(state.stepCount) || state.stepCount < 0) {
      throw new ConfigError(`optimizer stepCount must be an integer >= 0, got ${state.stepCount}`, {
        where: 'Optimizer.importState',
        got: state.stepCount,
      });
    }
    // check every buffer before writing any, so a bad state leaves the optimizer untouched
    const writes: Array<[Tensor, Float32Array]> = [];
    this.params.forEach((p, i) => {
      this.slots.forEach((s, j) => {
        const name = `${p.name}.${s}`;
        const buf = state.buffers[name];
        if (!(buf instanceof Float32Array) || buf.length !== p.value.size) {
          throw new ShapeError(`optimizer state ${name} must be a Float32Array of ${p.value.size} values, got ${buf?.length ?? 'none'}`, {
            where: 'Optimizer.importState',
            allowed: String(p.value.size),
          });
        }
        writes.push([this.state[i][j], buf]);
      });
    });
    for (const [t, buf] of writes) t.set(buf);
    this.steps = state.stepCount;
  }

  dispose(): void {
    for (const row of this.state) for (const t of row) t.dispose();
  }
}
