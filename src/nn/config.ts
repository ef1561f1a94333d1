import type { z } from 'zod';
import { ConfigError } from '../engine/index.js';

/**
 * Parses `value` with a strict zod schema and returns the typed result. Every zod issue becomes
 * one clause of a single ConfigError that names the key path under `where` (e.g. `MlpConfig.sizes[1]`),
 * the bad value and what is allowed; unknown keys list the keys that are allowed there.
 */
export function parseConfig<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  checkConfigDepth(value, where);
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const seen = new Set<string>();
  const clauses: string[] = [];
  let first = where;
  for (const issue of result.error.issues) {
    const at = where + formatPath(issue.path);
    if (seen.has(at)) continue; // zod may report a second, derived issue for the same key
    seen.add(at);
    if (clauses.length === 0) first = at;
    clauses.push(describe(schema, issue, at));
  }
  throw new ConfigError(`invalid ${where}: ${clauses.join('; ')}`, { where: first, got: value });
}

function describe(schema: z.ZodType, issue: z.core.$ZodIssue, at: string): string {
  if (issue.code === 'unrecognized_keys') {
    const allowed = keysAt(schema, issue.path);
    const keys = issue.keys.map((k) => `'${at}.${k}'`).join(', ');
    return `unknown key ${keys}; allowed keys: ${allowed.join(', ')}`;
  }
  if (issue.code === 'invalid_value') {
    return `${at} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${show(issue.input)}`;
  }
  return `${at}: ${issue.message}, got ${show(issue.input)}`;
}

/** Deepest nesting of arrays and objects a config value may have (widen's own configs nest 4 deep). */
export const MAX_CONFIG_DEPTH = 32;

/**
 * Throws a ConfigError when `value` nests arrays or objects deeper than MAX_CONFIG_DEPTH; walks
 * with an explicit stack, so a 10,000-deep value is refused without a stack overflow.
 */
export function checkConfigDepth(value: unknown, where: string): void {
  const stack: Array<[unknown, string, number]> = [[value, where, 0]];
  while (stack.length > 0) {
    const [v, at, depth] = stack.pop() as [unknown, string, number];
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_CONFIG_DEPTH)
      throw new ConfigError(`invalid ${where}: ${at} nests deeper than ${MAX_CONFIG_DEPTH} levels; configs are shallow`, {
        where: at,
        allowed: `at most ${MAX_CONFIG_DEPTH} levels of nesting`,
      });
    for (const [k, c] of Object.entries(v)) stack.push([c, Array.isArray(v) ? `${at}[${k}]` : `${at}.${k}`, depth + 1]);
  }
}

function formatPath(path: PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'function') return 'a function';
  try {
    const s = JSON.stringify(v);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    // JSON.stringify refuses cycles and BigInts; String(v) could recurse or call a hostile toString
    return Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v;
  }
}

const WRAPPERS = new Set(['optional', 'default', 'nullable', 'prefault', 'readonly']);

/** Keys an object schema allows at `path` (through optional/default wrappers and arrays). */
function keysAt(schema: z.core.$ZodType, path: PropertyKey[]): string[] {
  let s: z.core.$ZodType | undefined = unwrap(schema);
  for (const k of path) {
    const def: z.core.$ZodTypeDef = s._zod.def;
    if (def.type === 'object') s = (def as z.core.$ZodObjectDef).shape[String(k)];
    else if (def.type === 'array') s = (def as z.core.$ZodArrayDef).element;
    else return [];
    if (s === undefined) return [];
    s = unwrap(s);
  }
  const def = s._zod.def;
  return def.type === 'object' ? Object.keys((def as z.core.$ZodObjectDef).shape) : [];
}

function unwrap(s: z.core.$ZodType): z.core.$ZodType {
  while (WRAPPERS.has(s._zod.def.type)) s = (s._zod.def as z.core.$ZodOptionalDef).innerType;
  return s;
}
