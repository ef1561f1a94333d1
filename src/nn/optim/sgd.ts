import type { Engine, Tensor } from '../../engine/index.js';
import type { Param } from '../sparse-linear.js';
import { BaseOptimizer, type ResolvedOptimizerConfig } from './optimizer.js';

/**
 * Stochastic gradient descent with optional momentum (buffer `momentum`, kept only when
 * momentum > 0), Nesterov momentum and L2 weight decay, PyTorch semantics.
 */
export class Sgd extends BaseOptimizer {
  private readonly hyper: Extract<ResolvedOptimizerConfig, { kind: 'sgd' }>;

  /** An SGD optimizer over `params`, whose tensors live in `engine`. */
  constructor(engine: Engine, params: readonly Param[], config: Extract<ResolvedOptimizerConfig, { kind: 'sgd' }>) {
    super(engine, params, config);
    this.hyper = config;
  }

  protected update(p: Param, state: Tensor[], lr: number): void {
    const h = this.hyper;
    // with momentum 0 the kernel never touches the buffer, so pointer 0 stands for "none"
    const buf = state.length > 0 ? state[0].ptr : 0;
    this.engine.backend.sgd(p.value.size, p.value.ptr, p.grad.ptr, buf, {
      lr,
      momentum: h.momentum,
      weightDecay: h.weightDecay,
      nesterov: h.nesterov,
    });
  }
}
