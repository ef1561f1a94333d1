import { WidenError } from '../index.js';
import { type OptionSpec, optionsFor } from './options.js';

/** A parsed option value: the type its spec names. */
export type OptionValue = string | number | boolean | number[];

/** Turns `--train-size` style keys from the parser into validated values, keyed by the long name. */
export function readOptions(command: string, raw: Record<string, unknown>): Map<string, OptionValue> {
  const out = new Map<string, OptionValue>();
  for (const spec of optionsFor(command)) {
    const key = camel(spec.long);
    if (!(key in raw) || raw[key] === undefined) continue;
    out.set(spec.long, readOne(spec, raw[key]));
  }
  return out;
}

function readOne(spec: OptionSpec, value: unknown): OptionValue {
  const flag = `--${spec.long}`;
  if (Array.isArray(value)) throw usage(`${flag} was given more than once; give it once`);
  if (spec.type === 'boolean') {
    if (typeof value !== 'boolean') throw usage(`${flag} takes no value, got '${value}'`);
    return value;
  }
  const text = String(value);
  if (value === true || text === '') throw usage(`${flag} needs a value (${spec.type})`);
  let parsed: OptionValue = text;
  if (spec.type === 'number' || spec.type === 'integer') {
    const n = Number(text);
    if (!Number.isFinite(n) || (spec.type === 'integer' && !Number.isInteger(n))) {
      throw usage(`invalid option value: ${flag} ${text}; expected ${spec.type === 'integer' ? 'an integer' : 'a number'}`);
    }
    parsed = n;
  } else if (spec.type === 'list') {
    const items = text.split(',').map((s) => Number(s.trim()));
    if (items.some((n) => !Number.isInteger(n)))
      throw usage(`invalid option value: ${flag} ${text}; expected comma-separated integers, e.g. 64,64`);
    parsed = items;
  }
  if (spec.choices && !spec.choices.includes(String(parsed))) {
    throw usage(`invalid option value: ${flag} ${text}; valid values are: ${spec.choices.join(', ')}`);
  }
  return parsed;
}

function camel(long: string): string {
  return long.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function usage(message: string): WidenError {
  return new WidenError('usage', message);
}

/** Builds the nested config overrides named by the `configPath` of each given flag. */
export function configOverrides(command: string, values: Map<string, OptionValue>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const spec of optionsFor(command)) {
    if (!spec.configPath || !values.has(spec.long)) continue;
    const keys = spec.configPath.split('.');
    let node = root;
    for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]] = values.get(spec.long);
  }
  return root;
}
