import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

// Fixtures written by scripts/fixtures/make_stats_fixture.py (SciPy 1.10). SciPy's own t.ppf is
// only good to ~5e-9 relative (cdflib), so the script also stores "t", the ppf polished by Newton
// steps on SciPy's t.sf / t.pdf (~1e-15); we match that to 1e-12 and the raw ppf to 1e-8.
/** A stats fixture, test/fixtures/stats-<name>.json. */
export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/stats-${name}.json`, import.meta.url), 'utf8')) as T;
}

/** Asserts |actual − expected| <= rel relative (absolute near 0). */
export function close(actual: number, expected: number, rel: number, what: string): void {
  const err = Math.abs(expected) < 1e-12 ? Math.abs(actual - expected) : Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(err <= rel, `${what}: got ${actual}, expected ${expected} (error ${err.toExponential(2)} > ${rel})`);
}
