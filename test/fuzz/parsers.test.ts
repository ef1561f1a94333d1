// A short fuzz run of every parser (`npm run fuzz` runs the long one): any input gives a consistent
// value or a named widen error, within the time and heap bounds of the harness.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fuzzTarget } from './harness.js';
import { FUZZ_TARGETS } from './targets.js';

const RUNS = Number(process.env.WIDEN_FUZZ_RUNS ?? 1500);

describe('fuzzed parsers', () => {
  for (const target of FUZZ_TARGETS) {
    it(`${target.name}: ${RUNS} inputs give a consistent value or a named error`, () => {
      const f = fuzzTarget(target, RUNS, 14);
      assert.equal(f.failures, 0, f.firstFailure ?? '');
      assert.equal(f.cases, RUNS);
    });
  }
});
