import {
  type BackendName,
  type Checkpoint,
  createEngine,
  type Dataset,
  type Engine,
  type NmPattern,
  resolveTrainConfig,
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
export async function loadTrainedRun(path: string, engine: Engine, instead: string): Promise<TrainedRun> {
  const ckpt = loadCheckpoint(path, engine);
  const stored = ckpt.config as TrainedRun['stored'] | undefined;
  if (stored?.config === undefined) {
    throw new WidenError('usage', `${path} holds no training config (it was not written by widen train); ${instead}`, { where: path });
  }
  const { train, test, features, classes } = await loadTrainTask(resolveTrainConfig(stored.config).task);
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
