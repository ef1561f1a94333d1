import { ConfigError, NumericError, ShapeError } from '../engine/index.js';
import { firstNonFinite } from './compact.js';

/** Loss functions; each takes the MLP's raw outputs (logits). */
export const LOSSES = ['cross-entropy', 'bce', 'mse'] as const;
/** Name of a loss: softmax cross-entropy on labels, binary cross-entropy on logits, or mean squared error. */
export type LossName = (typeof LOSSES)[number];

/**
 * widen's one labelled-data type: a set (or one batch) in sample-major layout. x is [size, in]
 * row-major; y holds Int32 class labels [size] for cross-entropy, or Float32 targets [size, out]
 * for bce and mse. Classification sets from the data loaders and makeBlobs are
 * `Required<Dataset<Int32Array>>`: they also know their width and class count. A task's structure
 * (clauses, ...) lives on the task, not here.
 */
export interface Dataset<Y extends Int32Array | Float32Array = Int32Array | Float32Array> {
  x: Float32Array;
  y: Y;
  size: number;
  /** Features per sample: x is [size, features]. */
  features?: number;
  /** Classes, when y holds class indices in [0, classes). */
  classes?: number;
}

/** Checks a loss name and returns it; ConfigError lists the allowed names. */
export function parseLoss(name: unknown, where: string): LossName {
  if (typeof name === 'string' && (LOSSES as readonly string[]).includes(name)) return name as LossName;
  throw new ConfigError(`unknown loss ${JSON.stringify(name)} at ${where}; allowed: ${LOSSES.join(', ')}`, {
    where,
    got: name,
    allowed: LOSSES.join(', '),
  });
}

/**
 * Checks x and y of `data` against a model with `inF` inputs and `outF` outputs for `loss`:
 * ShapeError for wrong lengths or labels out of range, NumericError for NaN/Inf values.
 * `scanX: false` leaves the NaN/Inf check of x to the caller, which stages x in the engine and
 * counts there (MLP.stageInputs): a JS scan costs ~1 ns a value, a third of a 784-input step.
 */
export function checkDataset(data: Dataset, inF: number, outF: number, loss: LossName, where: string, scanX = true): void {
  const { x, y, size } = data;
  if (!Number.isInteger(size) || size < 1)
    throw new ShapeError(`${where}.size must be an integer >= 1, got ${size}`, { where: `${where}.size`, got: size });
  if (!(x instanceof Float32Array) || x.length !== size * inF) {
    throw new ShapeError(
      `${where}.x must be a Float32Array of size x in = ${size} x ${inF} = ${size * inF} values, got ${x?.length ?? x}`,
      {
        where: `${where}.x`,
        got: x?.length,
        allowed: String(size * inF),
      },
    );
  }
  if (scanX) checkFinite(x, inF, `${where}.x`);
  if (loss === 'cross-entropy') {
    if (!(y instanceof Int32Array) || y.length !== size) {
      throw new ShapeError(`${where}.y must be an Int32Array of ${size} class labels for cross-entropy, got ${describe(y)}`, {
        where: `${where}.y`,
        allowed: `Int32Array[${size}]`,
      });
    }
    for (let i = 0; i < size; i++) {
      if (y[i] < 0 || y[i] >= outF) {
        throw new ShapeError(
          `${where}.y[${i}] = ${y[i]} is not a class of a model with ${outF} outputs; labels must be in [0, ${outF - 1}]`,
          {
            where: `${where}.y`,
            got: y[i],
            allowed: `0..${outF - 1}`,
          },
        );
      }
    }
    return;
  }
  if (!(y instanceof Float32Array) || y.length !== size * outF) {
    throw new ShapeError(
      `${where}.y must be a Float32Array of size x out = ${size} x ${outF} = ${size * outF} targets for ${loss}, got ${describe(y)}`,
      {
        where: `${where}.y`,
        allowed: `Float32Array[${size * outF}]`,
      },
    );
  }
  checkFinite(y, outF, `${where}.y`);
}

/** Throws NumericError naming `what` and the [row, col] of the first NaN/Inf in a [rows, cols] array. */
export function checkFinite(a: Float32Array, cols: number, what: string): void {
  const i = firstNonFinite(a);
  if (i < 0) return;
  throw new NumericError(`${what}[${Math.floor(i / cols)}, ${i % cols}] is ${a[i]}; inputs must be finite`, { where: what, got: a[i] });
}

function describe(y: unknown): string {
  if (y instanceof Int32Array || y instanceof Float32Array) return `${y.constructor.name}[${y.length}]`;
  return y === null || typeof y !== 'object' ? String(y) : (y.constructor?.name ?? 'object');
}
