import { ConfigError } from '../engine/index.js';
import { createOptimizer, MLP, type Optimizer, restoreOptimizer } from '../nn/index.js';
import { type MaskedLayer, pruneSmallest } from './budget.js';
import { carryState, type Provenance } from './carry-state.js';
import { gramClusters } from './gram-clusters.js';
import { type FpeOptions, type ResolvedFpeOptions, resolveFpeOptions } from './options.js';
import { clauseGroups, gramGroups, overlapGroups, randomGroups } from './split-strategies.js';

/** The network right after the split, before the budget restore. */
export interface SplitNetwork extends Provenance {
  /** Every weight matrix after the split; the children of row i of a split layer are rows i·alpha .. i·alpha + alpha − 1. */
  layers: MaskedLayer[];
  /** The split hidden layers, ascending. */
  splitLayers: number[];
  /** Per split hidden layer: for every parent row, the input columns each child got (indices into the layer's inputs after column duplication). */
  groups: Map<number, Int32Array[][]>;
}

/** What splitNeurons returns; the per-layer arrays follow `splitLayers`. */
export interface FpeResult {
  /** The expanded network: nnz equal to the parent's, masks fixed. */
  model: MLP;
  /** Present when an optimizer was passed: the same kind and hyper-parameters over `model`. */
  optimizer?: Optimizer;
  /** The split hidden layers, ascending. */
  splitLayers: number[];
  /** Per split layer: its incoming mask [alpha·h, in] right after the split, before the budget restore (`in` counts the duplicated columns when the layer before was split too). */
  splitMasks: Uint8Array[];
  /** Per split layer: the parent row of every child row, [Σ children] (uniform alpha: child r has parent floor(r / alpha)); a parent's children are consecutive rows. */
  parentOf: Int32Array[];
  /** Non-zero weights of the parent. */
  nnzBefore: number;
  /** Non-zero weights right after the split, before the restore. */
  nnzAfterSplit: number;
  /** Weights removed by the restore: nnzAfterSplit − nnzBefore (0 with outgoing 'partition' and a disjoint strategy). */
  pruned: number;
  /** Per weight matrix of the network: the weights the restore removed from it (sums to `pruned`). */
  prunedPerLayer: number[];
}

/**
 * Fixed Parameter Expansion (spec boolean-tasks.md §3): splits every neuron of the chosen hidden
 * layers into `alpha` children with disjoint parts of its non-zero inputs, bias b/alpha and a
 * copy of its outgoing column, then restores the non-zero count by global magnitude pruning.
 * Layers split in increasing order; a layer after a split layer first gets its columns
 * duplicated, then (when it is split too) its rows partitioned. The input model and optimizer
 * are left untouched; the optimizer state of surviving weights is carried over, or started
 * fresh (zero state, step 0) with `resetOptimizer`. Example:
 * `const { model: wide, optimizer } = splitNeurons(model, { alpha: 2, strategy: 'clause', clauses: task.clauses }, opt)`.
 */
export function splitNeurons(model: MLP, options: FpeOptions = {}, optimizer?: Optimizer): FpeResult {
  const o = resolveFpeOptions(model, options, optimizer);
  const net = split(model, o);
  const nnzBefore = model.nnz();
  const splitMasks = o.layers.map((k) => net.layers[k].mask.slice());
  const nnzAfterSplit = net.layers.reduce((s, l) => s + countKept(l.mask), 0);
  const prunedPerLayer = restore(model, net.layers, o.restore, nnzAfterSplit - nnzBefore);
  const pruned = prunedPerLayer.reduce((s, p) => s + p, 0);
  const wide = MLP.fromWeights(net.layers, { activation: model.activation, path: o.path }, model.engine);
  let next: Optimizer | undefined;
  try {
    if (optimizer !== undefined) {
      next = o.resetOptimizer
        ? createOptimizer(wide, optimizer.config)
        : restoreOptimizer(wide, carryState(optimizer.exportState(), optimizer.slots, model, net.layers, net));
    }
  } catch (err) {
    wide.dispose();
    throw err;
  }
  return {
    model: wide,
    optimizer: next,
    splitLayers: o.layers,
    splitMasks,
    parentOf: o.layers.map((k) => net.rowSource[k]),
    nnzBefore,
    nnzAfterSplit,
    pruned,
    prunedPerLayer,
  };
}

/**
 * Prunes the split's excess so the network holds the parent's nnz again, and returns the count
 * removed per weight matrix: 'global' removes `excess` weights of smallest |w| over all matrices,
 * 'per-layer' removes from each matrix what its split added over the parent's count.
 */
function restore(model: MLP, layers: MaskedLayer[], mode: ResolvedFpeOptions['restore'], excess: number): number[] {
  const before = layers.map((l) => countKept(l.mask));
  if (mode === 'global') pruneSmallest(layers, excess);
  else {
    layers.forEach((l, i) => {
      const extra = before[i] - countKept(model.layers[i].mask());
      if (extra > 0) pruneSmallest([l], extra);
    });
  }
  const removed = layers.map((l, i) => before[i] - countKept(l.mask));
  const total = removed.reduce((s, r) => s + r, 0);
  if (total !== excess) {
    // per-layer cannot give back weights a layer lost: only when a split shrank a layer (never with these strategies)
    throw new ConfigError(`the per-layer restore removed ${total} weights but the split added ${excess}; use restore 'global'`, {
      where: 'FpeOptions.restore',
      got: mode,
      allowed: 'global',
    });
  }
  return removed;
}

function countKept(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i];
  return n;
}

/**
 * The split of splitNeurons without the budget restore: the grown layers (more non-zeros than
 * the parent) and where each of their rows and columns came from. With identity activation and
 * a disjoint strategy the grown network computes exactly the parent's function, since
 * Σ_j (w_i|group j · x + b_i/alpha) = w_i · x + b_i. Example:
 * `MLP.fromWeights(splitBeforeRestore(model, { alpha: 3 }).layers)`.
 */
export function splitBeforeRestore(model: MLP, options: FpeOptions = {}): SplitNetwork {
  return split(model, resolveFpeOptions(model, options));
}

function split(model: MLP, o: ResolvedFpeOptions): SplitNetwork {
  const net: SplitNetwork = { layers: [], rowSource: [], colSource: [], splitLayers: o.layers, groups: new Map() };
  const last = model.layers.length - 1;
  model.layers.forEach((src, l) => {
    // columns first: each child of a split neuron of the previous layer copies its parent's column
    const before = o.children.get(l - 1);
    const colSource = before ? repeatCounts(before) : repeatCounts(new Int32Array(src.inFeatures).fill(1));
    const inF = colSource.length;
    const w = src.weight();
    const m = src.mask();
    const weight = new Float32Array(src.outFeatures * inF); // [out, in'] before the rows split
    const mask = new Uint8Array(src.outFeatures * inF);
    for (let r = 0; r < src.outFeatures; r++) {
      for (let c = 0; c < inF; c++) {
        weight[r * inF + c] = w[r * src.inFeatures + colSource[c]];
        mask[r * inF + c] = m[r * src.inFeatures + colSource[c]];
      }
    }
    const layer: MaskedLayer = { weight, mask, bias: src.bias(), inFeatures: inF, outFeatures: src.outFeatures };
    if (before && o.outgoing === 'partition') {
      // output r of the which-clause task is clause r: route it to the child holding that clause
      const route =
        o.outgoingRoute === 'clause' && l === last && l === 1 ? { groups: net.groups.get(0) as Int32Array[][], clauses: o.clauses } : null;
      partitionColumns(layer, before, o, route);
    }
    const counts = o.children.get(l);
    const rows = counts
      ? splitRows(layer, l, counts, o)
      : { layer, rowSource: repeatCounts(new Int32Array(src.outFeatures).fill(1)), groups: [] };
    if (counts) net.groups.set(l, rows.groups);
    net.layers.push(rows.layer);
    net.rowSource.push(rows.rowSource);
    net.colSource.push(colSource);
  });
  return net;
}

/**
 * Outgoing partition: the columns of `layer` hold, for every parent unit i of the layer before,
 * `counts[i]` consecutive copies of the parent's column. Every kept entry (r, i) stays in exactly
 * one copy (child); the others are zeroed and masked, so the layer keeps the parent's count.
 * With `outgoingScale` the kept entry is multiplied by counts[i].
 */
function partitionColumns(
  layer: MaskedLayer,
  counts: Int32Array,
  o: ResolvedFpeOptions,
  route: { groups: Int32Array[][]; clauses: ResolvedFpeOptions['clauses'] } | null,
): void {
  const { inFeatures: inF, outFeatures: out } = layer;
  let start = 0;
  counts.forEach((c, i) => {
    const rows: number[] = [];
    for (let r = 0; r < out; r++) if (layer.mask[r * inF + start] !== 0) rows.push(r);
    const owner = new Map<number, number>(); // row -> child
    const held = new Array<number>(c).fill(0);
    if (route !== null && c > 1) {
      for (const r of rows) {
        if (r >= route.clauses.length) continue;
        const vars = new Set(route.clauses[r].vars);
        const share = route.groups[i].map((g) => g.reduce((s, v) => s + (vars.has(v) ? 1 : 0), 0));
        let best = 0;
        for (let j = 1; j < c; j++) if (share[j] > share[best] || (share[j] === share[best] && held[j] < held[best])) best = j;
        owner.set(r, best);
        held[best]++;
      }
    }
    // the rest round-robin over a shuffle, each to the child holding the fewest outputs so far
    for (const r of o.rng.shuffle(Int32Array.from(rows.filter((r) => !owner.has(r))))) {
      let j = 0;
      for (let t = 1; t < c; t++) if (held[t] < held[j]) j = t;
      owner.set(r, j);
      held[j]++;
    }
    for (const r of rows) {
      const keep = owner.get(r) as number;
      for (let j = 0; j < c; j++) {
        const at = r * inF + start + j;
        if (j === keep) layer.weight[at] *= o.outgoingScale ? c : 1;
        else [layer.weight[at], layer.mask[at]] = [0, 0];
      }
    }
    start += c;
  });
}

/** Splits row r of `layer` (hidden layer `k`) into counts[r] children, consecutive rows. */
function splitRows(
  layer: MaskedLayer,
  k: number,
  counts: Int32Array,
  o: ResolvedFpeOptions,
): { layer: MaskedLayer; rowSource: Int32Array; groups: Int32Array[][] } {
  const { inFeatures: inF, outFeatures: out } = layer;
  const width = counts.reduce((s, c) => s + c, 0);
  // clause variables index the network inputs, so deeper layers see no clause and deal like 'random'
  const clauses = k === 0 ? o.clauses : [];
  const clusterOf =
    o.strategy === 'gram'
      ? gramClusters(layer.weight, out, inF, {
          k: o.alpha,
          distance: o.gramDistance,
          restarts: o.gramRestarts,
          iterations: o.gramIterations,
          rng: o.rng,
        })
      : null;
  const weight = new Float32Array(width * inF);
  const mask = new Uint8Array(width * inF);
  const bias = new Float32Array(width);
  const all: Int32Array[][] = [];
  let first = 0;
  for (let r = 0; r < out; r++) {
    const alpha = counts[r];
    const row = layer.weight.subarray(r * inF, (r + 1) * inF);
    const cols = nonZeroColumns(layer.mask.subarray(r * inF, (r + 1) * inF));
    const groups =
      alpha === 1
        ? [cols]
        : o.strategy === 'random'
          ? randomGroups(cols, alpha, o.rng)
          : o.strategy === 'clause'
            ? clauseGroups(cols, row, alpha, clauses, o.rng)
            : o.strategy === 'gram'
              ? gramGroups(cols, alpha, clusterOf as Int32Array)
              : overlapGroups(cols, alpha, o.overlapFactor, o.rng);
    groups.forEach((group, j) => {
      const child = first + j;
      for (const c of group) {
        weight[child * inF + c] = row[c];
        mask[child * inF + c] = 1;
      }
      bias[child] = layer.bias[r] / alpha;
    });
    all.push(groups);
    first += alpha;
  }
  return { layer: { weight, mask, bias, inFeatures: inF, outFeatures: width }, rowSource: repeatCounts(counts), groups: all };
}

/** The indices of a mask row's kept entries, ascending. */
function nonZeroColumns(maskRow: Uint8Array): Int32Array {
  const cols: number[] = [];
  for (let c = 0; c < maskRow.length; c++) if (maskRow[c] !== 0) cols.push(c);
  return Int32Array.from(cols);
}

/** [Σ counts]: each i repeated counts[i] times in a row. */
function repeatCounts(counts: Int32Array): Int32Array {
  const out = new Int32Array(counts.reduce((s, c) => s + c, 0));
  let t = 0;
  counts.forEach((c, i) => {
    out.fill(i, t, t + c);
    t += c;
  });
  return out;
}
