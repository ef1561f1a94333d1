/** How a flag's text value is read. */
export type OptionType = 'string' | 'number' | 'integer' | 'boolean' | 'list';

/** One CLI option, declared once: this table drives parsing, validation, --help and the README table. */
export interface OptionSpec {
  long: string;
  short?: string;
  type: OptionType;
  description: string;
  /** Shown in help; the real default lives in the config schema or the command. */
  default?: string;
  choices?: readonly string[];
  /** For `widen train`: the config path the flag overrides (dot-separated). */
  configPath?: string;
  /** Commands that accept the flag. */
  commands: readonly string[];
}

const TRAINING = ['train', 'demo'] as const;

/** Every option of every command. */
export const OPTIONS: readonly OptionSpec[] = [
  {
    long: 'backend',
    type: 'string',
    choices: ['auto', 'wasm', 'ref'],
    default: 'auto',
    description: 'kernel table',
    commands: ['demo', 'train', 'eval', 'run', 'reproduce', 'prune', 'sparse-expand', 'neurons', 'ablate'],
  },
  {
    long: 'threads',
    type: 'integer',
    choices: ['1', '2'],
    default: '2 on 2+ cores',
    description: 'threads for the heavy kernels',
    commands: ['demo', 'train', 'eval', 'prune', 'sparse-expand', 'neurons', 'ablate'],
  },
  { long: 'seed', type: 'integer', default: '0', description: 'seed of init, masks and shuffling', configPath: 'seed', commands: TRAINING },
  { long: 'epochs', type: 'integer', default: '20', description: 'training epochs', configPath: 'epochs', commands: TRAINING },
  { long: 'config', short: 'c', type: 'string', description: 'JSON or YAML config file (flags override it)', commands: ['train'] },
  {
    long: 'data',
    type: 'string',
    description: 'train on an image set instead of blobs',
    choices: ['mnist', 'fashion-mnist'],
    commands: ['train'],
  },
  { long: 'classes', type: 'integer', default: '4', description: 'blobs task: classes', configPath: 'task.classes', commands: ['train'] },
  {
    long: 'features',
    type: 'integer',
    default: '32',
    description: 'blobs task: input dimension',
    configPath: 'task.features',
    commands: ['train'],
  },
  {
    long: 'train-size',
    type: 'integer',
    default: '4096',
    description: 'blobs task: training samples',
    configPath: 'task.trainSize',
    commands: ['train'],
  },
  {
    long: 'test-size',
    type: 'integer',
    default: '1024',
    description: 'blobs task: test samples',
    configPath: 'task.testSize',
    commands: ['train'],
  },
  {
    long: 'noise',
    type: 'number',
    default: '0.6',
    description: 'blobs task: cluster standard deviation',
    configPath: 'task.noise',
    commands: ['train'],
  },
  {
    long: 'hidden',
    type: 'list',
    default: '64,64',
    description: 'hidden layer widths, comma-separated',
    configPath: 'model.hidden',
    commands: ['train'],
  },
  {
    long: 'activation',
    type: 'string',
    choices: ['relu', 'gelu', 'sigmoid', 'identity'],
    default: 'relu',
    description: 'hidden activation',
    configPath: 'model.activation',
    commands: ['train'],
  },
  {
    long: 'density',
    type: 'number',
    default: '0.25',
    description: 'fraction of kept weights per matrix',
    configPath: 'model.density',
    commands: ['train'],
  },
  {
    long: 'path',
    type: 'string',
    choices: ['auto', 'csr', 'dense'],
    default: 'auto',
    description: 'sparse (CSR) or dense-masked kernels',
    configPath: 'model.path',
    commands: ['train'],
  },
  {
    long: 'optimizer',
    type: 'string',
    choices: ['adam', 'adamw', 'sgd'],
    default: 'adam',
    description: 'optimizer',
    configPath: 'optimizer.kind',
    commands: ['train'],
  },
  { long: 'lr', type: 'number', default: '0.003', description: 'learning rate', configPath: 'optimizer.lr', commands: ['train'] },
  {
    long: 'weight-decay',
    type: 'number',
    default: '0',
    description: 'weight decay (L2 for adam/sgd, decoupled for adamw)',
    configPath: 'optimizer.weightDecay',
    commands: ['train'],
  },
  { long: 'momentum', type: 'number', default: '0.9', description: 'SGD momentum', configPath: 'optimizer.momentum', commands: ['train'] },
  {
    long: 'schedule',
    type: 'string',
    choices: ['constant', 'cosine'],
    default: 'constant',
    description: 'learning-rate schedule',
    configPath: 'schedule.kind',
    commands: ['train'],
  },
  {
    long: 'warmup',
    type: 'integer',
    default: '0',
    description: 'linear warm-up steps',
    configPath: 'schedule.warmupSteps',
    commands: ['train'],
  },
  { long: 'batch-size', type: 'integer', default: '64', description: 'minibatch size', configPath: 'batchSize', commands: ['train'] },
  { long: 'out', short: 'o', type: 'string', default: 'model.safetensors', description: 'checkpoint to write', commands: ['train'] },
  { long: 'resume', type: 'string', description: 'checkpoint to continue training from', commands: ['train'] },
  {
    long: 'out',
    short: 'o',
    type: 'string',
    default: 'runs/<name>',
    description: 'run folder (config.json, trials.sqlite); rerun on it to resume',
    commands: ['run'],
  },
  {
    long: 'out',
    short: 'o',
    type: 'string',
    default: 'runs/reproduce-<study>[-quick]',
    description: 'folder for the run folders and report.html; rerun on it to resume',
    commands: ['reproduce'],
  },
  {
    long: 'out',
    short: 'o',
    type: 'string',
    default: '<run>/report.<format>',
    description: 'report file to write',
    commands: ['report'],
  },
  {
    long: 'format',
    short: 'f',
    type: 'string',
    choices: ['html', 'md', 'json', 'csv'],
    default: 'html',
    description: 'report format',
    commands: ['report'],
  },
  {
    long: 'method',
    type: 'string',
    choices: ['magnitude', 'global-magnitude', 'wanda', 'sparsegpt'],
    default: 'sparsegpt',
    description: 'one-shot pruner',
    commands: ['prune'],
  },
  {
    long: 'sparsity',
    type: 'number',
    description: 'fraction of weights to remove per layer (per expert), in [0, 1)',
    commands: ['prune', 'sparse-expand'],
  },
  {
    long: 'sparsity',
    type: 'number',
    default: '0.9',
    description: "fraction of each selected unit's incoming weights to remove, in [0, 1)",
    commands: ['neurons'],
  },
  {
    long: 'nm',
    type: 'string',
    description: 'N:M pattern instead of --sparsity: keep N of every M inputs per row, e.g. 2:4',
    commands: ['prune', 'sparse-expand'],
  },
  {
    long: 'calibration',
    type: 'integer',
    default: '512',
    description: "calibration samples from the run's training set",
    commands: ['prune', 'sparse-expand', 'neurons', 'ablate'],
  },
  {
    long: 'k',
    type: 'integer',
    default: '16',
    description: 'experts (k-means clusters) per layer',
    commands: ['sparse-expand', 'neurons'],
  },
  {
    long: 'pruner',
    type: 'string',
    choices: ['sparsegpt', 'wanda', 'magnitude'],
    default: 'sparsegpt',
    description: 'pruner of each expert (neurons: of the selected units)',
    commands: ['sparse-expand', 'neurons'],
  },
  {
    long: 'reduce',
    type: 'integer',
    default: '8',
    description: 'PCA reduction factor r: cluster each layer input in d/r dimensions',
    commands: ['sparse-expand'],
  },
  {
    long: 'restarts',
    type: 'integer',
    default: '10',
    description: 'k-means++ initialisations (best inertia wins)',
    commands: ['sparse-expand'],
  },
  {
    long: 'seed',
    type: 'integer',
    default: '0',
    description: 'seed of k-means (neurons: of the random selections)',
    commands: ['sparse-expand', 'neurons'],
  },
  {
    long: 'top',
    type: 'number',
    default: '0.03',
    description: 'fraction p of units per hidden layer in each importance-test selection',
    commands: ['neurons'],
  },
  { long: 'draws', type: 'integer', default: '5', description: 'random selections in the importance test', commands: ['neurons'] },
  {
    long: 'top',
    type: 'number',
    default: '0.01',
    description: 'fraction p in (0, 1] of units per ablated layer clamped in the top-WD and random selections (at least 1)',
    commands: ['ablate'],
  },
  { long: 'draws', type: 'integer', default: '10', description: 'random selections (their spread is the power)', commands: ['ablate'] },
  { long: 'seed', type: 'integer', default: '0', description: 'seed of the random selections', commands: ['ablate'] },
  { long: 'layers', type: 'list', default: 'all hidden', description: 'hidden layers to ablate, comma-separated', commands: ['ablate'] },
  {
    long: 'out',
    short: 'o',
    type: 'string',
    default: '<checkpoint>.expanded-k<k>.safetensors',
    description: 'expanded model to write (experts, PCA, centroids)',
    commands: ['sparse-expand'],
  },
  {
    long: 'out',
    short: 'o',
    type: 'string',
    default: '<checkpoint>.<method>.safetensors',
    description: 'pruned checkpoint to write',
    commands: ['prune'],
  },
  {
    long: 'quick',
    type: 'boolean',
    description:
      'reproduce: a smaller study in minutes (boolean: headline cell, 5 seeds, 300 + 300 epochs; realdata: fewer widths, α = 4, 3 seeds, 10 + 10 epochs; sparse-expansion: 5 epochs, K in 1, 4, 16, 1024 calibration samples)',
    commands: ['reproduce'],
  },
  {
    long: 'workers',
    short: 'w',
    type: 'integer',
    default: 'the cores',
    description: 'trials run in parallel, one worker thread each',
    commands: ['run', 'reproduce'],
  },
  {
    long: 'json',
    type: 'boolean',
    description: 'print one JSON object on the last line of stdout',
    commands: ['demo', 'train', 'eval', 'inspect', 'run', 'reproduce', 'report', 'prune', 'sparse-expand', 'neurons', 'ablate'],
  },
];

/** The options a command accepts, in table order. */
export function optionsFor(command: string): OptionSpec[] {
  return OPTIONS.filter((o) => o.commands.includes(command));
}
