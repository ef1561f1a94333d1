import { EXPORT_FORMATS } from '../node/index.js';
import type { OptionSpec } from './option-spec.js';

/** Options of `widen import`, `widen export` and the one-layer forms of prune, sparse-expand and neurons (spread into OPTIONS). */
export const INTEROP_OPTIONS: readonly OptionSpec[] = [
  {
    long: 'arch',
    type: 'string',
    description: 'expected widths and activation, e.g. "784-256-256-10 gelu" (checked against the tensors)',
    commands: ['import'],
  },
  {
    long: 'layers',
    type: 'string',
    default: "the nn.Sequential's numbered modules",
    description: 'module names of the Linear layers in order, comma-separated, e.g. fc1,fc2,out',
    commands: ['import'],
  },
  {
    long: 'activation',
    type: 'string',
    choices: ['relu', 'gelu', 'sigmoid', 'identity'],
    default: "--arch's, else the file's metadata",
    description: 'hidden activation (a state dict does not store it)',
    commands: ['import'],
  },
  { long: 'dense', type: 'boolean', description: 'all-ones masks instead of the non-zero pattern', commands: ['import'] },
  {
    long: 'config',
    short: 'c',
    type: 'string',
    description: 'a widen train config (JSON or YAML) whose task and optimizer the checkpoint stores, for eval, prune, train --resume',
    commands: ['import'],
  },
  {
    long: 'out',
    short: 'o',
    type: 'string',
    default: '<model>.widen.safetensors',
    description: 'widen checkpoint to write',
    commands: ['import'],
  },
  { long: 'format', short: 'f', type: 'string', choices: EXPORT_FORMATS, description: 'export format', commands: ['export'] },
  {
    long: 'masks',
    type: 'boolean',
    description: "torch: store torch.nn.utils.prune's N.weight_orig and N.weight_mask instead of N.weight",
    commands: ['export'],
  },
  { long: 'opset', type: 'integer', default: '17', description: 'onnx: opset version (13 to 17)', commands: ['export'] },
  {
    long: 'out',
    short: 'o',
    type: 'string',
    default: '<checkpoint>.torch.safetensors|.onnx|.npz',
    description: 'file to write',
    commands: ['export'],
  },
  {
    long: 'layer',
    type: 'string',
    description: 'one linear layer instead of a checkpoint: FILE.safetensors:TENSOR, its weight [out, in] (F32, F16, BF16, F64)',
    commands: ['prune', 'sparse-expand', 'neurons'],
  },
  {
    long: 'bias',
    type: 'string',
    description: "with --layer: the name of the layer's bias tensor in the same file",
    commands: ['prune', 'sparse-expand', 'neurons'],
  },
  {
    long: 'inputs',
    type: 'string',
    description: "with --layer: the layer's calibration inputs [..., in]: .npy, .npz[:NAME] or .safetensors[:NAME]",
    commands: ['prune', 'sparse-expand', 'neurons'],
  },
  {
    long: 'holdout',
    type: 'number',
    default: '0.25',
    description: 'with --layer: fraction of the input rows held out to measure the output error on',
    commands: ['prune', 'sparse-expand', 'neurons'],
  },
];
