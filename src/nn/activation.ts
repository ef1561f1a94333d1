import { ACTIVATIONS, type Activation, ConfigError, type Engine, ShapeError, type Tensor } from '../engine/index.js';

/** Checks that `name` is a known activation and returns it; `where` names the option for the error. */
export function parseActivation(name: unknown, where: string): Activation {
  if (typeof name === 'string' && (ACTIVATIONS as readonly string[]).includes(name)) return name as Activation;
  throw new ConfigError(`unknown activation ${JSON.stringify(name)} at ${where}; allowed: ${ACTIVATIONS.join(', ')}`, {
    where,
    got: name,
    allowed: ACTIVATIONS.join(', '),
  });
}

/**
 * An element-wise activation as a layer step with an explicit backward. Pre-activations z and
 * outputs h are feature-major [features, batch] tensors of the same size.
 */
export class ActivationStep {
  readonly kind: Activation;
  readonly engine: Engine;

  /** A step applying `kind` (identity, relu, gelu with exact erf, sigmoid) on `engine`'s kernels. */
  constructor(kind: Activation, engine: Engine) {
    this.kind = parseActivation(kind, 'ActivationStep.kind');
    this.engine = engine;
  }

  /** h = f(z); h may be z. */
  forward(z: Tensor, h: Tensor): void {
    sameSize(z, h, 'forward');
    this.engine.backend.activation(this.kind, z.size, z.ptr, h.ptr);
  }

  /** dz = f'(z)·dh, given z and h = f(z) from the forward; dz may be dh. */
  backward(z: Tensor, h: Tensor, dh: Tensor, dz: Tensor): void {
    sameSize(z, h, 'backward');
    sameSize(z, dh, 'backward');
    sameSize(z, dz, 'backward');
    this.engine.backend.activationGrad(this.kind, z.size, z.ptr, h.ptr, dh.ptr, dz.ptr);
  }
}

function sameSize(a: Tensor, b: Tensor, op: string): void {
  if (a.size !== b.size) {
    throw new ShapeError(`ActivationStep.${op}: tensors of ${a.size} and ${b.size} elements; they must match`, {
      where: `ActivationStep.${op}`,
    });
  }
}
