import { z } from 'zod';
import { ConfigError, Rng, ShapeError } from '../engine/index.js';
import { type LayerPath, type MLP, type Optimizer, parseConfig } from '../nn/index.js';
import type { ClauseVars } from '../tasks/index.js';
import type { GramDistance } from './gram-clusters.js';

/** How a neuron's non-zero inputs are dealt to its children (spec boolean-tasks.md §3). */
export const SPLIT_STRATEGIES = ['random', 'clause', 'gram', 'overlap'] as const;
/** Name of a split strategy; 'overlap' is the paper's control with overlapping child inputs. */
export type SplitStrategy = (typeof SPLIT_STRATEGIES)[number];
/** What the children do with the parent's outgoing weights: each child copies them (the paper), or they divide them. */
export const OUTGOING_MODES = ['copy', 'partition'] as const;
/** One of OUTGOING_MODES. */
export type OutgoingMode = (typeof OUTGOING_MODES)[number];
/** Which child keeps a partitioned outgoing weight: dealt at random, or the child holding the output's clause. */
export const OUTGOING_ROUTES = ['random', 'clause'] as const;
/** One of OUTGOING_ROUTES. */
export type OutgoingRoute = (typeof OUTGOING_ROUTES)[number];
/** Where the budget restore prunes: the smallest weights of the whole network (spec), or each layer its own excess. */
export const RESTORE_MODES = ['global', 'per-layer'] as const;
/** One of RESTORE_MODES. */
export type RestoreMode = (typeof RESTORE_MODES)[number];

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
  /**
   * 'copy' (default, the paper): every child copies the parent's outgoing weights and the
   * restore prunes the (children − 1)·(outgoing) extra ones. 'partition': each outgoing weight
   * is kept by exactly one child, so the split adds no weight and nothing needs pruning.
   */
  outgoing?: OutgoingMode;
  /** 'partition': multiply each kept outgoing weight by the parent's children count (each child sees about 1/children of the parent's inputs). Default false. */
  outgoingScale?: boolean;
  /**
   * 'partition': 'random' (default) shuffles the outputs a parent feeds and deals them round-robin
   * to its children; 'clause' gives output r (clause r of the which-clause task) to the child
   * holding most of clause r's variables (ties: the child holding fewer outputs, then the lower
   * child), the other outputs as 'random'. 'clause' needs `clauses` and applies to the output
   * layer after hidden layer 0.
   */
  outgoingRoute?: OutgoingRoute;
  /** 'global' (default, spec §3): global magnitude pruning; 'per-layer': each weight matrix prunes its own excess, so a layer whose split added no weight (the input layer under a disjoint split) keeps its count. */
  restore?: RestoreMode;
  /**
   * Children per unit, one array per split layer in the order of `layers` (ascending), each of
   * the layer's width; each count an integer >= 1 (1: the unit is kept whole). Default: alpha
   * for every unit. 'gram' needs the uniform default. See allocateChildren.
   */
  children?: readonly (readonly number[])[];
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
  outgoing: OutgoingMode;
  outgoingScale: boolean;
  outgoingRoute: OutgoingRoute;
  restore: RestoreMode;
  /** Children per unit of each split layer, by hidden-layer index. */
  children: Map<number, Int32Array>;
}

/** Children counts are kept in Int32Arrays; larger ones are refused rather than wrapped. */
const MAX_CHILDREN = 2 ** 31 - 1;
const ALPHA = 'must be an integer >= 2 (children per neuron, e.g. alpha: 2)';
const ALPHA_MAX = `must be at most ${MAX_CHILDREN} (children per neuron)`;
const schema = z.strictObject({
  alpha: z.number().int({ error: ALPHA }).min(2, { error: ALPHA }).max(MAX_CHILDREN, { error: ALPHA_MAX }).optional(),
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
  outgoing: z.enum(OUTGOING_MODES).optional(),
  outgoingScale: z.boolean().optional(),
  outgoingRoute: z.enum(OUTGOING_ROUTES).optional(),
  restore: z.enum(RESTORE_MODES).optional(),
  children: z.array(z.array(z.number().int().min(1).max(MAX_CHILDREN))).optional(),
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
  const outgoingRoute = o.outgoingRoute ?? 'random';
  const clauses = strategy === 'clause' || outgoingRoute === 'clause' ? checkClauses(o.clauses, model.inFeatures) : [];
  const children = checkChildren(model, layers, alpha, o.children, strategy);
  checkRows(model, layers, children, o.children === undefined);
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
    outgoing: o.outgoing ?? 'copy',
    outgoingScale: o.outgoingScale ?? false,
    outgoingRoute,
    restore: o.restore ?? 'global',
    children,
  };
}

/** The children count of every unit of every split layer: `children` checked against the widths, or alpha everywhere. */
function checkChildren(
  model: MLP,
  layers: number[],
  alpha: number,
  children: number[][] | undefined,
  strategy: SplitStrategy,
): Map<number, Int32Array> {
  const out = new Map<number, Int32Array>();
  if (children === undefined) {
    for (const k of layers) out.set(k, new Int32Array(model.layers[k].outFeatures).fill(alpha));
    return out;
  }
  const fail = (message: string, where: string, got: unknown, allowed: string): never => {
    throw new ConfigError(`FpeOptions.${where} ${message}`, { where: `FpeOptions.${where}`, got, allowed });
  };
  if (strategy === 'gram')
    fail(
      "needs strategy 'random', 'clause' or 'overlap' ('gram' splits every unit into alpha clusters)",
      'children',
      strategy,
      'random, clause, overlap',
    );
  if (children.length !== layers.length)
    fail(
      `has ${children.length} arrays but ${layers.length} layers are split; give one per split layer`,
      'children',
      children.length,
      String(layers.length),
    );
  layers.forEach((k, i) => {
    const width = model.layers[k].outFeatures;
    if (children[i].length !== width)
      fail(
        `has ${children[i].length} counts but hidden layer ${k} has ${width} units`,
        `children[${i}]`,
        children[i].length,
        String(width),
      );
    out.set(k, Int32Array.from(children[i]));
  });
  return out;
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

/** Every split row needs one non-zero input per child, counted after the previous layer's split duplicated its columns. */
function checkRows(model: MLP, layers: number[], children: Map<number, Int32Array>, uniform: boolean): void {
  for (const k of layers) {
    const l = model.layers[k];
    const mask = l.mask();
    const dup = children.get(k - 1);
    const counts = children.get(k) as Int32Array;
    for (let r = 0; r < l.outFeatures; r++) {
      let nnz = 0;
      for (let c = 0; c < l.inFeatures; c++) nnz += mask[r * l.inFeatures + c] * (dup ? dup[c] : 1);
      if (nnz < counts[r]) {
        throw new ConfigError(
          `${uniform ? `alpha ${counts[r]} exceeds` : `${counts[r]} children exceed`} the ${nnz} non-zero inputs of row ${r} of layers.${k} (hidden layer ${k}); each child needs at least one input: lower ${uniform ? 'alpha' : 'its children count'} or leave layer ${k} out of FpeOptions.layers`,
          { where: `layers.${k}.weight[${r}]`, got: counts[r], allowed: `<= ${nnz}` },
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
