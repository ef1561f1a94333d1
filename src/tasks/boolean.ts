import { ConfigError, Rng } from '../engine/index.js';
import type { Dataset } from '../nn/index.js';
import { BOOLEAN_MODES, type BooleanMode, type ClauseTable, distinctClauseCount, drawClauses, sampleSet } from './boolean-sample.js';

export { BOOLEAN_MODES, type BooleanMode };

/** Options of makeBooleanTask; every key is optional and defaults to BOOLEAN_DEFAULTS. */
export interface BooleanTaskOptions {
  /** Input variables. */
  n?: number;
  /** Clauses. */
  m?: number;
  /** Literals per clause, on k distinct variables. */
  k?: number;
  mode?: BooleanMode;
  trainSize?: number;
  testSize?: number;
  /** Integer in [0, 2^32 - 1]; the clauses, the train set and the test set come from independent forks. */
  seed?: number;
}

/** Options with every default filled in, as stored in a run record. */
export type ResolvedBooleanOptions = Required<BooleanTaskOptions>;

/** The spec's defaults: n 32, m 8, k 3, 'which-clause', 4096 train and 2048 test samples, seed 0. */
export const BOOLEAN_DEFAULTS: Readonly<ResolvedBooleanOptions> = Object.freeze({
  n: 32,
  m: 8,
  k: 3,
  mode: 'which-clause',
  trainSize: 4096,
  testSize: 2048,
  seed: 0,
});

/** A conjunction of literals: literal t is true when x[vars[t]] === signs[t]; vars are distinct and ascending. */
export interface Clause {
  vars: number[];
  signs: (1 | -1)[];
}

/** A sampled Boolean task: resolved options, the clause list, two independent splits, and what the model needs. */
export interface BooleanTask {
  options: ResolvedBooleanOptions;
  clauses: Clause[];
  /** x is [size, n] in {-1, +1}; y holds Int32 labels [size] ('which-clause') or Float32 0/1 targets [size, outputs]. */
  train: Dataset;
  test: Dataset;
  /** Model outputs: m for 'which-clause' and 'multi-label', 1 for 'dnf'. */
  outputs: number;
  loss: 'cross-entropy' | 'bce';
}

const MAX_SEED = 4294967295;

/**
 * A seeded Boolean code task: m random k-literal clauses over n ±1 variables and train/test sets
 * labelled by the mode. Example:
 * `const { train, test, clauses, outputs, loss } = makeBooleanTask({ n: 32, m: 16, mode: 'which-clause', seed: 3 })`.
 */
export function makeBooleanTask(options: BooleanTaskOptions = {}): BooleanTask {
  const o = resolveBooleanOptions(options);
  const rng = new Rng(o.seed);
  // three forks, so the train and test streams do not depend on how many clause sets were redrawn
  const table = drawClauses(o, rng.fork(0));
  const train = sampleSet(o, table, o.trainSize, rng.fork(1));
  const test = sampleSet(o, table, o.testSize, rng.fork(2));
  return {
    options: o,
    clauses: toClauses(table, o.m, o.k),
    train,
    test,
    outputs: o.mode === 'dnf' ? 1 : o.m,
    loss: o.mode === 'which-clause' ? 'cross-entropy' : 'bce',
  };
}

/** Fills in the defaults and validates every option; ConfigError names the option and what is allowed. */
export function resolveBooleanOptions(options: BooleanTaskOptions = {}): ResolvedBooleanOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError(`boolean task options must be an object, got ${show(options)}`, { where: 'boolean', got: options });
  }
  const allowed = Object.keys(BOOLEAN_DEFAULTS);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(`unknown boolean option '${key}'; allowed: ${allowed.join(', ')}`, {
        where: `boolean.${key}`,
        allowed: allowed.join(', '),
      });
    }
  }
  const o: ResolvedBooleanOptions = { ...BOOLEAN_DEFAULTS };
  for (const [key, value] of Object.entries(options)) if (value !== undefined) Object.assign(o, { [key]: value });
  if (!(BOOLEAN_MODES as readonly unknown[]).includes(o.mode)) {
    const list = BOOLEAN_MODES.map((m) => `'${m}'`).join(', ');
    throw new ConfigError(`boolean option 'mode' must be one of ${list}, got ${show(o.mode)}`, {
      where: 'boolean.mode',
      got: o.mode,
      allowed: BOOLEAN_MODES.join(', '),
    });
  }
  checkInteger('n', o.n, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('k', o.k, 1, o.n, `; a clause has k literals on k distinct variables of the n = ${o.n}`);
  const minM = o.mode === 'which-clause' ? 2 : 1;
  checkInteger('m', o.m, minM, Number.MAX_SAFE_INTEGER, minM === 2 ? "; mode 'which-clause' needs at least 2 classes" : '');
  const distinct = distinctClauseCount(o.n, o.k);
  if (o.m > distinct) {
    throw new ConfigError(
      `boolean option 'm' = ${o.m} exceeds the ${distinct} distinct clauses of k = ${o.k} literals over n = ${o.n} variables (C(n, k)·2^k); lower m or raise n`,
      { where: 'boolean.m', got: o.m, allowed: `<= ${distinct}` },
    );
  }
  checkInteger('trainSize', o.trainSize, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('testSize', o.testSize, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('seed', o.seed, 0, MAX_SEED);
  return o;
}

function checkInteger(key: string, value: unknown, min: number, max: number, why = ''): void {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return;
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
  throw new ConfigError(`boolean option '${key}' must be an integer ${range}, got ${show(value)}${why}`, {
    where: `boolean.${key}`,
    got: value,
    allowed: range,
  });
}

function show(v: unknown): string {
  return typeof v === 'number' ? String(v) : JSON.stringify(v);
}

function toClauses(table: ClauseTable, m: number, k: number): Clause[] {
  const out: Clause[] = [];
  for (let c = 0; c < m; c++) {
    const at = c * k;
    out.push({ vars: Array.from(table.vars.subarray(at, at + k)), signs: Array.from(table.signs.subarray(at, at + k)) as (1 | -1)[] });
  }
  return out;
}
