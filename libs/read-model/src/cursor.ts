/**
 * Cursors are opaque to clients. Inside they carry the epoch and a change-stream entry id:
 * `<epoch>.<ms>-<seq>`, so a cursor of a lost history (another epoch) is never taken for a
 * position in the current one.
 */
export interface CursorParts {
  readonly epoch: string;
  /** Redis stream id `<ms>-<seq>`; `0-0` before the first entry. */
  readonly id: string;
}

const CURSOR = /^([0-9a-z]{1,40})\.(\d{1,20}-\d{1,20})$/;

export function encodeCursor(epoch: string, id: string): string {
  return `${epoch}.${id}`;
}

/** The parts of a cursor, or undefined when `cursor` is not one of ours. */
export function decodeCursor(cursor: unknown): CursorParts | undefined {
  if (typeof cursor !== 'string') return undefined;
  const match = CURSOR.exec(cursor);
  return match ? { epoch: match[1], id: match[2] } : undefined;
}

/** Orders two stream ids numerically (`10-0` after `9-5`). */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(BigInt);
  const [bMs, bSeq] = b.split('-').map(BigInt);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq !== bSeq) return aSeq < bSeq ? -1 : 1;
  return 0;
}
