import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import type { ResolvedDatasetSpec } from '../../data/index.js';
import { ACTIVATIONS, ConfigError } from '../../engine/index.js';
import { checkConfigDepth, OPTIMIZERS, parseConfig, resolveOptimizerConfig } from '../../nn/index.js';
import { BOOLEAN_MODES, resolveBooleanOptions } from '../../tasks/boolean.js';
import { DatasetTaskSchema, datasetRules, resolveTaskData, withDatasetDefaults } from './dataset-task.js';
import { METHODS } from './trial-record.js';

const posInt = z.number().int().positive();
const count = z.number().int().nonnegative();
/** Seeds are 32-bit, as the task generator takes them. */
const MAX_SEED = 4294967295;

/** The Boolean task of spec section 1; defaults are the spec's. The seed comes from `seeds`. */
const BooleanTaskSchema = z.strictObject({
  kind: z.literal('boolean').default('boolean'),
  mode: z.enum(BOOLEAN_MODES).default('which-clause'),
  n: posInt.default(32),
  m: posInt.default(8),
  k: posInt.default(3),
  trainSize: posInt.default(4096),
  testSize: posInt.default(2048),
});

/** Hidden layers of width h before expansion (spec section 2): one, or `depth` of them (dataset kind only). */
const ModelSchema = z.strictObject({
  h: posInt.default(8),
  activation: z.enum(ACTIVATIONS).default('relu'),
  /** Hidden layers, all of width h (absent: 1); FPE splits every one of them. */
  depth: posInt.optional(),
});

/** Optimizer keys; the kind-specific rules and PyTorch's defaults come from nn's resolveOptimizerConfig. */
const OptimizerSchema = z.strictObject({
  kind: z.enum(OPTIMIZERS).default('adam'),
  // Adam 1e-2: the middle of the plateau the dense baseline reached on the headline cell
  // (1e-3 was ~2 points worse at 2000 epochs; 3e-3..3e-2 were within seed noise)
  lr: z.number().positive().default(1e-2),
  beta1: z.number().optional(),
  beta2: z.number().optional(),
  eps: z.number().optional(),
  weightDecay: z.number().optional(),
  momentum: z.number().optional(),
  nesterov: z.boolean().optional(),
});

/** E1/E2 of spec section 3, plus the loop settings the spec leaves open. */
const TrainingSchema = z.strictObject({
  /** E1: dense epochs before FPE splits the network. */
  warmupEpochs: count.default(1000),
  /** E2: epochs after the split; dense and sparse-init train warmupEpochs + afterSplitEpochs. */
  afterSplitEpochs: count.default(1000),
  optimizer: OptimizerSchema.prefault({}),
  // 16 steps per epoch of 4096: as accurate as 64..512 for the dense baseline, converged by E1
  // (full batch was still climbing at 1000 epochs), and few enough steps to keep a trial ~10 s
  batchSize: posInt.default(256),
  /** Start the optimizer state fresh after the split (`--reset-optimizer`). */
  resetOptimizer: z.boolean().default(false),
  /** Evaluate on the test set every this many epochs (and at the split and the end) for the curves. */
  evalEvery: posInt.default(10),
});

const scalar = z.union([z.number(), z.string(), z.boolean()]);
/** Dotted scalar path -> the values to sweep, e.g. `{ 'task.m': [4, 8, 16] }`. */
const GridSchema = z.record(z.string(), z.array(scalar).min(1));

const WHERE = 'experiment config';
const ALPHA = 'alpha must be an integer >= 2 (FPE splits each neuron into alpha children)';

/** The schema of a Boolean experiment config file (JSON or YAML); unknown keys are errors at every level. */
export const ExperimentConfigSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a name of letters, digits, ".", "_" or "-"'),
  task: BooleanTaskSchema.prefault({}),
  model: ModelSchema.prefault({}),
  methods: z.array(z.enum(METHODS)).min(1).default(['dense', 'sparse-init', 'fpe-random', 'fpe-clause']),
  alpha: z.number().int(ALPHA).min(2, ALPHA).default(2),
  /** A count N (seeds 0..N-1) or an explicit list. */
  seeds: z.union([posInt, z.array(count.max(MAX_SEED)).min(1)]).default(10),
  /** 'overlap' only: each child keeps ceil(overlapFactor·r/alpha) of a row's r inputs (expand's default). */
  overlapFactor: z.number().gt(1).default(1.5),
  training: TrainingSchema.prefault({}),
  /** One cartesian grid, or a list of grids whose union is run (duplicate trials run once). */
  grid: z.union([GridSchema, z.array(GridSchema).min(1)]).default({}),
});

/** The schema of a real-data experiment config: `task: { kind: 'dataset', data: <DatasetSpec> }`, the rest as above. */
export const DatasetExperimentConfigSchema = ExperimentConfigSchema.extend({ task: DatasetTaskSchema });

/** A fully resolved Boolean experiment config (every default filled in). */
export type BooleanExperimentConfig = z.output<typeof ExperimentConfigSchema>;
/** A fully resolved real-data experiment config. */
export type DatasetExperimentConfig = z.output<typeof DatasetExperimentConfigSchema>;
/** A fully resolved experiment config of either task kind. */
export type ExperimentConfig = BooleanExperimentConfig | DatasetExperimentConfig;

const TASK_KINDS = ['boolean', 'dataset'];

/** Validates `value` with the schema of its task kind (so unknown-key errors list that kind's keys). */
function parseExperiment(value: unknown): ExperimentConfig {
  const task = (value as { task?: { kind?: unknown } } | null)?.task;
  const kind = typeof task === 'object' && task !== null ? task.kind : undefined;
  if (kind !== undefined && !TASK_KINDS.includes(kind as string)) {
    throw new ConfigError(
      `invalid ${WHERE}: ${WHERE}.task.kind must be one of ${TASK_KINDS.map((k) => `"${k}"`).join(', ')}, got ${JSON.stringify(kind)}`,
      {
        where: `${WHERE}.task.kind`,
        got: kind,
        allowed: TASK_KINDS.join(', '),
      },
    );
  }
  if (kind !== 'dataset') return parseConfig(ExperimentConfigSchema, value, WHERE);
  const config = parseConfig(DatasetExperimentConfigSchema, value, WHERE);
  return { ...config, task: { ...config.task, data: resolveTaskData(config.task.data, WHERE) } };
}

/** Keys that are axes of the expansion themselves and so cannot be swept in `grid`. */
const NOT_GRIDDABLE = new Set(['name', 'methods', 'seeds', 'grid', 'task.kind']);

/**
 * Validates an experiment config, fills in the defaults and checks every grid point up front;
 * ConfigError names the key path and what is allowed. Example:
 * `resolveExperimentConfig({ name: 'headline', task: { m: 16 }, seeds: 10 })`.
 */
export function resolveExperimentConfig(value: unknown): ExperimentConfig {
  checkConfigDepth(value, WHERE);
  const config = parseExperiment(withDatasetDefaults(value));
  checkTrialCount(config);
  const allowed = griddablePaths(config);
  gridsOf(config).forEach(({ grid, at }) => {
    for (const [path, values] of Object.entries(grid)) {
      if (!allowed.includes(path)) {
        throw new ConfigError(`invalid ${WHERE}: unknown grid key '${at}["${path}"]'; grid keys may be: ${allowed.join(', ')}`, {
          where: `${WHERE}.${at}`,
          got: path,
          allowed: allowed.join(', '),
        });
      }
      values.forEach((v, i) => {
        checkPoint(withValue(config, path, v), `${at}["${path}"][${i}] = ${JSON.stringify(v)}`, false);
      });
    }
  });
  gridPoints(config);
  return config;
}

/**
 * Every grid point of `config`, each a fully resolved and checked config: the union of the
 * cartesian products of its grids, in file order (a point may repeat across grids).
 */
export function gridPoints(config: ExperimentConfig): ExperimentConfig[] {
  const points: ExperimentConfig[] = [];
  for (const { grid, at } of gridsOf(config)) {
    let partial: Array<[ExperimentConfig, string[]]> = [[config, []]];
    for (const [path, values] of Object.entries(grid)) {
      partial = partial.flatMap(([c, label]) =>
        values.map((v): [ExperimentConfig, string[]] => [withValue(c, path, v), [...label, `${path}=${JSON.stringify(v)}`]]),
      );
    }
    for (const [c, label] of partial) points.push(checkPoint(c, label.length === 0 ? undefined : `${at} point ${label.join(', ')}`, true));
  }
  return points;
}

/** Most trials one experiment config may plan (grid points × methods × seeds); a larger sweep is several configs. */
export const MAX_TRIALS = 100_000;

/** Refuses a config whose seeds or grid × methods × seeds pass MAX_TRIALS, before any grid point is built. */
function checkTrialCount(config: ExperimentConfig): void {
  const seeds = typeof config.seeds === 'number' ? config.seeds : config.seeds.length;
  const split = `split the sweep into several configs of at most ${MAX_TRIALS} trials (widen's limit MAX_TRIALS)`;
  if (seeds > MAX_TRIALS) {
    throw new ConfigError(`invalid ${WHERE}: seeds is ${seeds}, above the limit of ${MAX_TRIALS} trials per config; ${split}`, {
      where: `${WHERE}.seeds`,
      got: seeds,
      allowed: `at most ${MAX_TRIALS}`,
    });
  }
  const points = gridsOf(config).reduce((sum, { grid }) => sum + Object.values(grid).reduce((p, values) => p * values.length, 1), 0);
  const trials = points * config.methods.length * seeds;
  if (trials > MAX_TRIALS) {
    throw new ConfigError(
      `invalid ${WHERE}: the grid has ${points} points × ${config.methods.length} methods × ${seeds} seeds = ${trials} trials, above the limit of ${MAX_TRIALS}; ${split}`,
      { where: `${WHERE}.grid`, got: trials, allowed: `at most ${MAX_TRIALS}` },
    );
  }
}

function gridsOf(config: ExperimentConfig): Array<{ grid: Record<string, Array<string | number | boolean>>; at: string }> {
  return Array.isArray(config.grid) ? config.grid.map((grid, g) => ({ grid, at: `grid[${g}]` })) : [{ grid: config.grid, at: 'grid' }];
}

/** `config` with the dotted `path` set to `value` (a copy). */
function withValue(config: ExperimentConfig, path: string, value: unknown): ExperimentConfig {
  const out = structuredClone(config);
  const keys = path.split('.');
  let node = out as unknown as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
  return out;
}

/**
 * Validates one grid point (or the base config) as a whole: the schema again, then (with
 * `crossField`) the rules across fields; `label` says which point in the message.
 */
function checkPoint(config: ExperimentConfig, label: string | undefined, crossField: boolean): ExperimentConfig {
  try {
    const c = parseExperiment(config);
    if (crossField) crossFieldRules(c);
    return c;
  } catch (err) {
    if (!(err instanceof ConfigError) || label === undefined) throw err;
    const inner = err.message.replace(/^invalid experiment config: /, '');
    throw new ConfigError(`invalid ${WHERE}: ${label} is not allowed: ${inner}`, err.details);
  }
}

function crossFieldRules(c: ExperimentConfig): void {
  const fail = (where: string, message: string, got: unknown, allowed: string): never => {
    throw new ConfigError(`invalid ${WHERE}: ${WHERE}.${where} ${message}`, { where: `${WHERE}.${where}`, got, allowed });
  };
  resolveOptimizerConfig(c.training.optimizer, `${WHERE}.training.optimizer`);
  if (c.methods.includes('fpe-schedule') && !Number.isInteger(Math.log2(c.alpha)))
    fail('alpha', `must be a power of 2 for fpe-schedule (repeated alpha = 2 splits), got ${c.alpha}`, c.alpha, '2, 4, 8, ...');
  if (c.task.kind === 'dataset') {
    datasetRules(c.methods, c.task.data as ResolvedDatasetSpec, WHERE);
    return;
  }
  if (c.model.depth !== undefined && c.model.depth !== 1)
    fail('model.depth', `must be 1 for the Boolean task (one hidden layer), got ${c.model.depth}`, c.model.depth, '1');
  // the task's own validation, without sampling: k <= n, enough distinct clauses, m >= 2 classes
  const { kind: _kind, ...task } = c.task;
  try {
    resolveBooleanOptions(task);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const key = (err.details.where ?? '').replace(/^boolean\./, '');
    fail(`task.${key}`, `is impossible: ${err.message}`, err.details.got, err.details.allowed ?? '');
  }
  const { n } = c.task;
  if (c.alpha > n) fail('alpha', `must be <= task.n = ${n} (each child needs an input of its own), got ${c.alpha}`, c.alpha, `<= ${n}`);
  if (c.methods.includes('overlap') && c.overlapFactor > c.alpha) {
    fail(
      'overlapFactor',
      `must be in (1, alpha] = (1, ${c.alpha}] (a child cannot keep more than all inputs), got ${c.overlapFactor}`,
      c.overlapFactor,
      `(1, ${c.alpha}]`,
    );
  }
}

/** Dotted paths of the scalar settings a grid may sweep, in schema order. */
function griddablePaths(config: ExperimentConfig): string[] {
  const out: string[] = [];
  const walk = (node: unknown, prefix: string): void => {
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      const path = prefix + k;
      if (NOT_GRIDDABLE.has(path)) continue;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) walk(v, `${path}.`);
      else out.push(path);
    }
  };
  walk(config, '');
  // optional keys are absent until set, but may still be swept
  const optional = ['beta1', 'beta2', 'eps', 'weightDecay', 'momentum', 'nesterov'].map((k) => `training.optimizer.${k}`);
  for (const path of [...optional, 'model.depth']) if (!out.includes(path)) out.push(path);
  return out;
}

/**
 * Parses and validates the text of an experiment config file named `file` (`.json`, or YAML for
 * any other extension). ConfigError names the file, and the line and column of a YAML syntax error.
 */
export function parseExperimentConfigText(text: string, file: string): ExperimentConfig {
  let value: unknown;
  try {
    value = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const line = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
    const first = (err as Error).message.split('\n')[0];
    throw new ConfigError(`experiment config ${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}${line}: ${first}`, {
      where: file,
    });
  }
  try {
    return resolveExperimentConfig(value);
  } catch (err) {
    if (err instanceof ConfigError) err.message = `${file}: ${err.message}`;
    throw err;
  }
}
