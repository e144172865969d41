import { type TNumberOptions, Type } from 'typebox';

/**
 * Every number a caller sends is finite and within ±NUMBER_BOUND (docs/kpis.md → Numbers).
 * JSON's `1e400` parses as Infinity, which the bounds refuse too (400 naming the field), so
 * no non-finite or overflowing figure ever reaches the database.
 */
const NUMBER_BOUND = 1e15;

/** A finite number with |x| ≤ NUMBER_BOUND (narrower bounds may be given). */
export function BoundedNumber(options: TNumberOptions = {}) {
  return Type.Number({ minimum: -NUMBER_BOUND, maximum: NUMBER_BOUND, ...options });
}

/**
 * A stored or computed figure as the API may show it: a number when it is finite, else null.
 * Reads of `numeric` sums arrive as text; anything that is not a finite number is null, so a
 * value stored before the bounds existed cannot make a response fail.
 */
export function finiteOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}
