import type { MLP } from '../mlp.js';
import { Adam } from './adam.js';
import { type Optimizer, type OptimizerConfig, type OptimizerState, resolveOptimizerConfig } from './optimizer.js';
import { Sgd } from './sgd.js';

export { Adam } from './adam.js';
export {
  BaseOptimizer,
  OPTIMIZERS,
  type Optimizer,
  type OptimizerConfig,
  type OptimizerKind,
  type OptimizerState,
  type ResolvedOptimizerConfig,
  resolveOptimizerConfig,
  type StateSlot,
  slotsFor,
} from './optimizer.js';
export { Sgd } from './sgd.js';

/** An optimizer over every parameter of `model`. Example: `createOptimizer(model, { kind: 'adamw', lr: 1e-3 })`. */
export function createOptimizer(model: MLP, config: OptimizerConfig, where = 'OptimizerConfig'): Optimizer {
  const c = resolveOptimizerConfig(config, where);
  const params = model.params();
  return c.kind === 'sgd' ? new Sgd(model.engine, params, c) : new Adam(model.engine, params, c);
}

/** An optimizer for `model` restored from a saved state (e.g. `loadCheckpoint(...).optimizerState`). */
export function restoreOptimizer(model: MLP, state: OptimizerState): Optimizer {
  const opt = createOptimizer(model, state.config as OptimizerConfig, 'OptimizerState.config');
  try {
    opt.importState(state);
  } catch (err) {
    opt.dispose();
    throw err;
  }
  return opt;
}
