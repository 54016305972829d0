/**
 * MIL-STD-1168 style lot number: manufacturer code (3–4), year (2 digits), month letter (A–M
 * without I), interfix (3 digits), `-`, sequence (3 digits), optional suffix (up to 2), e.g.
 * `RHM26C001-004`. Recognised where present, never required: any entity id is a valid `lotId`.
 */
export const LOT_NUMBER_PATTERN =
  /^(?<manufacturerCode>[A-Z0-9]{3,4})(?<year>\d{2})(?<month>[A-HJ-M])\d{3}-\d{3}[A-Z0-9]{0,2}$/;

/** Month letters of MIL-STD-1168 in calendar order: I is skipped, as it reads like 1. */
const MONTH_LETTERS = 'ABCDEFGHJKLM';

/** What a MIL-STD-1168 style lot number says about the lot. */
export interface LotNumberParts {
  /** The manufacturer's code as written in the lot number, e.g. `RHM`. */
  readonly manufacturerCode: string;
  /** Four-digit year of manufacture, 2000–2099. */
  readonly year: number;
  /** Month of manufacture, 1–12. */
  readonly month: number;
}

/**
 * Reads a lot id as a MIL-STD-1168 style lot number; `undefined` when it is not one (a
 * producer's own reference), which is not an error.
 */
export function parseLotNumber(lotId: string): LotNumberParts | undefined {
  const groups = LOT_NUMBER_PATTERN.exec(lotId)?.groups;
  if (groups === undefined) return undefined;
  return {
    manufacturerCode: groups.manufacturerCode,
    year: 2000 + Number(groups.year),
    month: MONTH_LETTERS.indexOf(groups.month) + 1,
  };
}
