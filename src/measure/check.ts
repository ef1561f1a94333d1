import { ConfigError, ShapeError } from '../engine/index.js';

/** Throws ConfigError unless `value` is an integer >= `min`; `where` names the argument. */
export function checkCount(value: number, min: number, where: string): void {
  if (Number.isInteger(value) && value >= min) return;
  throw new ConfigError(`${where} must be an integer >= ${min}, got ${value}`, { where, got: value, allowed: `>= ${min}` });
}

/** Throws ShapeError unless `a` holds rows × cols values (rows and cols integers >= 1). */
export function checkMatrix(a: ArrayLike<number>, rows: number, cols: number, where: string): void {
  checkCount(rows, 1, `${where} rows`);
  checkCount(cols, 1, `${where} cols`);
  if (a !== null && typeof a === 'object' && a.length === rows * cols) return;
  throw new ShapeError(`${where} must hold rows x cols = ${rows} x ${cols} = ${rows * cols} values, got ${a?.length ?? a}`, {
    where,
    got: a?.length,
    allowed: String(rows * cols),
  });
}
