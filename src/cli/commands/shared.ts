import { type BackendName, createEngine, type Engine, type NmPattern, WidenError } from '../../index.js';
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
