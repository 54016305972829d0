import type {
  ForecastEstimate,
  PledgeContribution,
  PledgeStatus,
  PledgeValue,
} from '@tracker/read-model';
import type { PledgeFacts } from '../facts/pledge.facts';
import { daysBetween, isAfter, Stamp, utcDate } from '../facts/stamp';

/** A forecast before the clock first estimated one. */
export const NO_FORECAST: ForecastEstimate = {
  completionDate: null,
  daysLate: null,
  basis: 'none',
  ratePerMonth: null,
  estimate: true,
};

/** The promised quantity and date after amendments: the latest stamp wins, field by field. */
function promise(facts: PledgeFacts): { quantity: number; targetDate: string | null } | undefined {
  const announcement = facts.announcement;
  if (announcement === undefined) return undefined;
  let quantity = { stamp: announcement.stamp, value: announcement.quantity };
  let targetDate: { stamp: Stamp; value: string | null } = {
    stamp: announcement.stamp,
    value: announcement.targetDate,
  };
  for (const amendment of Object.values(facts.amendments)) {
    if (amendment.quantity !== undefined && isAfter(amendment.stamp, quantity.stamp)) {
      quantity = { stamp: amendment.stamp, value: amendment.quantity };
    }
    if (amendment.targetDate !== undefined && isAfter(amendment.stamp, targetDate.stamp)) {
      targetDate = { stamp: amendment.stamp, value: amendment.targetDate };
    }
  }
  return { quantity: quantity.value, targetDate: targetDate.value };
}

/** The first cancellation, if any: a cancelled pledge stays cancelled. */
function cancellation(facts: PledgeFacts): PledgeValue['cancelled'] {
  let first: PledgeFacts['cancellations'][string] | undefined;
  for (const candidate of Object.values(facts.cancellations)) {
    if (first === undefined || isAfter(first.stamp, candidate.stamp)) first = candidate;
  }
  return first === undefined ? null : { at: first.at, reason: first.reason };
}

function statusOf(
  totals: { pledged: number; allocated: number; shipped: number; accepted: number },
  cancelled: boolean,
  targetDate: string | null,
  today: string | null,
): PledgeStatus {
  if (cancelled) return 'cancelled';
  if (totals.accepted >= totals.pledged) return 'delivered';
  if (targetDate !== null && today !== null && today > targetDate) return 'overdue';
  if (totals.accepted > 0) return 'partially-delivered';
  if (totals.allocated > 0 || totals.shipped > 0) return 'in-production';
  return 'announced';
}

/** True for a pledge that still waits for deliveries (overdue ones included). */
export function isOpen(status: PledgeStatus): boolean {
  return status !== 'delivered' && status !== 'cancelled';
}

/**
 * The channel value of a pledge, from its facts and the model's clock (`asOf`, RFC 3339, or ''
 * before the first tick). Undefined while the pledge itself was not announced: facts about it
 * (a shipment, an allocation) are kept and count once it is. The forecast is the clock's
 * estimate, carried over between ticks; only its days-late follows a new target date at once.
 */
export function derivePledge(
  pledgeId: string,
  facts: PledgeFacts,
  asOf: string,
  forecast: ForecastEstimate,
): PledgeValue | undefined {
  const announcement = facts.announcement;
  const figures = pledgeFigures(facts, asOf);
  if (announcement === undefined || figures === undefined) return undefined;
  const { status, targetDate, ...totals } = figures;
  const today = asOf === '' ? null : asOf.slice(0, 10);
  return {
    kind: 'pledge',
    pledgeId,
    donor: announcement.donor,
    recipient: announcement.recipient,
    itemCode: announcement.itemCode,
    purpose: announcement.purpose,
    sourcing: announcement.sourcing,
    confidence: announcement.confidence,
    programme: announcement.programme,
    announcedAt: announcement.announcedAt,
    targetDate,
    status,
    ...totals,
    daysLate: daysLate(status, targetDate, today, lastAccepted(Object.values(facts.shipments))),
    cancelled: cancellation(facts),
    forecast: isOpen(status) ? withTarget(forecast, targetDate) : null,
  };
}

/** The figures of a pledge that its history follows (the totals, status and target date). */
export interface PledgeFigures {
  readonly pledged: number;
  readonly allocated: number;
  readonly shipped: number;
  readonly received: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly lost: number;
  readonly outstanding: number;
  readonly status: PledgeStatus;
  readonly targetDate: string | null;
}

/**
 * The figures {@link derivePledge} derives (the same values: it derives them here), without the
 * rest of the value; undefined while the pledge was not announced. The pledge history derives
 * them after every event, so this is one pass over the facts with no value built around them.
 */
export function pledgeFigures(facts: PledgeFacts, asOf: string): PledgeFigures | undefined {
  const promised = promise(facts);
  if (promised === undefined) return undefined;
  let allocated = 0;
  for (const id in facts.allocations) allocated += facts.allocations[id].quantity;
  let shipped = 0;
  let received = 0;
  let accepted = 0;
  let rejected = 0;
  let lost = 0;
  for (const id in facts.shipments) {
    const share = facts.shipments[id];
    shipped += share.shipped;
    received += share.received;
    accepted += share.accepted;
    rejected += share.rejected;
    lost += share.lost;
  }
  const cancelled = Object.keys(facts.cancellations).length > 0;
  const pledged = promised.quantity;
  const totals = { pledged, allocated, shipped, accepted };
  const today = asOf === '' ? null : asOf.slice(0, 10);
  return {
    pledged,
    allocated,
    shipped,
    received,
    accepted,
    rejected,
    lost,
    outstanding: cancelled ? 0 : Math.max(0, pledged - accepted),
    status: statusOf(totals, cancelled, promised.targetDate, today),
    targetDate: promised.targetDate,
  };
}

function lastAccepted(shares: readonly PledgeFacts['shipments'][string][]): string | null {
  let last: { t: number; at: string } | undefined;
  for (const share of shares) {
    if (share.lastAcceptedAt === null) continue;
    const t = Date.parse(share.lastAcceptedAt);
    if (last === undefined || t > last.t) last = { t, at: share.lastAcceptedAt };
  }
  return last === undefined ? null : utcDate(last.t);
}

function daysLate(
  status: PledgeStatus,
  targetDate: string | null,
  today: string | null,
  lastAcceptedDay: string | null,
): number | null {
  if (targetDate === null || status === 'cancelled') return null;
  const until = status === 'delivered' ? lastAcceptedDay : today;
  return until === null ? null : Math.max(0, daysBetween(targetDate, until));
}

/** The forecast with its days-late against `targetDate`. */
export function withTarget(
  forecast: ForecastEstimate,
  targetDate: string | null,
): ForecastEstimate {
  const late =
    forecast.completionDate === null || targetDate === null
      ? null
      : daysBetween(targetDate, forecast.completionDate);
  return { ...forecast, daysLate: late };
}

/** The pledge's share of the summaries it belongs to. */
export function contributionOf(value: PledgeValue): PledgeContribution {
  const { pledged, allocated, shipped, received, accepted, rejected, lost, outstanding } = value;
  return {
    totals: { pledged, allocated, shipped, received, accepted, rejected, lost, outstanding },
    status: value.status,
  };
}
