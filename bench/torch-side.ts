import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Plan } from './plan.js';

// Debian's interpreter: the pyenv python3 on PATH cannot import Debian's python3-torch.
const PYTHON = '/usr/bin/python3';
const LIBBLAS = '/usr/lib/x86_64-linux-gnu/libblas.so.3';
const ENSURE = fileURLToPath(new URL('../scripts/ensure-torch.sh', import.meta.url));
const PEER = fileURLToPath(new URL('./torch_peer.py', import.meta.url));

const PeerOutput = z.object({
  torch: z.string(),
  blas: z.string(),
  cases: z.array(
    z.object({
      case: z.enum(['train', 'infer', 'gemm']),
      sparsity: z.number(),
      batch: z.number().int(),
      threads: z.number().int(),
      ms: z.number().positive(),
      /** Median CPU time of the peer process (all its threads) per run. */
      cpu_ms: z.number().nonnegative(),
      runs: z.number().int(),
    }),
  ),
});

/** What torch_peer.py printed: the torch version, the libblas it used, one median per case. */
export type TorchRun = z.infer<typeof PeerOutput>;

/** The peer's timings, or why there are none. */
export type TorchResult = { ok: true; run: TorchRun } | { ok: false; reason: string };

function torchImports(): boolean {
  return spawnSync(PYTHON, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0;
}

function blasPath(): string {
  try {
    return realpathSync(LIBBLAS);
  } catch {
    return 'none';
  }
}

/**
 * Makes sure torch imports and runs on the OpenMP OpenBLAS, through scripts/ensure-torch.sh when
 * it does not (its output goes to `log`). Returns null when the peer can run, else why not.
 */
export function ensureTorch(log: (line: string) => void): string | null {
  if (torchImports() && blasPath().includes('openblas-openmp')) return null;
  log(`torch is missing or not on the OpenMP OpenBLAS (libblas: ${blasPath()}); running scripts/ensure-torch.sh`);
  const ensure = spawnSync('bash', [ENSURE], { encoding: 'utf8' });
  for (const line of `${ensure.stdout ?? ''}${ensure.stderr ?? ''}`.trim().split('\n')) if (line) log(line);
  if (!torchImports()) return `torch cannot be imported by ${PYTHON} (ensure-torch.sh exited ${ensure.status}); see its output above`;
  if (!blasPath().includes('openblas-openmp')) {
    log(`warning: torch will use ${blasPath()}, not the OpenMP OpenBLAS; its numbers are not comparable with the study`);
  }
  return null;
}

/** Times `plan` in bench/torch_peer.py (one process, imports torch afresh). */
export function runTorch(plan: Plan): TorchResult {
  const peer = spawnSync(PYTHON, [PEER, JSON.stringify(plan)], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (peer.status !== 0) {
    return { ok: false, reason: `torch_peer.py exited ${peer.status}: ${(peer.stderr ?? '').trim().split('\n').pop()}` };
  }
  const last = peer.stdout.trim().split('\n').pop() ?? '';
  let parsed: ReturnType<typeof PeerOutput.safeParse> | null = null;
  try {
    parsed = PeerOutput.safeParse(JSON.parse(last));
  } catch {
    // not JSON at all: reported below like a line of the wrong shape
  }
  if (!parsed?.success) return { ok: false, reason: `torch_peer.py printed an unexpected last line: '${last.slice(0, 200)}'` };
  return { ok: true, run: parsed.data };
}
