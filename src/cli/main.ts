import { cac } from 'cac';
import { WidenError, widenVersion } from '../index.js';
import { useNodePlatform } from '../node/index.js';
import { OPTIONS, optionsFor } from './options.js';
import { readOptions } from './read-options.js';

interface CommandSpec {
  name: string;
  usage: string;
  description: string;
  /** Loads the implementation lazily so that --help stays cheap. */
  load: () => Promise<(args: string[], options: ReturnType<typeof readOptions>) => Promise<void>>;
}

const COMMANDS: CommandSpec[] = [
  {
    name: 'demo',
    usage: 'demo',
    description: 'Train a sparse MLP on a small generated task and print its accuracy and non-zero count',
    load: async () => (await import('./commands/demo.js')).demo,
  },
  {
    name: 'train',
    usage: 'train',
    description: 'Train an MLP from a config file and/or flags and write a safetensors checkpoint',
    load: async () => (await import('./commands/train.js')).train,
  },
  {
    name: 'eval',
    usage: 'eval <checkpoint>',
    description: "Evaluate a checkpoint on its run's test set",
    load: async () => (await import('./commands/eval.js')).evalCommand,
  },
  {
    name: 'inspect',
    usage: 'inspect <checkpoint>',
    description: 'Print the layers, non-zero counts and metadata of a checkpoint',
    load: async () => (await import('./commands/inspect.js')).inspect,
  },
  {
    name: 'prune',
    usage: 'prune [checkpoint]',
    description:
      'Prune a checkpoint one-shot (magnitude, Wanda, SparseGPT; unstructured or N:M) with calibration data, or one layer (--layer, --inputs)',
    load: async () =>
      layerOr('prune', (await import('./commands/prune.js')).prune, async () => (await import('./commands/layer.js')).layerPrune),
  },
  {
    name: 'sparse-expand',
    usage: 'sparse-expand [checkpoint]',
    description:
      'Sparse Expansion of a checkpoint (or of one layer: --layer, --inputs): PCA + k-means routing to k pruned experts per layer, compared with k = 1',
    load: async () =>
      layerOr(
        'sparse-expand',
        (await import('./commands/sparse-expand.js')).sparseExpandCommand,
        async () => (await import('./commands/layer.js')).layerSparseExpand,
      ),
  },
  {
    name: 'neurons',
    usage: 'neurons [checkpoint]',
    description:
      'Wasserstein neurons of a checkpoint (or of one layer: --layer, --inputs): per-layer WD ranking, mapping difficulty, importance test, WD after Sparse Expansion',
    load: async () =>
      layerOr(
        'neurons',
        (await import('./commands/neurons.js')).neurons,
        async () => (await import('./commands/layer.js')).layerNeuronsCommand,
      ),
  },
  {
    name: 'import',
    usage: 'import <model>',
    description:
      'Turn a PyTorch MLP state dict (safetensors) into a widen checkpoint; pickled .pt/.pth files are refused with the way to convert them',
    load: async () => (await import('./commands/import.js')).importCommand,
  },
  {
    name: 'split',
    usage: 'split <checkpoint>',
    description:
      'Fixed Parameter Expansion of a checkpoint: each neuron into alpha children with disjoint inputs, the non-zero count restored exactly, optimizer state carried over for train --resume',
    load: async () => (await import('./commands/split.js')).splitCommand,
  },
  {
    name: 'export',
    usage: 'export <checkpoint>',
    description: 'Write a checkpoint as PyTorch safetensors (nn.Sequential names), ONNX (MLP or Sparse Expansion model) or NumPy .npz',
    load: async () => (await import('./commands/export.js')).exportCommand,
  },
  {
    name: 'ablate',
    usage: 'ablate <checkpoint>',
    description:
      'Negative pre-activation ablation of a GELU checkpoint: clamp the negative pre-activations of the top-WD units, vs random and loss-matched bottom-WD units',
    load: async () => (await import('./commands/ablate.js')).ablate,
  },
  {
    name: 'run',
    usage: 'run <config>',
    description: 'Run the trials of an experiment config (JSON or YAML) in parallel into a resumable run folder',
    load: async () => (await import('./commands/run.js')).run,
  },
  {
    name: 'worker',
    usage: 'worker <url>',
    description: 'Run the trials of a Redis queue (redis:// or rediss://) on local worker threads, for `widen run --queue`',
    load: async () => (await import('./commands/worker.js')).worker,
  },
  {
    name: 'queue',
    usage: 'queue <action> <url>',
    description: "A sweep queue's state and upkeep (actions: status, retry-failed, clean)",
    load: async () => (await import('./commands/queue.js')).queue,
  },
  {
    name: 'report',
    usage: 'report <...runs>',
    description: 'Write the report (HTML with inline SVG plots, or md/json/csv) of one or more run folders',
    load: async () => (await import('./commands/report.js')).report,
  },
  {
    name: 'serve',
    usage: 'serve [...runs]',
    description: 'Serve the playground (/) and a dashboard (/runs/) of the given run folders (read-only) on 127.0.0.1',
    load: async () => (await import('./commands/serve.js')).serve,
  },
  {
    name: 'reproduce',
    usage: 'reproduce <study>',
    description: 'Reproduce a study end to end and write its report (studies: boolean, realdata, sparse-expansion, beyond)',
    load: async () => (await import('./commands/reproduce.js')).reproduce,
  },
  {
    name: 'doctor',
    usage: 'doctor',
    description:
      'Check Node, wasm SIMD/threads, cores, data sets, PyTorch, chromium and redis-server; say what to do about what is missing',
    load: async () => (await import('./commands/doctor.js')).doctor,
  },
];

type Run = (args: string[], options: ReturnType<typeof readOptions>) => Promise<void>;

/** The checkpoint form of a command, or its one-layer form when --layer is given; a checkpoint is needed otherwise. */
function layerOr(name: string, checkpoint: Run, layer: () => Promise<Run>): Promise<Run> {
  return Promise.resolve(async (args: string[], options: ReturnType<typeof readOptions>) => {
    if (options.has('layer')) return (await layer())(args, options);
    if (args.length === 0)
      throw new WidenError('usage', `widen ${name} needs a checkpoint, or --layer FILE.safetensors:TENSOR --inputs X.npy`);
    return checkpoint(args, options);
  });
}

/** A command line read and validated: the command, its positional arguments and its option values. */
export interface CommandLine {
  command: string;
  args: string[];
  options: ReturnType<typeof readOptions>;
}

/**
 * Reads `argv` (process.argv form) against the command and option tables without running anything:
 * null for --help / --version (cac prints those), else the command line; a WidenError or cac's
 * CACError for anything malformed.
 */
export function readCommandLine(argv: string[]): CommandLine | null {
  const cli = cac('widen');
  let read: CommandLine | null = null;
  for (const spec of COMMANDS) {
    const command = cli.command(spec.usage, spec.description);
    for (const o of optionsFor(spec.name)) {
      const flags = `${o.short ? `-${o.short}, ` : ''}--${o.long}${o.type === 'boolean' ? '' : ` <${o.type}>`}`;
      const choices = o.choices ? ` (${o.choices.join('|')})` : '';
      const def = o.default ? ` (default: ${o.default})` : '';
      command.option(flags, `[${o.type}] ${o.description}${choices}${def}`);
    }
    command.action((...args: unknown[]) => {
      const raw = args.pop() as Record<string, unknown>;
      read = {
        command: spec.name,
        args: (args as Array<string | string[] | undefined>).flat().filter((a): a is string => a !== undefined),
        options: readOptions(spec.name, raw),
      };
    });
  }
  cli.help();
  cli.version(widenVersion());
  refuseDottedFlags(argv);
  cli.parse(argv, { run: false });
  if (!cli.matchedCommand) {
    if (cli.options.help || cli.options.version) return null;
    const given = cli.args[0];
    throw new WidenError(
      'usage',
      given
        ? `unknown command '${given}'; commands: ${COMMANDS.map((c) => c.name).join(', ')}`
        : 'no command given; try `widen demo` or `widen --help`',
    );
  }
  cli.runMatchedCommand();
  return read;
}

// cac reads `--a.b` as a nested option (and crashes with a TypeError on `--no-a --a.b`); widen has no nested options
function refuseDottedFlags(argv: string[]): void {
  for (const arg of argv.slice(2)) {
    if (arg === '--') return;
    const name = /^--?([^=]*)/.exec(arg)?.[1];
    if (name?.includes('.') && !/^-[\d.]/.test(arg))
      throw new WidenError('usage', `unknown option \`${arg.split('=')[0]}\`; widen's options have no dots (see widen <command> --help)`);
  }
}

/** Runs the widen CLI on `argv` (process.argv form); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  useNodePlatform();
  try {
    const line = readCommandLine(joinNegativeValues(argv));
    if (line === null) return 0;
    const run = await COMMANDS.find((c) => c.name === line.command)!.load();
    await run(line.args, line.options);
    return 0;
  } catch (err) {
    if (err instanceof WidenError || (err instanceof Error && err.name === 'CACError')) {
      process.stderr.write(`widen: error: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

/** Flags that take a value, long and short forms. */
const VALUED = new Set(OPTIONS.filter((o) => o.type !== 'boolean').flatMap((o) => [`--${o.long}`, ...(o.short ? [`-${o.short}`] : [])]));

/**
 * Joins a flag and a negative value given after a space (`--epochs -1`) into `--epochs=-1`, which
 * the parser would otherwise read as an unknown option `-1`; the value is then validated as usual.
 */
export function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (VALUED.has(argv[i]) && next !== undefined && /^-(\d|\.\d|Infinity|NaN)/.test(next)) {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}
