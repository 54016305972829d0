import type { ValueTransformer } from 'typeorm';

/**
 * Quantities are stored as `bigint` (a contract quantity may exceed 2^31); node-postgres reads
 * them as strings, and every quantity the contracts allow fits a JavaScript number exactly.
 */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
