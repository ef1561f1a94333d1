import { ConfigError, ShapeError } from '../engine/index.js';
import { checkCount } from './check.js';

/** The Boolean task modes, by their names in src/tasks (measure does not import tasks). */
export type TaskMode = 'which-clause' | 'multi-label' | 'dnf';

/** Per-output binary metrics of a multi-label model; `accuracy` is the mean per-output accuracy. */
export interface MultiLabelMetrics {
  accuracy: number;
  /** Fraction of samples whose every output is right. */
  exactMatch: number;
  /** Mean of the per-output F1 scores. */
  macroF1: number;
  /** [outputs]: F1 of each output. */
  f1: Float64Array;
}

/** A mode's metrics: `accuracy` always (mode 'multi-label': mean per-output accuracy), plus exactMatch and macroF1 for 'multi-label'. */
export interface TaskMetrics {
  accuracy: number;
  exactMatch?: number;
  macroF1?: number;
}

/** Fraction of samples whose largest logit (first on ties) is the label; logits [size, outputs] row-major. */
export function argmaxAccuracy(logits: Float32Array, labels: Int32Array, outputs: number): number {
  checkCount(outputs, 1, 'argmaxAccuracy outputs');
  const size = checkRows(logits, labels.length, outputs, 'argmaxAccuracy logits');
  let correct = 0;
  for (let s = 0; s < size; s++) {
    let best = 0;
    for (let c = 1; c < outputs; c++) if (logits[s * outputs + c] > logits[s * outputs + best]) best = c;
    if (best === labels[s]) correct++;
  }
  return correct / size;
}

/**
 * Fraction of entries where sigmoid(logit) > 0.5 (logit > 0) agrees with target >= 0.5 (as nn's
 * evaluate counts bce); logits and targets have the same layout, e.g. [size, 1] for mode 'dnf'.
 */
export function binaryAccuracy(logits: Float32Array, targets: Float32Array): number {
  checkRows(logits, targets.length, 1, 'binaryAccuracy logits');
  let correct = 0;
  for (let i = 0; i < logits.length; i++) if (logits[i] > 0 === targets[i] >= 0.5) correct++;
  return correct / logits.length;
}

/**
 * Mean per-output accuracy, exact-match accuracy and macro-F1 of logits [size, outputs] against
 * 0/1 targets [size, outputs]. F1 of an output is 2TP / (2TP + FP + FN); an output with no
 * positive targets and no positive predictions scores 1 (nothing to find, nothing claimed), as
 * sklearn's f1_score(..., zero_division=1).
 */
export function multiLabelMetrics(logits: Float32Array, targets: Float32Array, outputs: number): MultiLabelMetrics {
  checkCount(outputs, 1, 'multiLabelMetrics outputs');
  const size = checkRows(logits, targets.length / outputs, outputs, 'multiLabelMetrics logits');
  const tp = new Float64Array(outputs);
  const wrong = new Float64Array(outputs); // FP + FN
  let exact = 0;
  for (let s = 0; s < size; s++) {
    let allRight = true;
    for (let c = 0; c < outputs; c++) {
      const predicted = logits[s * outputs + c] > 0;
      const actual = targets[s * outputs + c] >= 0.5;
      if (predicted !== actual) {
        wrong[c]++;
        allRight = false;
      } else if (actual) tp[c]++;
    }
    if (allRight) exact++;
  }
  const f1 = new Float64Array(outputs);
  let wrongTotal = 0;
  for (let c = 0; c < outputs; c++) {
    f1[c] = tp[c] + wrong[c] === 0 ? 1 : (2 * tp[c]) / (2 * tp[c] + wrong[c]);
    wrongTotal += wrong[c];
  }
  return { accuracy: 1 - wrongTotal / (size * outputs), exactMatch: exact / size, macroF1: f1.reduce((a, b) => a + b, 0) / outputs, f1 };
}

/**
 * The metrics of a task mode from a model's logits [size, outputs] and the set's y (Int32 labels for
 * 'which-clause', 0/1 Float32 targets otherwise). Example:
 * `taskMetrics('which-clause', model.predict(test.x, test.size), test.y, outputs).accuracy`.
 */
export function taskMetrics(mode: TaskMode, logits: Float32Array, y: Int32Array | Float32Array, outputs: number): TaskMetrics {
  if (mode === 'which-clause') {
    if (!(y instanceof Int32Array)) throw wrongY(mode, 'an Int32Array of labels');
    return { accuracy: argmaxAccuracy(logits, y, outputs) };
  }
  if (!(y instanceof Float32Array)) throw wrongY(mode, 'a Float32Array of 0/1 targets');
  if (mode === 'dnf') {
    if (outputs !== 1)
      throw new ConfigError(`mode 'dnf' has one output, got outputs = ${outputs}`, { where: 'taskMetrics outputs', got: outputs });
    return { accuracy: binaryAccuracy(logits, y) };
  }
  if (mode === 'multi-label') {
    const { accuracy, exactMatch, macroF1 } = multiLabelMetrics(logits, y, outputs);
    return { accuracy, exactMatch, macroF1 };
  }
  throw new ConfigError(`unknown task mode ${JSON.stringify(mode)}; allowed: which-clause, multi-label, dnf`, {
    where: 'taskMetrics mode',
    got: mode,
  });
}

function wrongY(mode: TaskMode, what: string): ShapeError {
  return new ShapeError(`taskMetrics mode '${mode}' needs y as ${what}`, { where: 'taskMetrics y' });
}

/** Checks logits holds size × outputs values for a whole number `size` >= 1 and returns size. */
function checkRows(logits: Float32Array, size: number, outputs: number, where: string): number {
  if (Number.isInteger(size) && size >= 1 && logits.length === size * outputs) return size;
  throw new ShapeError(`${where} must hold size x outputs = ${size} x ${outputs} values, got ${logits.length}`, {
    where,
    got: logits.length,
    allowed: String(size * outputs),
  });
}
