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
  /** Per split layer: the parent row of every child row, [alpha·h] (child r has parent floor(r / alpha)). */
  parentOf: Int32Array[];
  /** Non-zero weights of the parent. */
  nnzBefore: number;
  /** Non-zero weights right after the split, before the restore. */
  nnzAfterSplit: number;
  /** Weights removed by the restore: nnzAfterSplit − nnzBefore. */
  pruned: number;
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
  const nnzAfterSplit = net.layers.reduce((s, l) => s + l.mask.reduce((a, m) => a + m, 0), 0);
  const pruned = pruneSmallest(net.layers, nnzAfterSplit - nnzBefore).length;
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
  };
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
  const splitSet = new Set(o.layers);
  const net: SplitNetwork = { layers: [], rowSource: [], colSource: [], splitLayers: o.layers };
  model.layers.forEach((src, l) => {
    // columns first: each child of a split neuron of the previous layer copies its parent's column
    const colSource = splitSet.has(l - 1) ? repeatEach(src.inFeatures, o.alpha) : repeatEach(src.inFeatures, 1);
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
    const rows = splitSet.has(l) ? splitRows(layer, l, o) : { layer, rowSource: repeatEach(src.outFeatures, 1) };
    net.layers.push(rows.layer);
    net.rowSource.push(rows.rowSource);
    net.colSource.push(colSource);
  });
  return net;
}

/** Splits every row of `layer` (hidden layer `k`) into alpha children, rows i·alpha + j. */
function splitRows(layer: MaskedLayer, k: number, o: ResolvedFpeOptions): { layer: MaskedLayer; rowSource: Int32Array } {
  const { alpha } = o;
  const { inFeatures: inF, outFeatures: out } = layer;
  // clause variables index the network inputs, so deeper layers see no clause and deal like 'random'
  const clauses = k === 0 ? o.clauses : [];
  const clusterOf =
    o.strategy === 'gram'
      ? gramClusters(layer.weight, out, inF, {
          k: alpha,
          distance: o.gramDistance,
          restarts: o.gramRestarts,
          iterations: o.gramIterations,
          rng: o.rng,
        })
      : null;
  const weight = new Float32Array(alpha * out * inF);
  const mask = new Uint8Array(alpha * out * inF);
  const bias = new Float32Array(alpha * out);
  for (let r = 0; r < out; r++) {
    const row = layer.weight.subarray(r * inF, (r + 1) * inF);
    const cols = nonZeroColumns(layer.mask.subarray(r * inF, (r + 1) * inF));
    const groups =
      o.strategy === 'random'
        ? randomGroups(cols, alpha, o.rng)
        : o.strategy === 'clause'
          ? clauseGroups(cols, row, alpha, clauses, o.rng)
          : o.strategy === 'gram'
            ? gramGroups(cols, alpha, clusterOf as Int32Array)
            : overlapGroups(cols, alpha, o.overlapFactor, o.rng);
    groups.forEach((group, j) => {
      const child = r * alpha + j;
      for (const c of group) {
        weight[child * inF + c] = row[c];
        mask[child * inF + c] = 1;
      }
      bias[child] = layer.bias[r] / alpha;
    });
  }
  return { layer: { weight, mask, bias, inFeatures: inF, outFeatures: alpha * out }, rowSource: repeatEach(out, alpha) };
}

/** The indices of a mask row's kept entries, ascending. */
function nonZeroColumns(maskRow: Uint8Array): Int32Array {
  const cols: number[] = [];
  for (let c = 0; c < maskRow.length; c++) if (maskRow[c] !== 0) cols.push(c);
  return Int32Array.from(cols);
}

/** [n·times]: each of 0..n−1 repeated `times` times in a row. */
function repeatEach(n: number, times: number): Int32Array {
  return Int32Array.from({ length: n * times }, (_, i) => Math.floor(i / times));
}
