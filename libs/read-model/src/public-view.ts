import type { PublicAnnouncement, PublicFact, RecordedPublicFact } from './public-ledger';

/**
 * The public view (README, "Who sees what"): what the public ledger says, folded. A pure
 * function of the facts recorded up to a cutoff, so every gateway instance, and every request,
 * folds the same facts to the same answer. Nothing operational leaves the fold: shipments only
 * link a receipt to its pledge.
 */

/** A pledge's public status, first match wins: cancelled, delivered, partly, overdue, announced. */
export const PUBLIC_PLEDGE_STATUSES = [
  'cancelled',
  'delivered',
  'partially-delivered',
  'overdue',
  'announced',
] as const;
export type PublicPledgeStatus = (typeof PUBLIC_PLEDGE_STATUSES)[number];

/**
 * A pledge as the public sees it: the announcement with its amendments applied in recording
 * order (`quantity`, `targetDate`; `valueCents` scaled by amended over announced quantity),
 * what the recipient confirmed receiving (`delivered`) and, once cancelled, when and why.
 */
export interface PublicPledge extends PublicAnnouncement {
  readonly status: PublicPledgeStatus;
  readonly delivered: number;
  readonly cancelled?: { readonly at: string; readonly reason: string };
}

/**
 * One donor × item × month (`YYYY-MM`, UTC). `pledged`: quantity of the pledges announced that
 * month, amendments applied, cancelled pledges left out; `pledgedValueCents` their value where
 * announced. `delivered`: quantity accepted that month (the receipt's time) towards the donor's
 * pledges of the item, cancelled ones included (it was delivered); `deliveredValueCents` its
 * value at the pledge's announced value per unit. Values are whole cents, rounded per pledge.
 */
export interface PublicSummaryRow {
  readonly donor: string;
  readonly itemCode: string;
  readonly month: string;
  readonly pledged: number;
  readonly pledgedValueCents: number;
  readonly delivered: number;
  readonly deliveredValueCents: number;
}

/** The whole public view: pledges in `pledgeId` order, summary rows and their totals. */
export interface PublicView {
  readonly pledges: readonly PublicPledge[];
  readonly rows: readonly PublicSummaryRow[];
  readonly totals: { readonly pledged: number; readonly delivered: number };
}

type Amendment = Extract<PublicFact, { k: 'amended' }>;
type Cancellation = Extract<PublicFact, { k: 'cancelled' }>;
type Acceptance = Pick<Extract<PublicFact, { k: 'accepted' }>, 't' | 'shipmentId' | 'quantity'>;
type Correction = Extract<PublicFact, { k: 'corrected' }>;
/** A receipt that counts: when it was accepted and how much. */
export type PublicReceipt = Pick<Acceptance, 't' | 'quantity'>;

/** The facts sorted out by what they are about; recording order kept within each list. */
interface Sorted {
  readonly announced: Map<string, PublicAnnouncement>;
  readonly amended: Map<string, Amendment[]>;
  readonly cancelled: Map<string, Cancellation>;
  /** shipmentId → pledgeId */
  readonly shipped: Map<string, string>;
  readonly accepted: Acceptance[];
  /** shipmentId → its latest correction (by `t`, then `id`) */
  readonly corrected: Map<string, Correction>;
}

/**
 * Folds the public ledger, cut at the cutoff, into the public view. `asOf` (an ISO instant)
 * decides which pledges are overdue: a target date before its UTC date. The facts may come in
 * any order of recording between a shipment's link to its pledge and its receipts.
 */
export function foldPublicView(facts: readonly RecordedPublicFact[], asOf: string): PublicView {
  const sorter = new PublicFactSorter();
  for (const { fact } of [...facts].sort((a, b) => a.recordedMs - b.recordedMs)) sorter.add(fact);
  const { pledges, announced, receipts } = sorter.pledges(asOf);
  const rows = summaryRows(pledges, announced, receipts);
  return { pledges, rows, totals: totalsOf(rows) };
}

/** The public pledges folded from a ledger, with what they were folded from. */
export interface FoldedPublicPledges {
  /** In `pledgeId` order. */
  readonly pledges: readonly PublicPledge[];
  /** Each pledge as first announced (its value per unit prices its deliveries). */
  readonly announced: ReadonlyMap<string, PublicAnnouncement>;
  /** The receipts that count for each pledge: `t` when accepted, `quantity` accepted. */
  readonly receipts: ReadonlyMap<string, readonly PublicReceipt[]>;
}

/**
 * Sorts public facts out by what they are about, fed in recording order (page by page when the
 * ledger is read in pages), then folds them into the public pledges: the fold behind the public
 * view and the exports. It holds one entry per pledge, shipment link and receipt, never the
 * facts themselves.
 */
export class PublicFactSorter {
  private readonly sorted: Sorted = {
    announced: new Map(),
    amended: new Map(),
    cancelled: new Map(),
    shipped: new Map(),
    accepted: [],
    corrected: new Map(),
  };

  /** Adds one fact; facts must come in recording order. */
  add(fact: PublicFact): void {
    addFact(this.sorted, fact);
  }

  /** The pledges as of `asOf` (an ISO instant: which pledges are overdue). */
  pledges(asOf: string): FoldedPublicPledges {
    const sorted = this.sorted;
    const receipts = receiptsByPledge(sorted);
    const today = asOf.slice(0, 10);
    const pledges = [...sorted.announced.values()]
      .map((announcement) =>
        publicPledge(
          announcement,
          sorted.amended.get(announcement.pledgeId) ?? [],
          sorted.cancelled.get(announcement.pledgeId),
          receipts.get(announcement.pledgeId) ?? [],
          today,
        ),
      )
      .sort((a, b) => compareText(a.pledgeId, b.pledgeId));
    return { pledges, announced: sorted.announced, receipts };
  }
}

function addFact(sorted: Sorted, fact: PublicFact): void {
  switch (fact.k) {
    case 'announced':
      sorted.announced.set(fact.pledge.pledgeId, fact.pledge);
      break;
    case 'amended':
      append(sorted.amended, fact.pledgeId, fact);
      break;
    case 'cancelled':
      if (!sorted.cancelled.has(fact.pledgeId)) sorted.cancelled.set(fact.pledgeId, fact);
      break;
    case 'shipped':
      sorted.shipped.set(fact.shipmentId, fact.pledgeId);
      break;
    case 'accepted':
      sorted.accepted.push(fact);
      break;
    case 'corrected': {
      const previous = sorted.corrected.get(fact.shipmentId);
      if (previous === undefined || isLater(fact, previous))
        sorted.corrected.set(fact.shipmentId, fact);
      break;
    }
  }
}

function isLater(a: Correction, b: Correction): boolean {
  const [ta, tb] = [Date.parse(a.t), Date.parse(b.t)];
  return ta !== tb ? ta > tb : a.id > b.id;
}

/**
 * The accepted receipts of each pledge, through the shipments linked to it. A corrected
 * shipment counts once, with its latest correction's quantity at its latest receipt's time.
 */
function receiptsByPledge(sorted: Sorted): Map<string, Acceptance[]> {
  const receipts = new Map<string, Acceptance[]>();
  const latestReceipt = new Map<string, Acceptance>();
  for (const receipt of sorted.accepted) {
    const correction = sorted.corrected.get(receipt.shipmentId);
    if (correction !== undefined) {
      const previous = latestReceipt.get(receipt.shipmentId);
      if (previous === undefined || Date.parse(receipt.t) > Date.parse(previous.t))
        latestReceipt.set(receipt.shipmentId, receipt);
      continue;
    }
    const pledgeId = sorted.shipped.get(receipt.shipmentId);
    if (pledgeId === undefined) continue;
    append(receipts, pledgeId, receipt);
  }
  for (const [shipmentId, correction] of sorted.corrected) {
    const pledgeId = sorted.shipped.get(shipmentId);
    if (pledgeId === undefined) continue;
    const t = latestReceipt.get(shipmentId)?.t ?? correction.t;
    append(receipts, pledgeId, { t, shipmentId, quantity: correction.quantity });
  }
  return receipts;
}

function publicPledge(
  announcement: PublicAnnouncement,
  amendments: readonly Amendment[],
  cancellation: Cancellation | undefined,
  receipts: readonly Acceptance[],
  today: string,
): PublicPledge {
  let { quantity, targetDate } = announcement;
  for (const amendment of amendments) {
    quantity = amendment.quantity ?? quantity;
    targetDate = amendment.targetDate ?? targetDate;
  }
  const delivered = receipts.reduce((sum, receipt) => sum + receipt.quantity, 0);
  const valueCents =
    announcement.valueCents === undefined
      ? undefined
      : proRata(announcement.valueCents, quantity, announcement.quantity);
  const status: PublicPledgeStatus = cancellation
    ? 'cancelled'
    : delivered >= quantity
      ? 'delivered'
      : delivered > 0
        ? 'partially-delivered'
        : targetDate !== undefined && targetDate < today
          ? 'overdue'
          : 'announced';
  return {
    ...announced(announcement),
    quantity,
    ...(valueCents === undefined ? {} : { valueCents }),
    ...(targetDate === undefined ? {} : { targetDate }),
    status,
    delivered,
    ...(cancellation ? { cancelled: { at: cancellation.t, reason: cancellation.reason } } : {}),
  };
}

/**
 * The announcement's public fields, picked one by one: whatever else a ledger entry may carry
 * never reaches an answer.
 */
function announced(announcement: PublicAnnouncement): PublicAnnouncement {
  const { pledgeId, donor, recipient, itemCode, quantity, announcedAt } = announcement;
  const { purpose, sourcing, confidence, valueCents, targetDate, programme, sourceUrl } =
    announcement;
  return {
    pledgeId,
    donor,
    recipient,
    itemCode,
    quantity,
    ...(valueCents === undefined ? {} : { valueCents }),
    announcedAt,
    ...(targetDate === undefined ? {} : { targetDate }),
    purpose,
    sourcing,
    ...(programme === undefined ? {} : { programme }),
    confidence,
    ...(sourceUrl === undefined ? {} : { sourceUrl }),
  };
}

/** `value × part / whole`, rounded half up to a whole number, exact for any legal figures. */
export function proRata(value: number, part: number, whole: number): number {
  const scaled = (2n * BigInt(value) * BigInt(part) + BigInt(whole)) / (2n * BigInt(whole));
  return Number(scaled);
}

/** `YYYY-MM` of an RFC 3339 instant, in UTC. */
export function monthOf(instant: string): string {
  return new Date(instant).toISOString().slice(0, 7);
}

function summaryRows(
  pledges: readonly PublicPledge[],
  announced: ReadonlyMap<string, PublicAnnouncement>,
  receipts: ReadonlyMap<string, readonly PublicReceipt[]>,
): PublicSummaryRow[] {
  const rows = new Map<string, PublicSummaryRow>();
  const add = (pledge: PublicPledge, month: string, change: Partial<PublicSummaryRow>) => {
    const key = [pledge.donor, pledge.itemCode, month].join('\u0000');
    const row = rows.get(key) ?? {
      donor: pledge.donor,
      itemCode: pledge.itemCode,
      month,
      pledged: 0,
      pledgedValueCents: 0,
      delivered: 0,
      deliveredValueCents: 0,
    };
    rows.set(key, {
      ...row,
      pledged: row.pledged + (change.pledged ?? 0),
      pledgedValueCents: row.pledgedValueCents + (change.pledgedValueCents ?? 0),
      delivered: row.delivered + (change.delivered ?? 0),
      deliveredValueCents: row.deliveredValueCents + (change.deliveredValueCents ?? 0),
    });
  };
  for (const pledge of pledges) {
    if (pledge.status !== 'cancelled') {
      add(pledge, monthOf(pledge.announcedAt), {
        pledged: pledge.quantity,
        pledgedValueCents: pledge.valueCents ?? 0,
      });
    }
    const original = announced.get(pledge.pledgeId)!;
    for (const [month, quantity] of deliveredByMonth(receipts.get(pledge.pledgeId) ?? [])) {
      add(pledge, month, {
        delivered: quantity,
        deliveredValueCents:
          original.valueCents === undefined
            ? 0
            : proRata(original.valueCents, quantity, original.quantity),
      });
    }
  }
  return [...rows.values()].sort(
    (a, b) =>
      compareText(a.donor, b.donor) ||
      compareText(a.itemCode, b.itemCode) ||
      compareText(a.month, b.month),
  );
}

export function deliveredByMonth(receipts: readonly PublicReceipt[]): Map<string, number> {
  const months = new Map<string, number>();
  for (const receipt of receipts) {
    const month = monthOf(receipt.t);
    months.set(month, (months.get(month) ?? 0) + receipt.quantity);
  }
  return months;
}

function totalsOf(rows: readonly PublicSummaryRow[]): PublicView['totals'] {
  return {
    pledged: rows.reduce((sum, row) => sum + row.pledged, 0),
    delivered: rows.reduce((sum, row) => sum + row.delivered, 0),
  };
}

function append<T>(lists: Map<string, T[]>, key: string, item: T): void {
  const list = lists.get(key);
  if (list === undefined) lists.set(key, [item]);
  else list.push(item);
}

/** Code-unit order: the same on every machine, whatever its locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
