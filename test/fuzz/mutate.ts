// Input generators for the fuzz targets: random bytes and mutations of valid files (bit flips,
// truncation, appended bytes, edits of the header).
import fc from 'fast-check';

/** Numbers that break size arithmetic: zero, negatives, 2^32, 2^53 and past it, 1e20, 1e309 (as text), NaN-like text. */
export const NASTY_NUMBERS = [0, 1, -1, 255, 65536, 2 ** 31, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 1e20, 1e300, 0.5];
/** The same as texts, plus texts that no JSON number reader accepts. */
export const NASTY_TEXTS = [
  ...NASTY_NUMBERS.map(String),
  '1e309',
  '-0',
  '9007199254740993',
  'NaN',
  'Infinity',
  '',
  'null',
  '[]',
  '{}',
  ' 1',
];

/** A JSON value that is small but may be anything, or one of the nasty numbers and texts. */
export const anyJson = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom<unknown>(...NASTY_NUMBERS, ...NASTY_TEXTS),
    fc.jsonValue({ maxDepth: 2 }),
    fc.integer(),
    fc.double({ noNaN: true }),
  );

/** One mutation of a byte string: applies to any base. */
type Mutation = (bytes: Uint8Array) => Uint8Array;

const bitFlips = fc.array(fc.tuple(fc.nat(), fc.nat(7)), { minLength: 1, maxLength: 8 }).map(
  (flips): Mutation =>
    (b) => {
      const out = new Uint8Array(b);
      if (out.length === 0) return out;
      for (const [at, bit] of flips) out[at % out.length] ^= 1 << bit;
      return out;
    },
);
const truncate = fc.nat().map(
  (n): Mutation =>
    (b) =>
      b.slice(0, b.length === 0 ? 0 : n % b.length),
);
const append = fc.uint8Array({ minLength: 1, maxLength: 64 }).map(
  (tail): Mutation =>
    (b) =>
      concat(b, tail),
);
const overwrite = fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(
  ([at, chunk]): Mutation =>
    (b) => {
      const out = new Uint8Array(b);
      if (out.length > 0) out.set(chunk.subarray(0, Math.max(0, out.length - (at % out.length))), at % out.length);
      return out;
    },
);

/**
 * Byte inputs for a parser: random bytes (half of them starting with `magic`), and 1 to 3 mutations
 * (bit flips, truncation, appended or overwritten bytes, and the format's own header `edits`) of
 * one of the valid `bases`.
 */
export function mutatedBytes(bases: Uint8Array[], magic: Uint8Array, edits: fc.Arbitrary<Mutation>[] = []): fc.Arbitrary<Uint8Array> {
  const mutation = fc.oneof(bitFlips, truncate, append, overwrite, ...edits.map((e) => ({ arbitrary: e, weight: 3 })));
  const random = fc.tuple(fc.boolean(), fc.uint8Array({ maxLength: 256 })).map(([m, b]) => (m ? concat(magic, b) : b));
  const mutated = fc
    .tuple(fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([base, ms]) => ms.reduce((b, m) => m(b), base));
  return fc.oneof({ arbitrary: random, weight: 1 }, { arbitrary: mutated, weight: 4 }, { arbitrary: fc.constantFrom(...bases), weight: 1 });
}

/** `a` then `b`. */
export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Every path to a value in a JSON tree (objects and arrays), the root first. */
export function jsonPaths(v: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  const out = [at];
  if (Array.isArray(v)) for (const [i, x] of v.entries()) out.push(...jsonPaths(x, [...at, i]));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) out.push(...jsonPaths(x, [...at, k]));
  return out;
}

/** A deep copy of `root` with the value at `path` replaced (or, with `remove`, deleted). */
export function withPath(root: unknown, path: Array<string | number>, value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<string | number, unknown>;
  const [k, ...rest] = path;
  if (rest.length === 0 && remove) {
    if (Array.isArray(copy)) (copy as unknown[]).splice(k as number, 1);
    else delete copy[k];
  } else copy[k] = withPath(copy[k], rest, value, remove);
  return copy;
}

/** Edits of a JSON tree: replace a node with a generated value, delete a node, or add a key; `pick` chooses the node. */
export function jsonEdits(): fc.Arbitrary<(v: unknown) => unknown> {
  const replace = fc.tuple(fc.nat(), anyJson()).map(([pick, value]) => (v: unknown) => {
    const paths = jsonPaths(v);
    return withPath(v, paths[pick % paths.length], value);
  });
  const remove = fc.nat().map((pick) => (v: unknown) => {
    const paths = jsonPaths(v).slice(1);
    return paths.length === 0 ? v : withPath(v, paths[pick % paths.length], undefined, true);
  });
  const add = fc.tuple(fc.nat(), fc.string({ maxLength: 8 }), anyJson()).map(([pick, key, value]) => (v: unknown) => {
    const objects = jsonPaths(v).filter((p) => {
      const node = p.reduce((n: unknown, k) => (n as Record<string | number, unknown>)[k], v);
      return typeof node === 'object' && node !== null && !Array.isArray(node);
    });
    if (objects.length === 0) return v;
    const p = objects[pick % objects.length];
    return withPath(v, [...p, key], value);
  });
  return fc.oneof(replace, remove, add);
}

/** 1 to 4 edits of one of `bases`, or any small JSON value. */
export function mutatedJson(bases: unknown[]): fc.Arbitrary<unknown> {
  const edited = fc
    .tuple(fc.constantFrom(...bases), fc.array(jsonEdits(), { minLength: 1, maxLength: 4 }))
    .map(([base, edits]) => edits.reduce((v, e) => e(v), base));
  return fc.oneof(
    { arbitrary: edited, weight: 6 },
    { arbitrary: anyJson(), weight: 1 },
    { arbitrary: fc.constantFrom(...bases), weight: 1 },
  );
}
