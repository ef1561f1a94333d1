import { OUTGOING_MODES, OUTGOING_ROUTES, RESTORE_MODES, SPLIT_STRATEGIES } from '../index.js';
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
  {
    long: 'outgoing',
    type: 'string',
    choices: OUTGOING_MODES,
    default: 'copy',
    description:
      "copy: every child copies the parent's outgoing weights (the paper; the restore prunes the extra); partition: the children divide them (issue 11)",
    commands: ['split'],
  },
  {
    long: 'outgoing-scale',
    type: 'boolean',
    description: 'partition: multiply each kept outgoing weight by the children count',
    commands: ['split'],
  },
  {
    long: 'outgoing-route',
    type: 'string',
    choices: OUTGOING_ROUTES,
    default: 'random',
    description:
      "partition: which child keeps an outgoing weight (clause: output r to the child holding clause r's inputs; needs --clauses)",
    commands: ['split'],
  },
  {
    long: 'restore',
    type: 'string',
    choices: RESTORE_MODES,
    default: 'global',
    description: 'where the budget restore prunes: the smallest weights of the whole network, or each layer its own excess',
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
