import { type BackendName, createEngine, type Engine } from '../../index.js';
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
