import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { type NmPattern, sparseGptPrune } from '../../src/prune/index.js';

interface SparseGptFixture {
  outFeatures: number;
  inFeatures: number;
  size: number;
  w: number[];
  x: number[];
  mask: number[];
  cases: Array<{
    name: string;
    existingMask: boolean;
    options: { sparsity?: number; nm?: NmPattern; blockSize?: number; percdamp?: number };
    weight: number[];
    mask: number[];
  }>;
}
// scripts/fixtures/make_sparsegpt_fixture.py: an independent NumPy float64 SparseGPT (eager updates)
const fixture = JSON.parse(readFileSync(new URL('../fixtures/sparsegpt-cases.json', import.meta.url), 'utf8')) as SparseGptFixture;

describe('sparseGptPrune matches the NumPy reference', () => {
  const { outFeatures, inFeatures, size } = fixture;
  const calibration = { x: Float32Array.from(fixture.x), size };
  for (const c of fixture.cases) {
    it(`${c.name}: same mask, weights within 1e-4 relative`, () => {
      const layer = {
        weight: Float32Array.from(fixture.w, (w, i) => (c.existingMask && fixture.mask[i] === 0 ? 0 : w)),
        mask: c.existingMask ? Uint8Array.from(fixture.mask) : undefined,
        inFeatures,
        outFeatures,
      };
      const got = sparseGptPrune(layer, calibration, c.options);
      assert.deepEqual(Array.from(got.mask), c.mask);
      const scale = Math.max(...c.weight.map(Math.abs));
      c.weight.forEach((want, i) => {
        const err = Math.abs(got.weight[i] - want) / Math.max(Math.abs(want), 1e-3 * scale);
        assert.ok(err < 1e-4, `weight[${i}] = ${got.weight[i]}, NumPy ${want}`);
      });
    });
  }
});
