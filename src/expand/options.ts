import { z } from 'zod';
import { ConfigError, Rng, ShapeError } from '../engine/index.js';
import { type LayerPath, type MLP, type Optimizer, parseConfig } from '../nn/index.js';
import type { ClauseVars } from '../tasks/index.js';
import type { GramDistance } from './gram-clusters.js';

/** How a neuron's non-zero inputs are dealt to its children (spec boolean-tasks.md §3). */
export const SPLIT_STRATEGIES = ['random', 'clause', 'gram', 'overlap'] as const;
/** Name of a split strategy; 'overlap' is the paper's control with overlapping child inputs. */
export type SplitStrategy = (typeof SPLIT_STRATEGIES)[number];

/**
 * Options of Fixed Parameter Expansion. Defaults: alpha 2, strategy 'random', every hidden
 * layer, seed 0, resetOptimizer false, overlapFactor 1.5, gramDistance 'cosine' (the spec's; 'abs-cosine' also groups a literal with its negation),
 * gramRestarts 4, gramIterations 100, path 'auto'. Hidden layer k is the output of `model.layers[k]`.
 */
export interface FpeOptions {
  /** Children per split neuron: an integer >= 2. */
  alpha?: number;
  strategy?: SplitStrategy;
  /** Hidden layers to split, each in 0..depth-2; default all of them. */
  layers?: readonly number[];
  /** Required by 'clause': variables index the network inputs, so only hidden layer 0 sees them. */
  clauses?: readonly ClauseVars[];
  /** Seeds 'random' and 'overlap' shuffles and the 'gram' k-means; an Rng given here is advanced. */
  seed?: number | Rng;
  /** Start the returned optimizer fresh (zero state, step 0) instead of carrying the state over. */
  resetOptimizer?: boolean;
  /** 'overlap': each child keeps min(r, ceil(overlapFactor·r/alpha)) of a row's r inputs; in (1, alpha]. */
  overlapFactor?: number;
  /** 'gram': compare Gram rows by 1 − |cos| (a negated literal clusters with its clause) or 1 − cos. */
  gramDistance?: GramDistance;
  /** 'gram': k-means runs from different seeds; the lowest inertia wins. */
  gramRestarts?: number;
  /** 'gram': at most this many k-means iterations per run. */
  gramIterations?: number;
  /** Execution path of the new model's layers. */
  path?: LayerPath;
}

/** FpeOptions with every default filled in and every value checked against the model. */
export interface ResolvedFpeOptions {
  alpha: number;
  strategy: SplitStrategy;
  /** Split hidden layers, ascending. */
  layers: number[];
  clauses: readonly ClauseVars[];
  rng: Rng;
  resetOptimizer: boolean;
  overlapFactor: number;
  gramDistance: GramDistance;
  gramRestarts: number;
  gramIterations: number;
  path: LayerPath;
}

const ALPHA = 'must be an integer >= 2 (children per neuron, e.g. alpha: 2)';
const schema = z.strictObject({
  alpha: z.number().int({ error: ALPHA }).min(2, { error: ALPHA }).optional(),
  strategy: z.enum(SPLIT_STRATEGIES).optional(),
  layers: z.array(z.number().int().min(0)).optional(),
  clauses: z.array(z.object({ vars: z.array(z.number()) })).optional(),
  seed: z.union([z.number().int(), z.instanceof(Rng)]).optional(),
  resetOptimizer: z.boolean().optional(),
  overlapFactor: z.number().gt(1).optional(),
  gramDistance: z.enum(['abs-cosine', 'cosine']).optional(),
  gramRestarts: z.number().int().min(1).optional(),
  gramIterations: z.number().int().min(1).optional(),
  path: z.enum(['auto', 'csr', 'dense']).optional(),
});

/**
 * Checks FpeOptions against `model` (and the optimizer, when given) before any work is done and
 * fills in the defaults; throws ConfigError/ShapeError naming the bad value and what is allowed.
 */
export function resolveFpeOptions(model: MLP, options: FpeOptions, optimizer?: Optimizer): ResolvedFpeOptions {
  const o = parseConfig(schema, options ?? {}, 'FpeOptions');
  const alpha = o.alpha ?? 2;
  const strategy = o.strategy ?? 'random';
  const hidden = model.layers.length - 1;
  const layers = checkLayers(o.layers ?? [...Array(hidden).keys()], hidden);
  const overlapFactor = o.overlapFactor ?? 1.5;
  if (overlapFactor > alpha) {
    throw new ConfigError(`FpeOptions.overlapFactor must be in (1, alpha] = (1, ${alpha}], got ${overlapFactor}`, {
      where: 'FpeOptions.overlapFactor',
      got: overlapFactor,
      allowed: `(1, ${alpha}]`,
    });
  }
  const clauses = strategy === 'clause' ? checkClauses(o.clauses, model.inFeatures) : [];
  checkRows(model, layers, alpha);
  if (optimizer !== undefined) checkOptimizer(model, optimizer);
  return {
    alpha,
    strategy,
    layers,
    clauses,
    rng: o.seed instanceof Rng ? o.seed : new Rng(o.seed ?? 0),
    resetOptimizer: o.resetOptimizer ?? false,
    overlapFactor,
    gramDistance: o.gramDistance ?? 'cosine',
    gramRestarts: o.gramRestarts ?? 4,
    gramIterations: o.gramIterations ?? 100,
    path: o.path ?? 'auto',
  };
}

function checkLayers(layers: number[], hidden: number): number[] {
  const allowed = hidden === 0 ? 'none: the model has no hidden layer' : `0..${hidden - 1}`;
  if (layers.length === 0) {
    throw new ConfigError(`FpeOptions.layers lists no hidden layer to split; allowed hidden layers: ${allowed}`, {
      where: 'FpeOptions.layers',
      got: layers,
      allowed,
    });
  }
  const seen = new Set<number>();
  for (const [i, k] of layers.entries()) {
    if (k >= hidden || seen.has(k)) {
      const why = seen.has(k) ? 'is listed twice' : 'is not a hidden layer of this MLP';
      throw new ConfigError(`FpeOptions.layers[${i}] = ${k} ${why}; allowed hidden layers: ${allowed}`, {
        where: `FpeOptions.layers[${i}]`,
        got: k,
        allowed,
      });
    }
    seen.add(k);
  }
  return [...seen].sort((a, b) => a - b);
}

function checkClauses(clauses: ClauseVars[] | undefined, inputs: number): ClauseVars[] {
  if (clauses === undefined) {
    throw new ConfigError("strategy 'clause' needs FpeOptions.clauses (the task's clause list, e.g. task.clauses)", {
      where: 'FpeOptions.clauses',
      allowed: 'an array of { vars: number[] }',
    });
  }
  for (const [i, c] of clauses.entries()) {
    for (const [j, v] of c.vars.entries()) {
      if (!Number.isInteger(v) || v < 0 || v >= inputs) {
        throw new ConfigError(`FpeOptions.clauses[${i}].vars[${j}] = ${v} is not an input index of this MLP (0..${inputs - 1})`, {
          where: `FpeOptions.clauses[${i}].vars[${j}]`,
          got: v,
          allowed: `integers in 0..${inputs - 1}`,
        });
      }
    }
  }
  return clauses;
}

/** Every split row needs alpha non-zero inputs, counted after the previous layer's split duplicated its columns. */
function checkRows(model: MLP, layers: number[], alpha: number): void {
  for (const k of layers) {
    const l = model.layers[k];
    const mask = l.mask();
    const dup = layers.includes(k - 1) ? alpha : 1;
    for (let r = 0; r < l.outFeatures; r++) {
      let nnz = 0;
      for (let c = 0; c < l.inFeatures; c++) nnz += mask[r * l.inFeatures + c];
      if (nnz * dup < alpha) {
        throw new ConfigError(
          `alpha ${alpha} exceeds the ${nnz * dup} non-zero inputs of row ${r} of layers.${k} (hidden layer ${k}); each child needs at least one input: lower alpha or leave layer ${k} out of FpeOptions.layers`,
          { where: `layers.${k}.weight[${r}]`, got: alpha, allowed: `<= ${nnz * dup}` },
        );
      }
    }
  }
}

/** The optimizer must hold state for exactly this model's parameters. */
function checkOptimizer(model: MLP, optimizer: Optimizer): void {
  const state = optimizer.exportState();
  for (const p of model.params()) {
    for (const s of optimizer.slots) {
      const buf = state.buffers[`${p.name}.${s}`];
      if (buf?.length !== p.value.size) {
        throw new ShapeError(
          `the optimizer's ${p.name}.${s} holds ${buf?.length ?? 'no'} values but the model's ${p.name} has ${p.value.size}; pass the optimizer that trains this model`,
          { where: `${p.name}.${s}`, got: buf?.length, allowed: String(p.value.size) },
        );
      }
    }
  }
}
