import { EXPANDED_FORMAT, WidenError } from '../../index.js';
import { EXPORT_FORMATS, type ExportFormat, exportModelFile, loadCheckpoint, loadExpanded, readSafetensors } from '../../node/index.js';
import type { OptionValue } from '../read-options.js';
import { printJson } from './shared.js';

const EXTENSION: Record<ExportFormat, string> = { torch: '.torch.safetensors', onnx: '.onnx', npz: '.npz' };

/**
 * `widen export CKPT --format torch|onnx|npz`: a widen checkpoint (or a `widen sparse-expand`
 * expanded model, ONNX only) as PyTorch safetensors, ONNX or NumPy weights.
 */
export async function exportCommand(args: string[], options: Map<string, OptionValue>): Promise<void> {
  const [path] = args;
  const format = options.get('format') as ExportFormat | undefined;
  if (format === undefined) throw new WidenError('usage', `give --format: one of ${EXPORT_FORMATS.join(', ')}`);
  const out = (options.get('out') as string | undefined) ?? path.replace(/(\.safetensors)?$/, EXTENSION[format]);
  if (out === path) throw new WidenError('usage', `--out ${out} would overwrite the checkpoint; give another path`);
  const expanded = readSafetensors(path).metadata.format === EXPANDED_FORMAT;
  const model = expanded ? loadExpanded(path).model : loadCheckpoint(path).model;
  try {
    exportModelFile(model, out, format, { masks: options.get('masks') === true, opset: options.get('opset') as number | undefined });
  } finally {
    model.dispose();
  }
  if (options.get('json') === true) return printJson({ checkpoint: path, format, out, expanded });
  console.log(`${expanded ? 'Sparse Expansion model' : 'model'} ${path} exported as ${format} to ${out}`);
}
