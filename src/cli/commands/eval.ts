import { evaluate } from '../../index.js';
import type { OptionValue } from '../read-options.js';
import { engineFrom, loadTrainedRun, pct, printJson } from './shared.js';

/** `widen eval CKPT`: the checkpoint's test loss and accuracy on its run's (re-generated) test set. */
export async function evalCommand(args: string[], options: Map<string, OptionValue>): Promise<void> {
  const [path] = args;
  const engine = engineFrom(options);
  const { ckpt, test } = await loadTrainedRun(path, engine, 'evaluate it from the library instead', options);
  const result = evaluate(ckpt.model, test, 'cross-entropy');
  engine.dispose();
  if (options.get('json') === true)
    return printJson({ checkpoint: path, test_accuracy: result.accuracy, test_loss: result.loss, nnz: ckpt.model.nnz() });
  console.log(`${path}: test accuracy ${pct(result.accuracy)}, loss ${result.loss.toFixed(4)} on ${test.size} samples`);
}
