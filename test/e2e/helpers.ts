import { spawnSync } from 'node:child_process';

/** What a CLI run printed and returned; `json()` parses the last stdout line. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: () => Record<string, unknown>;
}

/** Runs `widen ARGS` from source (test/e2e/widen.ts) in a child process with one kernel thread. */
export function widen(...args: string[]): CliResult {
  return widenWithEnv({}, ...args);
}

/** widen(...args) with `env` over this process's environment; an undefined value unsets the variable. */
export function widenWithEnv(env: Record<string, string | undefined>, ...args: string[]): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/e2e/widen.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, WIDEN_THREADS: '1', ...env },
  });
  return {
    code: r.status ?? -1,
    stdout: r.stdout,
    stderr: r.stderr,
    json: () => JSON.parse(r.stdout.trim().split('\n').at(-1) ?? ''),
  };
}
