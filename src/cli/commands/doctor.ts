import { doctor as runDoctor } from '../../node/index.js';
import type { OptionValue } from '../read-options.js';
import { printJson } from './shared.js';

const MARK = { ok: 'ok     ', warn: 'warn   ', missing: 'missing' } as const;

/** `widen doctor`: what this machine has for widen and its optional parts, and what to do about what is missing; exits 0 either way. */
export async function doctor(_args: string[], options: Map<string, OptionValue>): Promise<void> {
  const checks = await runDoctor();
  if (options.get('json') === true) return printJson({ checks });
  const width = Math.max(...checks.map((c) => c.name.length));
  for (const c of checks) {
    console.log(`${MARK[c.status]}  ${c.name.padEnd(width)}  ${c.found}${c.optional && c.status !== 'ok' ? ' (optional)' : ''}`);
    if (c.fix !== null) console.log(`${' '.repeat(9 + width + 2)}-> ${c.fix}`);
  }
  const needed = checks.filter((c) => !c.optional && c.status === 'missing');
  console.log(needed.length === 0 ? 'widen can run here.' : `widen needs: ${needed.map((c) => c.name).join(', ')}`);
}
