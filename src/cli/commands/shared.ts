import {
  type BackendName,
  type Checkpoint,
  createEngine,
  type Dataset,
  type Engine,
  type NmPattern,
  resolveTrainConfig,
  type TrainTask,
  WidenError,
} from '../../index.js';
import { loadCheckpoint, loadTrainTask, writeFileAtomic } from '../../node/index.js';
import type { OptionValue } from '../read-options.js';

/** The engine the --backend and --threads flags ask for. */
export function engineFrom(options: Map<string, OptionValue>): Engine {
  return createEngine({
    backend: options.get('backend') as BackendName | undefined,
    threads: options.get('threads') as number | undefined,
  });
}

/** Writes `value` as one JSON line on stdout (the last line a --json run prints). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Writes `value` as pretty JSON to `path` atomically (a report file of neurons/ablate) and says so on stderr. */
export function writeJsonReport(path: string, value: unknown): void {
  writeFileAtomic(path, new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`));
  process.stderr.write(`report written to ${path}\n`);
}

/** Formats a fraction as a percentage with one decimal. */
export function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** The N:M pattern of an --nm value such as '2:4' (undefined when the flag is absent). */
export function parseNm(text: string | undefined): NmPattern | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+):(\d+)$/.exec(text);
  if (!m) throw new WidenError('usage', `invalid option value: --nm ${text}; expected N:M with integers, e.g. 2:4`);
  return { n: Number(m[1]), m: Number(m[2]) };
}

/**
 * The task a checkpoint's stored config names, with its I/O checked against the user's flags: a
 * checkpoint is untrusted input, so the files it names are read only with --allow-files, and its
 * download request (download: true, baseUrl) is honoured only with --allow-download; without that
 * flag the set is taken from the local copies and the request is reported on stderr.
 */
function trustedTask(task: TrainTask, path: string, options: Map<string, OptionValue>): TrainTask {
  if (task.kind !== 'dataset') return task;
  const spec = task.data;
  const files =
    spec.kind === 'csv' ? [spec.path] : spec.kind === 'npy' ? [spec.x, spec.y] : spec.kind === 'embeddings' ? [spec.path, spec.labels] : [];
  if (files.length > 0 && options.get('allow-files') !== true) {
    throw new WidenError(
      'usage',
      `${path} asks to read ${spec.kind} data from ${files.map((f) => `'${f}'`).join(' and ')}; widen reads files named inside a checkpoint only when you pass --allow-files (a checkpoint from elsewhere can name any file)`,
      { where: `${path}: config.task.data`, got: files },
    );
  }
  if (spec.kind === 'fashion-mnist' && (spec.download || spec.baseUrl !== undefined) && options.get('allow-download') !== true) {
    const from = spec.baseUrl === undefined ? '' : ` from ${spec.baseUrl}`;
    process.stderr.write(
      `widen: ${path} asks to download fashion-mnist${from}; not downloading without --allow-download, using a local copy\n`,
    );
    const { baseUrl: _, ...local } = spec;
    return { ...task, data: { ...local, download: false } };
  }
  return task;
}

/** A `widen train` checkpoint with its stored run and the run's re-generated task data. */
export interface TrainedRun {
  ckpt: Checkpoint;
  /** The checkpoint's metadata config (the run, plus what later commands added). */
  stored: { config: unknown; [key: string]: unknown };
  train: Required<Dataset<Int32Array>>;
  test: Required<Dataset<Int32Array>>;
}

/**
 * Loads a checkpoint written by `widen train` and re-creates (blobs) or re-loads (dataset) its task
 * from the stored config; `instead` says what to use for checkpoints without one (e.g. "prune it
 * from the library with pruneModel"). A model whose input or output width does not fit the task is refused.
 */
export async function loadTrainedRun(
  path: string,
  engine: Engine,
  instead: string,
  options: Map<string, OptionValue>,
): Promise<TrainedRun> {
  const ckpt = loadCheckpoint(path, engine);
  const stored = ckpt.config as TrainedRun['stored'] | undefined;
  if (stored?.config === undefined) {
    throw new WidenError('usage', `${path} holds no training config (it was not written by widen train); ${instead}`, { where: path });
  }
  const task = trustedTask(resolveTrainConfig(stored.config).task, path, options);
  const { train, test, features, classes } = await loadTrainTask(task);
  const [inF, outF] = [ckpt.model.inFeatures, ckpt.model.outFeatures];
  if (inF !== features || outF !== classes) {
    throw new WidenError(
      'shape',
      `${path}: the model maps ${inF} inputs to ${outF} outputs but its task has ${features} features and ${classes} classes; the checkpoint does not belong to its stored config`,
      { where: path, got: `${inF} -> ${outF}`, allowed: `${features} -> ${classes}` },
    );
  }
  return { ckpt, stored, train, test };
}
