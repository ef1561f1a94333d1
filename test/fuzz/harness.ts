// The fuzz harness shared by the suite (test/fuzz/parsers.test.ts) and `npm run fuzz`: runs a
// target's property on generated inputs and counts what each input gave.
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { WidenError } from '../../src/index.js';

/** One parser under fuzzing: inputs, the call, and what a consistent value and a known defect look like. */
// biome-ignore lint/suspicious/noExplicitAny: FUZZ_TARGETS lists targets of different input and value types
export interface FuzzTarget<T = any, V = any> {
  name: string;
  inputs: () => fc.Arbitrary<T>;
  /** Parses `input`; throws a named error or returns a value for `check`. */
  run: (input: T) => V;
  /** Why the value is inconsistent with the input (shapes against byte lengths, bounded counts); null if it is consistent. */
  check: (value: V, input: T) => string | null;
  /** Frees what a value holds (wasm weights). */
  dispose?: (value: V) => void;
  /** Beyond WidenError, the errors this parser's caller reports as named (the CLI's CACError). */
  named?: (err: unknown) => boolean;
  /** The name of the known, separately fixed defect this input hits, or null. */
  knownDefect?: (input: T, outcome: { value?: V; error?: unknown }) => string | null;
}

/** What a fuzz run of one target found. */
export interface FuzzFigures {
  name: string;
  cases: number;
  named: number;
  values: number;
  /** Inputs that hit a known defect being fixed elsewhere (skipped, not failures). */
  known: number;
  knownNames: string[];
  failures: number;
  firstFailure: string | null;
  maxMs: number;
  maxHeapMb: number;
}

/** Per-case bounds: a parser must answer within this time and keep the heap under this size. */
export const BOUNDS = { ms: 2000, heapMb: 1024 };

/** Runs `target` on `runs` inputs drawn with `seed`; never throws, counts instead. */
export function fuzzTarget<T, V>(target: FuzzTarget<T, V>, runs: number, seed: number): FuzzFigures {
  const f: FuzzFigures = {
    name: target.name,
    cases: 0,
    named: 0,
    values: 0,
    known: 0,
    knownNames: [],
    failures: 0,
    firstFailure: null,
    maxMs: 0,
    maxHeapMb: 0,
  };
  const fail = (input: T, why: string) => {
    f.failures++;
    f.firstFailure ??= `${why}\n  input: ${fc.stringify(input).slice(0, 2000)}`;
  };
  fc.assert(
    fc.property(target.inputs(), (input) => {
      f.cases++;
      const t0 = performance.now();
      let outcome: { value?: V; error?: unknown };
      try {
        outcome = { value: target.run(input) };
      } catch (error) {
        outcome = { error };
      }
      const ms = performance.now() - t0;
      f.maxMs = Math.max(f.maxMs, ms);
      const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
      f.maxHeapMb = Math.max(f.maxHeapMb, heapMb);
      const known = target.knownDefect?.(input, outcome) ?? null;
      let problem: string | null;
      if ('error' in outcome) {
        const e = outcome.error;
        problem = e instanceof WidenError || target.named?.(e) ? null : `not a named error: ${(e as Error)?.stack ?? String(e)}`;
        if (problem === null) f.named++;
      } else {
        problem = target.check(outcome.value as V, input);
        if (problem === null) f.values++;
        target.dispose?.(outcome.value as V);
      }
      if (problem !== null && known !== null) {
        f.known++;
        if (!f.knownNames.includes(known)) f.knownNames.push(known);
        return;
      }
      if (problem === null && ms > BOUNDS.ms) problem = `took ${ms.toFixed(0)} ms (bound ${BOUNDS.ms} ms)`;
      if (problem === null && heapMb > BOUNDS.heapMb) problem = `heap at ${heapMb.toFixed(0)} MB (bound ${BOUNDS.heapMb} MB)`;
      if (problem !== null) fail(input, problem);
    }),
    { numRuns: runs, seed, endOnFailure: true },
  );
  return f;
}
