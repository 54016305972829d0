/**
 * Quantities are stored as `bigint`; node-postgres reads them as strings, turned into numbers
 * that must be safe integers (every quantity the contracts allow is).
 */
export { bigintAsNumber } from '@tracker/platform';
