import { ConfigError, type Rng } from '../engine/index.js';
import type { Dataset } from '../nn/index.js';

/** The label structures of the Boolean task family (shared/spec/boolean-tasks.md section 1). */
export const BOOLEAN_MODES = ['which-clause', 'multi-label', 'dnf'] as const;
/** 'which-clause': m classes; 'multi-label': m sigmoid outputs; 'dnf': one sigmoid output, the OR of all clauses. */
export type BooleanMode = (typeof BOOLEAN_MODES)[number];

/** What the samplers need of the resolved options. */
export interface SampleShape {
  n: number;
  m: number;
  k: number;
  mode: BooleanMode;
}

/** The clauses flattened: literal t of clause c sits at c·k + t; vars ascending within a clause, signs ±1. */
export interface ClauseTable {
  vars: Int32Array; // [m·k]
  signs: Int8Array; // [m·k]
}

// Rejection sampling gives up once fewer than 1 draw in 1000 is accepted, measured after a grace of
// 10 000 draws: a config 2x above that rate fails with probability ~0, and sampling at the edge
// costs ~1000 draws per sample (about a second for 6000 samples at n = m = 32).
const MIN_ACCEPTANCE = 1e-3;
const GRACE_DRAWS = 10_000;
// A clause set with a duplicate is redrawn whole; at most this many sets are tried.
const MAX_CLAUSE_SETS = 1000;

/** C(n, k)·2^k, the number of distinct k-literal clauses over n variables (float64; may round for huge n). */
export function distinctClauseCount(n: number, k: number): number {
  let c = 1;
  // C(n, i + 1) = C(n, i)·(n − i)/(i + 1) stays an integer at every step
  for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
  return Math.round(c * 2 ** k);
}

/** Draws m clauses of k literals on distinct variables with random polarities; a set holding a duplicate is redrawn. */
export function drawClauses(o: SampleShape, rng: Rng): ClauseTable {
  const { n, m, k } = o;
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  const vars = new Int32Array(m * k);
  const signs = new Int8Array(m * k);
  for (let attempt = 0; attempt < MAX_CLAUSE_SETS; attempt++) {
    const seen = new Set<string>();
    for (let c = 0; c < m; c++) {
      // partial Fisher-Yates: perm[0..k) becomes a uniform k-subset, whatever order perm had
      for (let t = 0; t < k; t++) {
        const j = t + rng.int(n - t);
        const v = perm[t];
        perm[t] = perm[j];
        perm[j] = v;
      }
      const at = c * k;
      vars.set(perm.subarray(0, k), at);
      vars.subarray(at, at + k).sort();
      for (let t = 0; t < k; t++) signs[at + t] = rng.int(2) === 1 ? 1 : -1;
      seen.add(`${vars.subarray(at, at + k).join(',')}|${signs.subarray(at, at + k).join(',')}`);
    }
    if (seen.size === m) return { vars, signs };
  }
  throw new ConfigError(
    `could not draw m = ${m} distinct clauses of k = ${k} literals over n = ${n} variables: all ${MAX_CLAUSE_SETS} clause sets held a duplicate (there are ${distinctClauseCount(n, k)} distinct clauses and a set is redrawn whole); lower m or raise n`,
    { where: 'boolean.m', got: m },
  );
}

/**
 * Samples `size` independent rows of mode `o.mode` from `rng` (spec section 1). Where the spec is
 * silent: 'which-clause' keeps the drawn label while it redraws x, so classes stay exactly uniform;
 * 'dnf' makes exactly half of the rows positive (even rows; the training loop shuffles) and keeps a
 * negative's label while it redraws x; forcing a clause ('which-clause', 'dnf' positives, 'multi-label') leaves the
 * other variables uniform, so in 'dnf' and 'multi-label' other clauses may hold too.
 */
export function sampleSet(o: SampleShape, table: ClauseTable, size: number, rng: Rng): Dataset {
  const { n, m, mode } = o;
  const x = new Float32Array(size * n);
  const row = new Int8Array(n); // the current sample, ±1
  const guard = new AcceptanceGuard(o);
  const y = mode === 'which-clause' ? new Int32Array(size) : new Float32Array(size * (mode === 'dnf' ? 1 : m));
  for (let s = 0; s < size; s++) {
    if (mode === 'which-clause') {
      const c = rng.int(m);
      y[s] = c;
      for (;;) {
        uniformRow(rng, row);
        forceClause(table, o.k, c, row);
        if (!anySatisfied(table, o, row, c)) break;
        guard.reject();
      }
      guard.accept();
    } else if (mode === 'dnf') {
      const positive = s % 2 === 0;
      y[s] = positive ? 1 : 0;
      if (positive) {
        uniformRow(rng, row);
        forceClause(table, o.k, rng.int(m), row);
      } else {
        for (;;) {
          uniformRow(rng, row);
          if (!anySatisfied(table, o, row, -1)) break;
          guard.reject();
        }
        guard.accept();
      }
    } else {
      uniformRow(rng, row);
      if (rng.int(2) === 1) forceClause(table, o.k, rng.int(m), row);
      for (let c = 0; c < m; c++) y[s * m + c] = satisfied(table, o.k, c, row) ? 1 : 0;
    }
    x.set(row, s * n);
  }
  return { x, y, size };
}

/** Counts the draws of the rejection loops and throws a ConfigError once acceptance is hopeless. */
class AcceptanceGuard {
  private draws = 0;
  private accepted = 0;
  constructor(private readonly o: SampleShape) {}

  accept(): void {
    this.draws++;
    this.accepted++;
  }

  reject(): void {
    this.draws++;
    if (this.draws <= GRACE_DRAWS + this.accepted / MIN_ACCEPTANCE) return;
    const { n, m, k, mode } = this.o;
    const rate = (this.accepted / this.draws).toExponential(1);
    const [why, fix] =
      mode === 'which-clause'
        ? ['a sample forced to satisfy its clause almost always satisfies another one too', "lower m, raise k, or use mode 'multi-label'"]
        : ['a uniform input almost always satisfies some clause, so negatives cannot be drawn', 'lower m or raise k'];
    throw new ConfigError(
      `boolean mode '${mode}' cannot be sampled with n = ${n}, m = ${m}, k = ${k}: only ${this.accepted} of ${this.draws} draws were accepted (rate ${rate}, minimum ${MIN_ACCEPTANCE}) because ${why}; ${fix}`,
      { where: 'boolean.m', got: m, allowed: `acceptance rate >= ${MIN_ACCEPTANCE}` },
    );
  }
}

function uniformRow(rng: Rng, row: Int8Array): void {
  const n = row.length;
  for (let i = 0; i < n; i += 32) {
    let bits = rng.nextU32();
    const end = Math.min(n, i + 32);
    for (let j = i; j < end; j++) {
      row[j] = (bits & 1) * 2 - 1;
      bits >>>= 1;
    }
  }
}

function forceClause(table: ClauseTable, k: number, c: number, row: Int8Array): void {
  for (let t = c * k; t < (c + 1) * k; t++) row[table.vars[t]] = table.signs[t];
}

function satisfied(table: ClauseTable, k: number, c: number, row: Int8Array): boolean {
  for (let t = c * k; t < (c + 1) * k; t++) if (row[table.vars[t]] !== table.signs[t]) return false;
  return true;
}

/** Whether `row` satisfies a clause other than `except` (-1: any clause). */
function anySatisfied(table: ClauseTable, o: SampleShape, row: Int8Array, except: number): boolean {
  for (let c = 0; c < o.m; c++) if (c !== except && satisfied(table, o.k, c, row)) return true;
  return false;
}
