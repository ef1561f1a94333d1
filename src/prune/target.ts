import { z } from 'zod';
import { ConfigError, NumericError, ShapeError } from '../engine/index.js';

/** An N:M pattern: `n` weights kept of every `m` consecutive inputs of a row (2:4 is { n: 2, m: 4 }). */
export interface NmPattern {
  n: number;
  m: number;
}

/** What to prune to: exactly one of `sparsity` (unstructured, fraction of zeros in [0, 1)) or `nm`. */
export interface PruneTarget {
  sparsity?: number;
  nm?: NmPattern;
}

/** Options of the single-layer pruners: the target plus a layer name for error messages ['layer']. */
export interface LayerPruneOptions extends PruneTarget {
  name?: string;
}

/**
 * A weight matrix to prune: dense row-major [out, in] and an optional existing mask (0 = already
 * pruned: stays 0 and counts towards the sparsity). `LayerWeights` of MLP.fromWeights fits.
 */
export interface PruneLayer {
  weight: Float32Array;
  mask?: Uint8Array;
  inFeatures: number;
  outFeatures: number;
}

/** Calibration inputs of one layer: x [size, in] row-major, e.g. collected through the earlier layers. */
export interface Calibration {
  x: Float32Array;
  size: number;
}

/** A pruned layer: mask [out, in] (1 = kept) and the weight [out, in], exactly 0 where the mask is 0. */
export interface PruneResult {
  mask: Uint8Array;
  weight: Float32Array;
}

/** A checked target. */
export type ResolvedTarget = { kind: 'unstructured'; sparsity: number } | { kind: 'nm'; n: number; m: number };

/**
 * Parses `options` with a strict zod schema (STYLE.md: one validation style) and returns them
 * typed. A ConfigError names `where`: unknown keys with the allowed ones, else the first bad value
 * in schema order with the schema's text for it. Checks that need the model (N:M widths,
 * calibration shapes) stay with resolveTarget and checkCalibration.
 */
export function parseOptions<T extends z.ZodObject>(schema: T, options: unknown, where: string): z.output<T> {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(`${where}: options must be an object, got ${String(options)}`, { where, got: options });
  }
  const result = schema.safeParse(options, { reportInput: true });
  if (result.success) return result.data;
  const issues = result.error.issues;
  const unknown = issues.find((i) => i.code === 'unrecognized_keys');
  if (unknown !== undefined) {
    const allowed = Object.keys(schema.shape);
    throw new ConfigError(`${where}: unknown option ${unknown.keys.map((k) => `'${k}'`).join(', ')}; allowed: ${allowed.join(', ')}`, {
      where,
      got: unknown.keys,
      allowed: allowed.join(', '),
    });
  }
  const [issue] = issues;
  throw new ConfigError(`${where}: ${issue.message}`, { where: `${where}.${issue.path.map(String).join('.')}`, got: issue.input });
}

/** A zod integer >= min whose every failure reads `${key} must be an integer >= ${min}${hint}, got <value>`. */
export function integerOption(key: string, min: number, hint = ''): z.ZodNumber {
  const error = (issue: { input?: unknown }): string => `${key} must be an integer >= ${min}${hint}, got ${String(issue.input)}`;
  return z.number({ error }).int({ error }).min(min, { error });
}

/** A zod enum whose failure reads `unknown ${what} "<value>"; allowed: a, b, c`. */
export function nameOption<const T extends readonly [string, ...string[]]>(what: string, names: T): z.ZodEnum<{ [K in T[number]]: K }> {
  return z.enum(names, { error: (issue) => `unknown ${what} ${JSON.stringify(issue.input)}; allowed: ${names.join(', ')}` });
}

/** The options every one-layer pruner takes: a target (checked by resolveTarget) and a name for messages. */
export const LAYER_OPTIONS = {
  sparsity: z.unknown().optional(),
  nm: z.unknown().optional(),
  name: z.unknown().optional(),
};

/** Checks a target against a layer of `inFeatures` inputs: exactly one of sparsity in [0, 1) or nm with n <= m and m | inFeatures. */
export function resolveTarget(target: PruneTarget, inFeatures: number, where: string): ResolvedTarget {
  const { sparsity, nm } = target;
  if ((sparsity === undefined) === (nm === undefined)) {
    throw new ConfigError(
      `${where}: give exactly one of sparsity (unstructured, in [0, 1), e.g. sparsity: 0.5) or nm (n kept of every m inputs, e.g. nm: { n: 2, m: 4 })`,
      { where, got: target, allowed: 'sparsity or nm' },
    );
  }
  if (sparsity !== undefined) {
    if (typeof sparsity !== 'number' || !(sparsity >= 0 && sparsity < 1)) {
      throw new ConfigError(`${where}: sparsity must be a number in [0, 1) (the fraction of weights set to 0), got ${sparsity}`, {
        where: `${where}.sparsity`,
        got: sparsity,
        allowed: '[0, 1)',
      });
    }
    return { kind: 'unstructured', sparsity };
  }
  const { n, m } = nm as NmPattern;
  if (!Number.isInteger(m) || m < 1 || !Number.isInteger(n) || n < 1) {
    throw new ConfigError(`${where}: nm.n and nm.m must be integers >= 1, got ${n}:${m}`, { where: `${where}.nm`, got: nm });
  }
  if (n > m) {
    throw new ConfigError(`${where}: nm.n = ${n} exceeds nm.m = ${m}; N:M keeps n of every m consecutive inputs, so 1 <= n <= m`, {
      where: `${where}.nm`,
      got: nm,
      allowed: 'n <= m',
    });
  }
  if (inFeatures % m !== 0) {
    const divisors = Array.from({ length: inFeatures }, (_, i) => i + 1).filter((d) => inFeatures % d === 0);
    const shown = divisors.length > 12 ? [...divisors.slice(0, 12), '...'] : divisors;
    throw new ShapeError(
      `${where}: nm.m = ${m} does not divide the input width ${inFeatures}; N:M groups m consecutive inputs of each row, so m must be one of ${shown.join(', ')}`,
      { where: `${where}.nm.m`, got: m, allowed: `a divisor of ${inFeatures}` },
    );
  }
  return { kind: 'nm', n, m };
}

/** Checks a layer's sizes, weight (finite, out·in values) and mask; returns the mask as 0/1 (all 1 when absent). */
export function checkLayer(layer: PruneLayer, where: string): Uint8Array {
  const { weight, mask, inFeatures: inF, outFeatures: out } = layer ?? ({} as PruneLayer);
  for (const [key, v] of [
    ['inFeatures', inF],
    ['outFeatures', out],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new ShapeError(`${where}: ${key} must be an integer >= 1, got ${v}`, { where: `${where}.${key}`, got: v });
    }
  }
  if (!(weight instanceof Float32Array) || weight.length !== out * inF) {
    throw new ShapeError(
      `${where}: weight must be a Float32Array of out x in = ${out} x ${inF} = ${out * inF} values, got ${weight?.length}`,
      {
        where: `${where}.weight`,
        got: weight?.length,
        allowed: String(out * inF),
      },
    );
  }
  checkFinite(weight, inF, `${where}: weight`);
  if (mask === undefined) return new Uint8Array(out * inF).fill(1);
  if (!(mask instanceof Uint8Array) || mask.length !== out * inF) {
    throw new ShapeError(`${where}: mask must be a Uint8Array of out x in = ${out * inF} entries, got ${mask?.length}`, {
      where: `${where}.mask`,
      got: mask?.length,
      allowed: String(out * inF),
    });
  }
  return mask.map((k) => (k !== 0 ? 1 : 0));
}

/** Checks calibration inputs for a layer of `inF` inputs: at least one sample, rows of width inF, finite values. */
export function checkCalibration(calibration: Calibration, inF: number, where: string): void {
  if (calibration === null || typeof calibration !== 'object') {
    throw new ShapeError(`${where}: calibration inputs are required: { x: Float32Array [size, ${inF}], size }, got ${calibration}`, {
      where: `${where}.calibration`,
      got: calibration,
    });
  }
  const { x, size } = calibration;
  if (size === 0 || x?.length === 0) {
    throw new ShapeError(
      `${where}: the calibration set is empty; pass at least one sample (SparseGPT wants about as many as the input width, ${inF})`,
      {
        where: `${where}.calibration`,
        got: 0,
        allowed: '>= 1 sample',
      },
    );
  }
  if (!Number.isInteger(size) || size < 1) {
    throw new ShapeError(`${where}: calibration.size must be an integer >= 1, got ${size}`, {
      where: `${where}.calibration.size`,
      got: size,
    });
  }
  if (!(x instanceof Float32Array) || x.length !== size * inF) {
    throw new ShapeError(
      `${where}: calibration.x must be a Float32Array of size x in = ${size} x ${inF} = ${size * inF} values (rows of the layer's input width ${inF}), got ${x?.length}`,
      { where: `${where}.calibration.x`, got: x?.length, allowed: String(size * inF) },
    );
  }
  checkFinite(x, inF, `${where}: calibration.x`);
}

function checkFinite(a: Float32Array, cols: number, what: string): void {
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) {
      throw new NumericError(`${what}[${Math.floor(i / cols)}, ${i % cols}] is ${a[i]}; values must be finite`, { where: what, got: a[i] });
    }
  }
}
