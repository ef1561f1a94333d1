import type { z } from 'zod';
import { ConfigError } from '../engine/index.js';

/**
 * Parses `value` with a zod schema; on failure throws a ConfigError whose message lists every
 * issue as `path: problem` (e.g. `model.activation: invalid option: expected one of "relu"|...`).
 */
export function parseConfig<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    if (issue.code === 'unrecognized_keys') {
      return `${path}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    }
    return `${path}: ${issue.message}`;
  });
  throw new ConfigError(`invalid ${where}:\n  ${lines.join('\n  ')}`, { where, got: value, allowed: lines.join('; ') });
}
