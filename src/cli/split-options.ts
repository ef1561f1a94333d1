import { SPLIT_STRATEGIES } from '../index.js';
import type { OptionSpec } from './option-spec.js';

/** Options of `widen split` (spread into OPTIONS). */
export const SPLIT_OPTIONS: readonly OptionSpec[] = [
  { long: 'alpha', type: 'integer', default: '2', description: 'children per split neuron (>= 2)', commands: ['split'] },
  {
    long: 'strategy',
    type: 'string',
    choices: SPLIT_STRATEGIES,
    default: 'random',
    description: "how a neuron's inputs are dealt to its children",
    commands: ['split'],
  },
  {
    long: 'split-layers',
    type: 'string',
    default: 'every hidden layer',
    description: 'hidden layers to split, comma-separated indices (hidden layer k is the output of layer k)',
    commands: ['split'],
  },
  {
    long: 'clauses',
    type: 'string',
    description: "clause strategy: a JSON file of the clauses' input indices, [[0, 5, 9], [1, 2, 7], ...]",
    commands: ['split'],
  },
  { long: 'seed', type: 'integer', default: '0', description: 'seed of the random, overlap and gram splits', commands: ['split'] },
  {
    long: 'reset-optimizer',
    type: 'boolean',
    description: 'store a fresh optimizer instead of carrying the state over',
    commands: ['split'],
  },
  {
    long: 'out',
    short: 'o',
    type: 'string',
    default: '<checkpoint>.split.safetensors',
    description: 'checkpoint to write',
    commands: ['split'],
  },
];
