/**
 * The history of a pledge (issue 18, "Nothing is overwritten"): one entry per event the tracker
 * applied that is about the pledge, in the order the tracker applied them, each saying what the
 * event changed in the pledge's figures. The projection appends entries in the same atomic step
 * as everything else it applies, so the history is rebuilt with the rest, never counts an event
 * twice, and the sum of every figure's changes is the pledge's live figure.
 *
 * Redis: one hash per pledge and epoch, `{<ns>}:<epoch>:history:<pledgeId>`; field = event id
 * (HSETNX: an event applied again keeps its first entry), value = the entry as JSON with `seq`,
 * the epoch's running number of history entries (`{<ns>}:<epoch>:hseq`), which orders them.
 */

/** The figures of a pledge an entry may change (the pledge channel's fields, DESIGN.md §6). */
export const HISTORY_FIELDS = [
  'pledged',
  'allocated',
  'shipped',
  'received',
  'accepted',
  'rejected',
  'lost',
  'outstanding',
  'status',
  'targetDate',
] as const;
export type HistoryField = (typeof HISTORY_FIELDS)[number];

/** The figures every token may see (README, "Who sees what": pledges as announced, status, delivered). */
export const PUBLIC_HISTORY_FIELDS: readonly HistoryField[] = [
  'pledged',
  'accepted',
  'outstanding',
  'status',
  'targetDate',
];

/** The numeric figures: their changes add up to the live value. */
export const COUNTED_HISTORY_FIELDS = [
  'pledged',
  'allocated',
  'shipped',
  'received',
  'accepted',
  'rejected',
  'lost',
  'outstanding',
] as const satisfies readonly HistoryField[];

export interface HistoryChange {
  readonly before: number | string | null;
  readonly after: number | string | null;
}

/**
 * One event behind a pledge's figures.
 * - `time`: when it happened (the event's `time`); `recordedAt`: when the tracker recorded it
 *   (the timestamp of its record on its contract topic), both RFC 3339.
 * - `reportedBy`: the party the event names (`reportedBy` of a receipt or correction,
 *   `dispatchedBy` of a dispatch), null when it names none; `source` is the emitter.
 * - `confidence`: a pledge event's confidence as announced; `confirmed` for a receipt or
 *   correction its recipient (or an admin) reported, `reported` for every other fact.
 * - `class`: the data class of the entry (libs/access): `public` for the pledge's own events and
 *   confirmed receipts and corrections, `operational` for allocations, shipments, milestones,
 *   losses and unconfirmed receipts.
 * - `changes`: each figure the event moved, before → after; empty when it moved none.
 * - `includes`: facts that arrived before this entry and count from it on (an allocation or a
 *   shipment before its pledge was announced, a receipt before its dispatch):
 *   `allocation:<id>`, `shipment:<id>`, `event:<id>`.
 */
export interface PledgeHistoryEntry {
  readonly seq: number;
  readonly eventId: string;
  readonly type: string;
  readonly source: string;
  readonly reportedBy: string | null;
  readonly time: string;
  readonly recordedAt: string;
  readonly confidence: string | null;
  readonly class: 'public' | 'operational';
  readonly reason?: string;
  readonly shipmentId?: string;
  readonly includes?: readonly string[];
  readonly changes: Partial<Record<HistoryField, HistoryChange>>;
}

/** An entry as the projection writes it: the step gives it its `seq`. */
export type UnnumberedHistoryEntry = Omit<PledgeHistoryEntry, 'seq'>;

/** The key suffix of a pledge's history under an epoch's prefix. */
export const HISTORY_PREFIX = 'history:';
/** The epoch's running number of history entries, under its prefix. */
export const HISTORY_SEQUENCE = 'hseq';

/**
 * An entry as a viewer who may only see the pledge's public class sees it: its public figures
 * only, without the parties and shipments it names.
 */
export function publicHistoryEntry(entry: PledgeHistoryEntry): PledgeHistoryEntry {
  const changes: Partial<Record<HistoryField, HistoryChange>> = {};
  for (const field of PUBLIC_HISTORY_FIELDS) {
    const change = entry.changes[field];
    if (change !== undefined) changes[field] = change;
  }
  const { seq, eventId, type, source, reportedBy, time, recordedAt, confidence, reason } = entry;
  return {
    seq,
    eventId,
    type,
    source,
    reportedBy,
    time,
    recordedAt,
    confidence,
    class: 'public',
    ...(reason === undefined ? {} : { reason }),
    changes,
  };
}
