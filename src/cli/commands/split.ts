import {
  type ClauseVars,
  type FpeOptions,
  type OutgoingMode,
  type OutgoingRoute,
  type RestoreMode,
  restoreOptimizer,
  type SplitStrategy,
  splitNeurons,
  WidenError,
} from '../../index.js';
import { loadCheckpoint, saveCheckpoint } from '../../node/index.js';
import type { OptionValue } from '../read-options.js';
import { engineFrom, printJson } from './shared.js';
import { readConfigFile } from './train.js';

/**
 * `widen split CKPT`: Fixed Parameter Expansion of a checkpoint (one written by `widen train` or
 * `widen import`): every neuron of the chosen hidden layers becomes `alpha` children with disjoint
 * parts of its inputs, the non-zero count is restored exactly, and the optimizer state is carried
 * over, so `widen train --resume` continues training the wider network.
 */
export async function splitCommand(args: string[], options: Map<string, OptionValue>): Promise<void> {
  const [path] = args;
  const out = (options.get('out') as string | undefined) ?? path.replace(/(\.safetensors)?$/, '.split.safetensors');
  const engine = engineFrom(options);
  const ckpt = loadCheckpoint(path, engine);
  const hidden = ckpt.model.layers.length - 1;
  if (hidden < 1) {
    throw new WidenError('usage', `${path} has no hidden layer to split (it is a single linear layer)`, { where: path });
  }
  const fpe: FpeOptions = {
    alpha: (options.get('alpha') as number | undefined) ?? 2,
    strategy: (options.get('strategy') as SplitStrategy | undefined) ?? 'random',
    layers: parseLayers(options.get('split-layers') as string | undefined, hidden),
    seed: (options.get('seed') as number | undefined) ?? 0,
    resetOptimizer: options.get('reset-optimizer') === true,
    outgoing: (options.get('outgoing') as OutgoingMode | undefined) ?? 'copy',
    outgoingScale: options.get('outgoing-scale') === true,
    outgoingRoute: (options.get('outgoing-route') as OutgoingRoute | undefined) ?? 'random',
    restore: (options.get('restore') as RestoreMode | undefined) ?? 'global',
  };
  const clausesFile = options.get('clauses') as string | undefined;
  if (clausesFile !== undefined) fpe.clauses = readClauses(clausesFile, ckpt.model.inFeatures);
  else if (fpe.strategy === 'clause' || fpe.outgoingRoute === 'clause') {
    throw new WidenError(
      'usage',
      `${fpe.strategy === 'clause' ? '--strategy' : '--outgoing-route'} clause needs --clauses FILE (a JSON list of the input indices of each clause)`,
    );
  }
  const optimizer = ckpt.optimizerState === undefined ? undefined : restoreOptimizer(ckpt.model, ckpt.optimizerState);
  const result = splitNeurons(ckpt.model, fpe, optimizer);
  const stored = typeof ckpt.config === 'object' && ckpt.config !== null ? ckpt.config : {};
  const record = {
    from: path,
    alpha: fpe.alpha,
    strategy: fpe.strategy,
    layers: result.splitLayers,
    seed: fpe.seed,
    outgoing: fpe.outgoing,
    outgoingScale: fpe.outgoingScale,
    outgoingRoute: fpe.outgoingRoute,
    restore: fpe.restore,
  };
  saveCheckpoint(out, { model: result.model, optimizer: result.optimizer, config: { ...stored, split: record }, step: ckpt.step });
  const summary = {
    checkpoint: out,
    ...record,
    resetOptimizer: fpe.resetOptimizer,
    sizes_before: ckpt.model.sizes(),
    sizes_after: result.model.sizes(),
    nnz_before: result.nnzBefore,
    nnz_after_split: result.nnzAfterSplit,
    pruned_by_restore: result.pruned,
    nnz_after: result.model.nnz(),
    optimizer: result.optimizer === undefined ? 'none stored' : fpe.resetOptimizer ? 'fresh' : 'carried over',
  };
  engine.dispose();
  if (options.get('json') === true) return printJson(summary);
  console.log(
    `split ${fpe.strategy} x${fpe.alpha} (outgoing ${fpe.outgoing}, restore ${fpe.restore}) of hidden layer(s) ${result.splitLayers.join(', ')}: ${summary.sizes_before.join('-')} -> ${summary.sizes_after.join('-')}`,
  );
  console.log(
    `${summary.nnz_before} non-zero weights; ${summary.nnz_after_split} right after the split, ${summary.pruned_by_restore} removed by the restore: ${summary.nnz_after}; optimizer state ${summary.optimizer}`,
  );
  console.log(`split checkpoint written to ${out}`);
}

/** `--split-layers 0,2` as hidden-layer indices; undefined (every hidden layer) when absent. */
function parseLayers(text: string | undefined, hidden: number): number[] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',').map((s) => s.trim());
  const layers = parts.map(Number);
  if (parts.some((p) => !/^\d+$/.test(p)) || layers.some((k) => k >= hidden)) {
    throw new WidenError(
      'usage',
      `invalid option value: --split-layers ${text}; expected comma-separated hidden-layer indices in 0..${hidden - 1}`,
      {
        got: text,
        allowed: `0..${hidden - 1}`,
      },
    );
  }
  return layers;
}

/** A clauses file: a JSON (or YAML) list of lists of input indices, each in [0, features). */
function readClauses(file: string, features: number): ClauseVars[] {
  const value = readConfigFile(file);
  const ok =
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((c) => Array.isArray(c) && c.length > 0 && c.every((v) => Number.isInteger(v) && v >= 0 && v < features));
  if (!ok) {
    throw new WidenError(
      'config',
      `${file}: expected a non-empty list of clauses, each a non-empty list of input indices in 0..${features - 1}, e.g. [[0, 5, 9], [1, 2, 7]]`,
      {
        where: file,
      },
    );
  }
  return (value as number[][]).map((vars) => ({ vars }));
}
