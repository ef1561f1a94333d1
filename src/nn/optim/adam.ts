import type { Engine, Tensor } from '../../engine/index.js';
import type { Param } from '../sparse-linear.js';
import { BaseOptimizer, type ResolvedOptimizerConfig } from './optimizer.js';

/**
 * Adam (weight decay as L2 on the gradient) and AdamW (decoupled weight decay), PyTorch
 * semantics, with first/second moments `adam_m`, `adam_v` stored compact at the non-zeros.
 */
export class Adam extends BaseOptimizer {
  private readonly hyper: Extract<ResolvedOptimizerConfig, { kind: 'adam' | 'adamw' }>;

  /** An Adam/AdamW optimizer over `params`, whose tensors live in `engine`. */
  constructor(engine: Engine, params: readonly Param[], config: Extract<ResolvedOptimizerConfig, { kind: 'adam' | 'adamw' }>) {
    super(engine, params, config);
    this.hyper = config;
  }

  protected update(p: Param, [m, v]: Tensor[], lr: number, step: number): void {
    const h = this.hyper;
    this.engine.backend.adam(p.value.size, p.value.ptr, p.grad.ptr, m.ptr, v.ptr, {
      lr,
      beta1: h.beta1,
      beta2: h.beta2,
      eps: h.eps,
      weightDecay: h.weightDecay,
      decoupled: h.kind === 'adamw',
      step,
    });
  }
}
