import type { ValueTransformer } from 'typeorm';

/**
 * A Postgres `bigint` (or a `sum(…)`, which node-postgres reads as a string) as a JavaScript
 * number. Every quantity the contracts allow (≤ 10^9 per event) and every sum of up to 9,007,199
 * of them is a safe integer; a value past 2^53 − 1 would silently lose units as a number, so it
 * is refused loudly instead.
 */
export function safeInteger(value: string | number | bigint, what = 'value'): number {
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(number)) {
    throw new RangeError(`${what} ${String(value)} is not a safe integer (|x| ≤ 2^53 − 1)`);
  }
  return number;
}

/** TypeORM transformer of a `bigint` column read as a number (see {@link safeInteger}). */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : safeInteger(value, 'bigint column')),
};
