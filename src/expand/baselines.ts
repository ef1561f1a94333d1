import { z } from 'zod';
import { ACTIVATIONS, type Activation, ConfigError, defaultEngine, type Engine } from '../engine/index.js';
import { type LayerPath, MLP, parseConfig } from '../nn/index.js';

/** The sparse-init baseline: the dense parent's shape with every hidden width times alpha, at a fixed nnz. */
export interface SparseInitConfig {
  /** The dense parent's sizes [in, h1, ..., out]. */
  sizes: number[];
  /** Width factor of every hidden layer, an integer >= 1. */
  alpha: number;
  /** Total non-zero weights; default nnzOf(sizes), the dense parent's count. */
  nnz?: number;
  activation?: Activation;
  /** Seeds the masks and the initial weights (default 0). */
  seed?: number;
  path?: LayerPath;
}

const schema = z.strictObject({
  sizes: z.array(z.number().int().min(1)).min(2),
  alpha: z.number().int().min(1),
  nnz: z.number().int().min(1).optional(),
  activation: z.enum(ACTIVATIONS).optional(),
  seed: z.number().int().optional(),
  path: z.enum(['auto', 'csr', 'dense']).optional(),
});

/** Non-zero weights of the dense MLP of these sizes: Σ sizes[i]·sizes[i+1]. Example: `nnzOf([32, 8, 16])` is 384. */
export function nnzOf(sizes: readonly number[]): number {
  let n = 0;
  for (let i = 0; i + 1 < sizes.length; i++) n += sizes[i] * sizes[i + 1];
  return n;
}

/**
 * Splits `budget` non-zeros over weight matrices of `sizes` entries each, proportionally to the
 * sizes by largest remainder (ties: the lower matrix), at least 1 per matrix; the shares sum to
 * `budget` exactly.
 */
export function shareBudget(budget: number, sizes: readonly number[]): number[] {
  const total = sizes.reduce((s, n) => s + n, 0);
  const share = sizes.map((n) => Math.floor((budget * n) / total));
  const byRemainder = sizes.map((_, l) => l).sort((a, b) => ((budget * sizes[b]) % total) - ((budget * sizes[a]) % total) || a - b);
  let left = budget - share.reduce((s, k) => s + k, 0);
  for (const l of byRemainder) if (left > 0 && share[l] < sizes[l]) [share[l], left] = [share[l] + 1, left - 1];
  for (let l = 0; l < share.length; l++) {
    if (share[l] > 0) continue;
    // a matrix too small for a share borrows one from the largest share (ties: the lower matrix)
    const donor = share.indexOf(Math.max(...share));
    [share[l], share[donor]] = [1, share[donor] - 1];
  }
  return share;
}

/**
 * The sparse-init baseline (spec §3): an MLP whose hidden layers are alpha times wider than
 * `sizes`, with uniformly random masks holding exactly `nnz` weights in total, shared over the
 * matrices by shareBudget, and PyTorch's default init. The dense baseline at the same nnz is
 * `MLP.create({ sizes })`. Example: `sparseInit({ sizes: [32, 8, 16], alpha: 2, seed: 1 }).nnz()` is 384.
 */
export function sparseInit(config: SparseInitConfig, engine: Engine = defaultEngine()): MLP {
  const c = parseConfig(schema, config, 'SparseInitConfig');
  const sizes = c.sizes.map((s, i) => (i === 0 || i === c.sizes.length - 1 ? s : s * c.alpha));
  const matrices = sizes.slice(1).map((out, i) => out * sizes[i]);
  const budget = c.nnz ?? nnzOf(c.sizes);
  const most = nnzOf(sizes);
  if (budget < matrices.length || budget > most) {
    throw new ConfigError(
      `SparseInitConfig.nnz must be in ${matrices.length}..${most} (one per matrix up to the dense count of sizes [${sizes.join(', ')}]), got ${budget}`,
      { where: 'SparseInitConfig.nnz', got: budget, allowed: `${matrices.length}..${most}` },
    );
  }
  const share = shareBudget(budget, matrices);
  // MLP.create keeps round(density·size) entries per matrix, which is exactly share[l] here
  const density = share.map((k, l) => k / matrices[l]);
  return MLP.create({ sizes, density, activation: c.activation, seed: c.seed, path: c.path }, engine);
}
