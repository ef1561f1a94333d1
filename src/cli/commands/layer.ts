import {
  type ExpansionPruner,
  expandedLayerTensors,
  expandLinearLayer,
  type LayerRows,
  type LinearLayer,
  layerInputRows,
  layerNeurons,
  linearLayerImportance,
  type NmPattern,
  prunedLayerTensors,
  pruneLinearLayer,
  splitRows,
  WidenError,
} from '../../index.js';
import { loadLayerFile, readInputsFile, writeSafetensors } from '../../node/index.js';
import type { OptionValue } from '../read-options.js';
import { engineFrom, parseNm, pct, printJson, writeJsonReport } from './shared.js';

/** Units listed in the ranking. */
const SHOWN = 5;

interface LoadedLayer {
  layer: LinearLayer & { file: string };
  rows: LayerRows;
  inputs: string;
}

/** The --layer, --bias, --inputs and --holdout of a one-layer run, read and split. */
function loadLayerRun(command: string, args: string[], options: Map<string, OptionValue>): LoadedLayer {
  const spec = options.get('layer') as string;
  if (args.length > 0) throw new WidenError('usage', `widen ${command}: give a checkpoint or --layer FILE:TENSOR, not both`);
  const inputs = options.get('inputs') as string | undefined;
  if (inputs === undefined)
    throw new WidenError('usage', `widen ${command} --layer needs --inputs X.npy: the layer's calibration inputs [rows, in]`);
  const layer = loadLayerFile(spec, options.get('bias') as string | undefined);
  const { x, rows } = layerInputRows(readInputsFile(inputs), layer.inFeatures, inputs);
  return { layer, rows: splitRows(x, rows, layer.inFeatures, (options.get('holdout') as number | undefined) ?? 0.25), inputs };
}

/** Refuses the checkpoint-only flags in a one-layer run. */
function refuseFlags(command: string, options: Map<string, OptionValue>, flags: string[]): void {
  for (const f of flags)
    if (options.has(f))
      throw new WidenError('usage', `widen ${command} --layer: --${f} applies to checkpoints only; the inputs come from --inputs`);
}

function target(options: Map<string, OptionValue>): { sparsity?: number; nm?: NmPattern } {
  const sparsity = options.get('sparsity') as number | undefined;
  const nm = parseNm(options.get('nm') as string | undefined);
  if ((sparsity === undefined) === (nm === undefined))
    throw new WidenError('usage', 'give exactly one of --sparsity (e.g. 0.5) and --nm (e.g. 2:4)');
  return { sparsity, nm };
}

const outPath = (file: string, suffix: string) => file.replace(/(\.safetensors)?$/, suffix);

/** `widen prune --layer W.safetensors:NAME --inputs X.npy`: prunes one layer, reports the held-out output error, writes it back under its names. */
export async function layerPrune(args: string[], options: Map<string, OptionValue>): Promise<void> {
  refuseFlags('prune', options, ['calibration', 'allow-files', 'allow-download']);
  const method = (options.get('method') as string | undefined) ?? 'sparsegpt';
  if (method === 'global-magnitude')
    throw new WidenError('usage', '--method global-magnitude compares layers; on one layer use --method magnitude');
  const goal = target(options);
  const t0 = performance.now();
  const { layer, rows, inputs } = loadLayerRun('prune', args, options);
  const r = pruneLinearLayer(layer, rows, { ...goal, pruner: method as ExpansionPruner });
  const seconds = (performance.now() - t0) / 1000;
  const out = (options.get('out') as string | undefined) ?? outPath(layer.file, `.${method}.safetensors`);
  writeSafetensors(out, prunedLayerTensors(layer, r.weight), { pruned: JSON.stringify({ from: layer.file, method, ...goal, inputs }) });
  const summary = {
    layer: layer.weightName,
    file: layer.file,
    out,
    shape: [layer.outFeatures, layer.inFeatures],
    dtype: layer.dtype,
    method,
    sparsity: goal.sparsity ?? null,
    nm: goal.nm ?? null,
    calibration_rows: rows.calibration.size,
    held_out_rows: rows.heldOut.size,
    nnz_before: r.nnzBefore,
    nnz_after: r.nnzAfter,
    held_out_error: r.heldOutError.absolute,
    held_out_relative_error: r.heldOutError.relative,
    seconds,
  };
  if (options.get('json') === true) return printJson(summary);
  console.log(
    `${method} on ${layer.weightName} [${layer.outFeatures}, ${layer.inFeatures}] ${layer.dtype}: ${r.nnzBefore} -> ${r.nnzAfter} non-zero weights; held-out output error ${pct(r.heldOutError.relative)} of ||WX|| (${rows.heldOut.size} rows, calibration ${rows.calibration.size}), ${seconds.toFixed(1)} s`,
  );
  console.log(`pruned layer written to ${out}`);
}

/** `widen sparse-expand --layer ...`: Sparse Expansion of one layer beside k = 1, held-out output error instead of accuracy; writes the experts and router. */
export async function layerSparseExpand(args: string[], options: Map<string, OptionValue>): Promise<void> {
  refuseFlags('sparse-expand', options, ['calibration', 'allow-files', 'allow-download']);
  const goal = target(options);
  const k = (options.get('k') as number | undefined) ?? 16;
  const settings = {
    ...goal,
    pruner: (options.get('pruner') as ExpansionPruner | undefined) ?? 'sparsegpt',
    reduce: (options.get('reduce') as number | undefined) ?? 8,
    restarts: (options.get('restarts') as number | undefined) ?? 10,
    seed: (options.get('seed') as number | undefined) ?? 0,
  };
  const { layer, rows, inputs } = loadLayerRun('sparse-expand', args, options);
  const out = (options.get('out') as string | undefined) ?? outPath(layer.file, `.expanded-k${k}.safetensors`);
  const engine = engineFrom(options);
  const results = [1, ...(k > 1 ? [k] : [])].map((kk) => {
    const r = expandLinearLayer(layer, rows, { ...settings, k: kk }, engine);
    if (kk === k)
      writeSafetensors(out, expandedLayerTensors(layer, r.model), {
        expanded: JSON.stringify({ from: layer.file, k, ...settings, inputs }),
      });
    r.model.dispose();
    return {
      k: kk,
      held_out_error: r.heldOutError.absolute,
      held_out_relative_error: r.heldOutError.relative,
      nnz_stored: r.nnzStored,
      nnz_per_input: r.nnzPerInput,
      routing_flops: r.routingFlops,
    };
  });
  engine.dispose();
  const summary = {
    layer: layer.weightName,
    file: layer.file,
    expanded: out,
    ...settings,
    nm: goal.nm ?? null,
    calibration_rows: rows.calibration.size,
    held_out_rows: rows.heldOut.size,
    results,
  };
  if (options.get('json') === true) return printJson(summary);
  console.log(
    `${settings.pruner} per expert on ${layer.weightName}, ${rows.calibration.size} calibration rows, PCA to d/${settings.reduce}; error on ${rows.heldOut.size} held-out rows`,
  );
  console.log('  k   output error   nnz stored   nnz / input   routing flops / input');
  for (const r of results) {
    console.log(
      `${String(r.k).padStart(3)}   ${pct(r.held_out_relative_error).padStart(12)}   ${String(r.nnz_stored).padStart(10)}   ${r.nnz_per_input.toFixed(0).padStart(11)}   ${String(r.routing_flops).padStart(10)}`,
    );
  }
  console.log(`expanded layer (k = ${k}) written to ${out}`);
}

/** `widen neurons --layer ...`: the WD ranking of the layer's units, mapping difficulty and the importance test by held-out output error. */
export async function layerNeuronsCommand(args: string[], options: Map<string, OptionValue>): Promise<void> {
  refuseFlags('neurons', options, ['calibration', 'allow-files', 'allow-download', 'k']);
  const top = (options.get('top') as number | undefined) ?? 0.03;
  const draws = (options.get('draws') as number | undefined) ?? 5;
  const seed = (options.get('seed') as number | undefined) ?? 0;
  const sparsity = (options.get('sparsity') as number | undefined) ?? 0.9;
  const pruner = (options.get('pruner') as ExpansionPruner | undefined) ?? 'sparsegpt';
  const { layer, rows } = loadLayerRun('neurons', args, options);
  const stats = layerNeurons(layer, rows, { seed });
  const importance = linearLayerImportance(layer, rows, stats, { top, draws, seed, pruner, sparsity });
  const random = importance.filter((r) => r.selection === 'random').map((r) => r.heldOutError.relative);
  const summary = {
    layer: layer.weightName,
    file: layer.file,
    units: stats.units,
    calibration_rows: rows.calibration.size,
    held_out_rows: rows.heldOut.size,
    ranking: Array.from(stats.ranking.subarray(0, SHOWN), (u) => ({ unit: u, wd: stats.wd[u], difficulty: stats.unitDifficulty[u] })),
    top_units: Array.from(stats.ranking.subarray(0, Math.max(1, Math.round(top * stats.units)))),
    wd_median: median(stats.wd),
    mapping_difficulty: stats.difficulty,
    wd_difficulty_spearman: stats.wdDifficultyCorrelation,
    importance: importance.map((r) => ({
      selection: r.selection,
      draw: r.draw,
      p: top,
      units: r.units,
      held_out_relative_error: r.heldOutError.relative,
    })),
    random_error: {
      draws: random.length,
      mean: random.reduce((s, v) => s + v, 0) / Math.max(1, random.length),
      min: Math.min(...random),
      max: Math.max(...random),
    },
  };
  const out = options.get('out') as string | undefined;
  if (out !== undefined) writeJsonReport(out, summary);
  if (options.get('json') === true) return printJson(summary);
  console.log(
    `${layer.weightName}: ${stats.units} units, ${rows.calibration.size} calibration rows, median WD ${summary.wd_median.toFixed(3)}`,
  );
  console.log(`  top by WD ${summary.ranking.map((r) => `${r.unit} (${r.wd.toFixed(3)})`).join(', ')}`);
  console.log(
    `  mapping difficulty ${stats.difficulty.toFixed(3)}; Spearman(WD, unit difficulty) ${stats.wdDifficultyCorrelation.toFixed(3)}`,
  );
  console.log(`importance test: sparsify ${pct(top)} of units to ${pct(sparsity)} with ${pruner}; held-out output error (of ||WX||)`);
  for (const r of importance.filter((x) => x.selection !== 'random'))
    console.log(`  ${r.selection.padEnd(10)} ${pct(r.heldOutError.relative)}`);
  const s = summary.random_error;
  console.log(`  ${'random'.padEnd(10)} ${pct(s.mean)} (mean of ${s.draws} draws, ${pct(s.min)} to ${pct(s.max)})`);
}

function median(v: Float64Array): number {
  const s = Float64Array.from(v).sort();
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
