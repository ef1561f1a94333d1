import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

interface CpuSnapshot {
  busy: number;
  total: number;
  own: number;
}

/** Jiffies from /proc: busy and total summed over all CPUs, and this process's (all threads, plus waited-for children). */
function snapshot(): CpuSnapshot {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3] + (fields[4] ?? 0); // idle + iowait
  // /proc/self/stat after "pid (comm) ": index 11..14 are utime, stime, cutime, cstime
  const self = readFileSync('/proc/self/stat', 'utf8');
  const rest = self
    .slice(self.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return { busy: total - idle, total, own: rest[11] + rest[12] + rest[13] + rest[14] };
}

/**
 * Starts a meter of the CPU that other processes use; the returned function gives their average
 * in cores since the start (0 = idle, 1 = one core busy), or null without /proc. This process,
 * its threads and the children it waited for (the torch peer) are not counted. A 2-vCPU machine
 * has no spare core: anything above ~0.2 skews both engines' medians.
 */
export function otherCpuMeter(): () => number | null {
  let start: CpuSnapshot;
  try {
    start = snapshot();
  } catch {
    return () => null;
  }
  return () => {
    const now = snapshot();
    if (now.total <= start.total) return null;
    const cores = ((now.busy - start.busy - (now.own - start.own)) / (now.total - start.total)) * cpus().length;
    return Number(Math.max(0, cores).toFixed(2));
  };
}

/** Other processes' CPU use in cores over the next `ms`, while this thread sleeps. */
export function otherCpuLoad(ms = 500): number | null {
  const meter = otherCpuMeter();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return meter();
}

/** The "machine" object of the JSON report, before the torch and widen fields are added. */
export function describeMachine(): { cpu: string; cores: number; memory_gib: number; node: string } {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_gib: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
}
