import { parseArgs } from 'node:util';

/** The cases timed in both engines: one training step, forward-only inference, dense 1024³ GEMM. */
export const ENGINE_CASES = ['train', 'infer', 'gemm'] as const;
/** One case timed in both engines. */
export type CaseName = (typeof ENGINE_CASES)[number];
/**
 * Every case --cases takes: the engine cases, realdata (one Fashion-MNIST trial in widen alone, on
 * 1 thread), browser (a playground training step in headless Chromium against Node, 1 thread) and
 * boolean (one seed of the Boolean headline cell, four methods, in widen and in bench/torch_boolean.py, 1 thread).
 */
export const CASES = [...ENGINE_CASES, 'realdata', 'browser', 'boolean'] as const;

/** The most rounds --rounds takes. */
const MAX_ROUNDS = 9;

/** Validated options of `npm run bench`. */
export interface BenchOptions {
  json: boolean;
  quick: boolean;
  /** The engine cases to run, timed against PyTorch at each thread count. */
  cases: CaseName[];
  /** Whether to run the real-data case. */
  realdata: boolean;
  /** Whether to run the browser case. */
  browser: boolean;
  /** Whether to run the boolean case. */
  boolean: boolean;
  threads: Array<1 | 2>;
  backend: 'wasm' | 'ref' | 'auto';
  /** The wasm kernel builds to time, one fresh engine each, in the same run (ignored by the ref backend). */
  kernels: Array<'plain' | 'relaxed' | 'auto'>;
  shapes: 'full' | 'small';
  /** Rounds of each engine case kind (widen, then the peer), 1-9; each ratio is the median of the rounds' paired ratios. */
  rounds: number;
}

/** Raised for a bad command line; run.ts prints the message and exits 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}

interface OptionSpec {
  type: 'boolean' | 'string';
  arg?: string;
  description: string;
  choices?: readonly string[];
  list?: boolean;
  default?: string;
}

// The one table behind parsing, validation and --help.
const OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'also print one JSON object as the last line of stdout' },
  quick: {
    type: 'boolean',
    description:
      'fewer repetitions (medians of 5-30 runs instead of 15-200; realdata: 3 epochs each instead of 9; browser: 1 round instead of 2; boolean: 100 + 100 epochs instead of 1000 + 1000); for smoke runs',
  },
  cases: {
    type: 'string',
    arg: 'list',
    description:
      'cases to run; realdata times one Fashion-MNIST trial of (a) on 1 thread in widen alone (~1 min; skipped with the reason when the data is missing); browser times a playground training step in headless Chromium against Node (~20 s; skipped with the reason without /usr/bin/chromium); boolean times one seed of the Boolean headline cell (four methods, 1000 + 1000 epochs) in widen and in a PyTorch implementation of the same protocol, 1 thread each (~1-2 min)',
    choices: CASES,
    list: true,
    default: CASES.join(','),
  },
  threads: {
    type: 'string',
    arg: 'list',
    description: 'thread counts of the engine cases, one fresh engine each',
    choices: ['1', '2'],
    list: true,
    default: '1,2',
  },
  backend: { type: 'string', arg: 'name', description: "widen's kernel table", choices: ['wasm', 'ref', 'auto'], default: 'wasm' },
  kernels: {
    type: 'string',
    arg: 'list',
    description:
      "widen's wasm kernel builds, one fresh engine each at every thread count: plain (SIMD), relaxed (relaxed SIMD with fused multiply-add; skipped with a note where this Node does not validate it), auto (what an engine picks by default)",
    choices: ['plain', 'relaxed', 'auto'],
    list: true,
    default: 'plain,relaxed',
  },
  shapes: {
    type: 'string',
    arg: 'name',
    description:
      'full: the study shapes; small: a tiny MLP, a 1 + 1-epoch realdata trial and 5 + 5 boolean epochs, for checking the harness',
    choices: ['full', 'small'],
    default: 'full',
  },
  rounds: {
    type: 'string',
    arg: 'n',
    description:
      'rounds of each engine case kind, 1 to 9: widen, then the peer, n times over; times are medians over the rounds and each ratio is the median of the n paired ratios (widen and the peer of one round are timed seconds apart), so a busy spell of the machine shifts a round, not the verdict',
    default: '1',
  },
  help: { type: 'boolean', description: 'print this help' },
};

/** Help text: one line per option, the type first and the default last. */
export function helpText(): string {
  const lines = Object.entries(OPTIONS).map(([name, o]) => {
    const flag = o.arg ? `--${name} <${o.arg}>` : `--${name}`;
    const kind = o.choices ? `[${o.list ? 'comma list of ' : ''}${o.choices.join('|')}] ` : '';
    const dflt = o.default ? ` (default: ${o.default})` : '';
    return `  ${flag.padEnd(22)}${kind}${o.description}${dflt}`;
  });
  const about =
    'Times widen against PyTorch on this machine, one real-data trial in widen (only it: --cases realdata), the playground page against Node (only it: --cases browser) and one Boolean headline seed against PyTorch (only it: --cases boolean; skip the three: --cases train,infer,gemm).';
  return ['Usage: npm run bench -- [options]', '', about, '', ...lines].join('\n');
}

/** Parses argv (without node and the script); returns null when --help was asked for. */
export function parseOptions(argv: string[]): BenchOptions | null {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}. Run 'npm run bench -- --help' for the options.`);
  }
  if (values.help) return null;
  const pick = (name: string): string[] => {
    const spec = OPTIONS[name];
    const raw = (values[name] as string | undefined) ?? spec.default ?? '';
    const items = spec.list ? [...new Set(raw.split(',').map((s) => s.trim()))] : [raw];
    for (const item of items) {
      if (!spec.choices?.includes(item)) {
        throw new UsageError(`invalid value '${item}' for --${name}; valid values are: ${spec.choices?.join(', ')}`);
      }
    }
    return items;
  };
  const cases = pick('cases');
  const rawRounds = String(values.rounds ?? OPTIONS.rounds.default);
  const rounds = /^\d+$/.test(rawRounds) ? Number(rawRounds) : Number.NaN;
  if (!(rounds >= 1 && rounds <= MAX_ROUNDS)) {
    throw new UsageError(`invalid value '${rawRounds}' for --rounds; valid values are the integers 1 to ${MAX_ROUNDS}`);
  }
  return {
    json: values.json === true,
    quick: values.quick === true,
    cases: cases.filter((c): c is CaseName => (ENGINE_CASES as readonly string[]).includes(c)),
    realdata: cases.includes('realdata'),
    browser: cases.includes('browser'),
    boolean: cases.includes('boolean'),
    threads: pick('threads').map(Number) as Array<1 | 2>,
    backend: pick('backend')[0] as BenchOptions['backend'],
    kernels: pick('kernels') as BenchOptions['kernels'],
    shapes: pick('shapes')[0] as BenchOptions['shapes'],
    rounds,
  };
}
