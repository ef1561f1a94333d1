import { evaluate, type PruneMethod, pruneModel, WidenError } from '../../index.js';
import { saveCheckpoint } from '../../node/index.js';
import type { OptionValue } from '../read-options.js';
import { engineFrom, loadTrainedRun, parseNm, pct, printJson } from './shared.js';

/**
 * `widen prune CKPT`: one-shot pruning of a `widen train` checkpoint with calibration samples
 * drawn from its run's training set; writes the pruned model and reports accuracy before/after.
 */
export async function prune(args: string[], options: Map<string, OptionValue>): Promise<void> {
  const [path] = args;
  const method = (options.get('method') as PruneMethod | undefined) ?? 'sparsegpt';
  const sparsity = options.get('sparsity') as number | undefined;
  const nm = parseNm(options.get('nm') as string | undefined);
  if ((sparsity === undefined) === (nm === undefined)) {
    throw new WidenError('usage', 'give exactly one of --sparsity (e.g. 0.5) and --nm (e.g. 2:4)');
  }
  const out = (options.get('out') as string | undefined) ?? path.replace(/(\.safetensors)?$/, `.${method}.safetensors`);
  const engine = engineFrom(options);
  const { ckpt, stored, train, test } = await loadTrainedRun(path, engine, 'prune it from the library with pruneModel', options);
  const size = Math.min((options.get('calibration') as number | undefined) ?? 512, train.size);
  const before = evaluate(ckpt.model, test, 'cross-entropy');
  const pruned = pruneModel(ckpt.model, { x: train.x.subarray(0, size * train.features), size }, { method, sparsity, nm });
  const after = evaluate(pruned, test, 'cross-entropy');
  saveCheckpoint(out, { model: pruned, config: { ...stored, pruned: { from: path, method, sparsity, nm, calibration: size } } });
  engine.dispose();
  const summary = {
    checkpoint: out,
    method,
    sparsity: sparsity ?? null,
    nm: nm ?? null,
    calibration: size,
    nnz_before: ckpt.model.nnz(),
    nnz_after: pruned.nnz(),
    accuracy_before: before.accuracy,
    accuracy_after: after.accuracy,
    loss_before: before.loss,
    loss_after: after.loss,
  };
  if (options.get('json') === true) return printJson(summary);
  console.log(
    `${method}: ${summary.nnz_before} -> ${summary.nnz_after} non-zero weights; test accuracy ${pct(before.accuracy)} -> ${pct(after.accuracy)}`,
  );
  console.log(`pruned checkpoint written to ${out}`);
}
