/**
 * The multiply-add peak of one core with 128-bit WebAssembly SIMD: the ceiling of every widen
 * kernel on this machine, measured in the same run as the cases so the GEMM rate and the dense
 * ratios can be read against what the hardware allows (wasm has no wider vectors; the PyTorch peer
 * uses OpenBLAS with AVX-512 where the CPU has it).
 *
 * The probe is compiled here from the AssemblyScript below with the same compiler as the kernels:
 * twelve independent accumulator chains of f32x4 multiply-adds and no memory traffic. Twelve
 * chains cover a 4-cycle fused multiply-add on two pipes (8 chains) and a 3 + 3-cycle mul + add
 * (12), so the loop runs at the issue rate. Plain SIMD counts a mul + add pair as one multiply-add (2 flops per lane), as in GEMM.
 * Both operands come from the argument, not from constants: Node 24's V8 rebuilds a v128
 * constant operand before every multiply-add (three more instructions each), which cut the
 * measured rate to a third.
 */
import asc from 'assemblyscript/asc';
import { enableRelaxedSimd } from '../src/node/index.js';

const CHAINS = 12;

function source(relaxed: boolean): string {
  const step = (c: string) => (relaxed ? `${c} = f32x4.relaxed_madd(${c}, b, a);` : `${c} = f32x4.add(f32x4.mul(${c}, b), a);`);
  const names = Array.from({ length: CHAINS }, (_, i) => `c${i}`);
  return `export function peak(iters: i32, seed: f32): f32 {
  const a = f32x4.splat(seed);
  const b = f32x4.splat(<f32>1.0 - seed);
  ${names.map((c, i) => `let ${c} = f32x4.splat(${(i + 1) / 10});`).join('\n  ')}
  for (let i = 0; i < iters; i++) {
    ${names.map(step).join('\n    ')}
  }
  let s = c0;
  ${names
    .slice(1)
    .map((c) => `s = f32x4.add(s, ${c});`)
    .join('\n  ')}
  return f32x4.extract_lane(s, 0);
}`;
}

/** Peak GFLOP/s of one thread (CPU time) with plain and with relaxed (fused multiply-add) SIMD; null where the build does not run here. */
export interface FmaPeak {
  plain_gflops: number;
  relaxed_gflops: number | null;
}

/** The probe compiled for plain (mul + add) or relaxed (relaxed_madd) SIMD: peak(iters, seed) runs the chains and returns lane 0 of their sum. */
export async function compileProbe(relaxed: boolean): Promise<(iters: number, seed: number) => number> {
  const enable = relaxed ? ['simd', 'relaxed-simd'] : ['simd'];
  const out = await asc.compileString(source(relaxed), { optimizeLevel: 3, runtime: 'stub', enable, noAssert: true });
  if (out.error || out.binary === null) throw new Error(`fma peak probe did not compile: ${out.stderr.toString()}`);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(out.binary)));
  return instance.exports.peak as (iters: number, seed: number) => number;
}

/**
 * Best of `runs` timings of `iters` iterations (CPU time of this process), in GFLOP/s. Warm-up
 * first: short calls for 300 ms, so that V8's optimizing tier has replaced the baseline code (a wasm
 * function tiers up between calls, never inside one: Node 24 ran a whole first long call in the
 * baseline tier at a third of the rate).
 */
function rate(fn: (iters: number, seed: number) => number, iters: number, runs: number): number {
  const until = performance.now() + 300;
  while (performance.now() < until) fn(1e5, 1e-3);
  let best = 0;
  for (let r = 0; r < runs; r++) {
    const start = process.cpuUsage();
    fn(iters, 1e-3);
    const used = process.cpuUsage(start);
    const seconds = (used.user + used.system) / 1e6;
    if (seconds > 0) best = Math.max(best, (iters * CHAINS * 8) / seconds / 1e9);
  }
  return Number(best.toFixed(1));
}

/** Measures both builds' peak (about 3 s; `quick`: about 1 s). */
export async function measureFmaPeak(quick: boolean): Promise<FmaPeak> {
  const iters = quick ? 2e7 : 2e8;
  const plain = rate(await compileProbe(false), iters, 3);
  const relaxed = enableRelaxedSimd() ? rate(await compileProbe(true), iters, 3) : null;
  return { plain_gflops: plain, relaxed_gflops: relaxed };
}
