import {
  type Evaluation,
  type ExpandedMLP,
  type ExpansionPruner,
  evaluate,
  evaluateExpanded,
  sparseExpand,
  WidenError,
} from '../../index.js';
import { saveExpanded } from '../../node/index.js';
import type { OptionValue } from '../read-options.js';
import { engineFrom, loadTrainedRun, parseNm, pct, printJson } from './shared.js';

/**
 * `widen sparse-expand CKPT`: Sparse Expansion of a `widen train` checkpoint with calibration samples
 * from its run's training set; reports it beside the same pruner at k = 1 (equal per-expert
 * sparsity) and writes the expanded model (experts, PCA, centroids) as safetensors.
 */
export async function sparseExpandCommand(args: string[], options: Map<string, OptionValue>): Promise<void> {
  const [path] = args;
  const k = (options.get('k') as number | undefined) ?? 16;
  if (k < 1) throw new WidenError('usage', `invalid option value: --k ${k}; experts per layer must be an integer >= 1, e.g. --k 16`);
  const pruner = (options.get('pruner') as ExpansionPruner | undefined) ?? 'sparsegpt';
  const sparsity = options.get('sparsity') as number | undefined;
  const nm = parseNm(options.get('nm') as string | undefined);
  if ((sparsity === undefined) === (nm === undefined)) {
    throw new WidenError('usage', 'give exactly one of --sparsity (per expert, e.g. 0.9) and --nm (e.g. 2:4)');
  }
  const reduce = (options.get('reduce') as number | undefined) ?? 8;
  const restarts = (options.get('restarts') as number | undefined) ?? 10;
  const seed = (options.get('seed') as number | undefined) ?? 0;
  const out = (options.get('out') as string | undefined) ?? path.replace(/(\.safetensors)?$/, `.expanded-k${k}.safetensors`);
  const engine = engineFrom(options);
  const { ckpt, train, test } = await loadTrainedRun(path, engine, 'expand it from the library with sparseExpand', options);
  const size = Math.min((options.get('calibration') as number | undefined) ?? 512, train.size);
  const calibration = { x: train.x.subarray(0, size * train.features), size };
  const settings = { sparsity, nm, pruner, reduce, restarts, seed };
  const dense = evaluate(ckpt.model, test, 'cross-entropy');
  const rows = [1, ...(k > 1 ? [k] : [])].map((kk) => {
    const model = sparseExpand(ckpt.model, calibration, { ...settings, k: kk });
    const row = summarise(model, kk, evaluateExpanded(model, test));
    if (kk === k) saveExpanded(out, model, { from: path, ...settings, k, calibration: size });
    model.dispose();
    return row;
  });
  engine.dispose();
  const summary = {
    expanded: out,
    pruner,
    sparsity: sparsity ?? null,
    nm: nm ?? null,
    calibration: size,
    reduce,
    dense: denseRow(ckpt.model.nnz(), dense),
    results: rows,
  };
  if (options.get('json') === true) return printJson(summary);
  console.log(
    `${pruner} at ${sparsity !== undefined ? `${pct(sparsity)} sparsity` : `${nm?.n}:${nm?.m}`} per expert, ${size} calibration samples, PCA to d/${reduce}`,
  );
  console.log('  k   accuracy   loss     nnz stored   nnz / input   routing flops / input');
  for (const r of [summary.dense, ...rows]) {
    console.log(
      `${String(r.k).padStart(3)}   ${pct(r.accuracy).padStart(8)}   ${r.loss.toFixed(4)}   ${String(r.nnz_stored).padStart(10)}   ${r.nnz_per_input.toFixed(0).padStart(11)}   ${String(r.routing_flops).padStart(10)}`,
    );
  }
  console.log(`expanded model (k = ${k}) written to ${out}`);
}

interface Row {
  k: number | 'dense';
  accuracy: number;
  loss: number;
  nnz_stored: number;
  nnz_per_input: number;
  routing_flops: number;
}

function summarise(model: ExpandedMLP, k: number, e: { accuracy: number; loss: number; nnzPerInput: number }): Row {
  return {
    k,
    accuracy: e.accuracy,
    loss: e.loss,
    nnz_stored: model.nnzStored(),
    nnz_per_input: e.nnzPerInput,
    routing_flops: model.routingFlops(),
  };
}

function denseRow(nnz: number, e: Evaluation): Row {
  return { k: 'dense', accuracy: e.accuracy, loss: e.loss, nnz_stored: nnz, nnz_per_input: nnz, routing_flops: 0 };
}
