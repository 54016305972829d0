import type { TrackerEvent } from '@tracker/contracts';
import type { DailyPoint, PledgeStatus, PledgeSummary, StockpileLevel } from '@tracker/read-model';

/**
 * An independent, deliberately plain fold of a set of events into what the read model should
 * say: the oracle the projection's Redis state is compared with, field by field. It shares no
 * code with the projection; it sorts everything and recomputes from scratch.
 */
export interface ExpectedPledge {
  readonly pledgeId: string;
  readonly donor: string;
  readonly itemCode: string;
  readonly targetDate: string | null;
  readonly status: PledgeStatus;
  readonly pledged: number;
  readonly allocated: number;
  readonly shipped: number;
  readonly received: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly lost: number;
  readonly outstanding: number;
  readonly daysLate: number | null;
}

export interface ExpectedItem extends PledgeSummary {
  readonly donors: Record<string, PledgeSummary>;
  readonly capacity: number;
  readonly capacityByBasis: Record<string, number>;
  readonly produced: number;
  readonly stockpiles: Record<string, StockpileLevel>;
  readonly daily: DailyPoint[];
}

export interface ExpectedModel {
  readonly pledges: Map<string, ExpectedPledge>;
  readonly overview: PledgeSummary;
  readonly donors: Map<string, PledgeSummary & { items: Record<string, PledgeSummary> }>;
  readonly items: Map<string, ExpectedItem>;
}

type Of<T extends TrackerEvent['type']> = Extract<TrackerEvent, { type: T }>;

const ms = (iso: string) => Date.parse(iso);
const day = (iso: string) => new Date(ms(iso)).toISOString().slice(0, 10);
/** Latest by (time, id): the rule the contracts' consumers agree on. */
function latestOf<T extends { time: string; id: string }>(items: T[]): T | undefined {
  return [...items]
    .sort((a, b) => ms(a.time) - ms(b.time) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .pop();
}

const TOTALS = [
  'pledged',
  'allocated',
  'shipped',
  'received',
  'accepted',
  'rejected',
  'lost',
  'outstanding',
] as const;
interface Summary {
  totals: Record<(typeof TOTALS)[number], number>;
  pledges: number;
  pledgeCounts: Record<PledgeStatus, number>;
}
interface ItemTally extends Summary {
  donors: Record<string, Summary>;
  capacity: number;
  capacityByBasis: Record<string, number>;
  produced: number;
  stockpiles: Record<string, StockpileLevel>;
  daily: DailyPoint[];
}

function emptySummary(): Summary {
  return {
    totals: {
      pledged: 0,
      allocated: 0,
      shipped: 0,
      received: 0,
      accepted: 0,
      rejected: 0,
      lost: 0,
      outstanding: 0,
    },
    pledges: 0,
    pledgeCounts: {
      announced: 0,
      'in-production': 0,
      'partially-delivered': 0,
      delivered: 0,
      overdue: 0,
      cancelled: 0,
    },
  };
}

export function referenceModel(all: readonly TrackerEvent[], asOf = ''): ExpectedModel {
  const byId = new Map<string, TrackerEvent>();
  for (const event of all) if (!byId.has(event.id)) byId.set(event.id, event);
  const events = [...byId.values()];
  const ofType = <T extends TrackerEvent['type']>(type: T) =>
    events.filter((e): e is Of<T> => e.type === type);
  const group = <T, K>(items: T[], key: (item: T) => K) => {
    const map = new Map<K, T[]>();
    for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
    return map;
  };

  const dispatches = new Map(
    [...group(ofType('tracker.shipment.dispatched.v1'), (e) => e.data.shipmentId)].map(
      ([id, list]) => [id, latestOf(list)!],
    ),
  );
  const deliveries = group(ofType('tracker.shipment.delivered.v1'), (e) => e.data.shipmentId);
  const losses = group(ofType('tracker.shipment.lost.v1'), (e) => e.data.shipmentId);
  const corrections = group(
    ofType('tracker.shipment.delivery-corrected.v1'),
    (e) => e.data.shipmentId,
  );
  /** A shipment's receipts; once corrected, one with the latest correction's figures. */
  const receiptsOf = (shipmentId: string) => {
    const reported = (deliveries.get(shipmentId) ?? []).map(({ data }) => ({
      receivedQuantity: data.receivedQuantity,
      acceptedQuantity: data.acceptedQuantity,
      rejectedQuantity: data.rejectedQuantity,
      receivedAt: data.receivedAt,
    }));
    const correction = latestOf(
      (corrections.get(shipmentId) ?? []).map((e) => ({ time: e.data.correctedAt, id: e.id, e })),
    )?.e.data;
    if (correction === undefined) return reported;
    const last = [...reported].sort((a, b) => ms(a.receivedAt) - ms(b.receivedAt)).pop();
    return [{ ...correction, receivedAt: last?.receivedAt ?? correction.correctedAt }];
  };
  const allocations = [
    ...group(ofType('tracker.production.allocated.v1'), (e) => e.data.allocationId).values(),
  ].map((list) => latestOf(list)!);
  const amendments = group(ofType('tracker.pledge.amended.v1'), (e) => e.data.pledgeId);
  const cancels = group(ofType('tracker.pledge.cancelled.v1'), (e) => e.data.pledgeId);

  const pledges = new Map<string, ExpectedPledge>();
  for (const [pledgeId, list] of group(
    ofType('tracker.pledge.announced.v1'),
    (e) => e.data.pledgeId,
  )) {
    const announcement = latestOf(list)!;
    const changes = amendments.get(pledgeId) ?? [];
    const quantityFact = latestOf<{ time: string; id: string; value: number }>([
      { time: announcement.time, id: announcement.id, value: announcement.data.quantity },
      ...changes
        .filter((e) => e.data.quantity !== undefined)
        .map((e) => ({ time: e.time, id: e.id, value: e.data.quantity! })),
    ])!;
    const targetFact = latestOf<{ time: string; id: string; value: string | null }>([
      { time: announcement.time, id: announcement.id, value: announcement.data.targetDate ?? null },
      ...changes
        .filter((e) => e.data.targetDate !== undefined)
        .map((e) => ({ time: e.time, id: e.id, value: e.data.targetDate! })),
    ])!;
    const mine = [...dispatches.values()].filter((d) => d.data.pledgeId === pledgeId);
    let shipped = 0,
      received = 0,
      accepted = 0,
      rejected = 0,
      lost = 0;
    let lastAccepted: string | null = null;
    for (const dispatch of mine) {
      shipped += dispatch.data.quantity;
      for (const delivery of receiptsOf(dispatch.data.shipmentId)) {
        received += delivery.receivedQuantity;
        accepted += delivery.acceptedQuantity;
        rejected +=
          delivery.rejectedQuantity ??
          Math.max(0, delivery.receivedQuantity - delivery.acceptedQuantity);
        if (
          delivery.acceptedQuantity > 0 &&
          (lastAccepted === null || ms(delivery.receivedAt) > ms(lastAccepted))
        ) {
          lastAccepted = delivery.receivedAt;
        }
      }
      for (const loss of losses.get(dispatch.data.shipmentId) ?? []) lost += loss.data.quantity;
    }
    const allocated = allocations
      .filter((a) => a.data.pledgeId === pledgeId)
      .reduce((s, a) => s + a.data.quantity, 0);
    const cancelled = (cancels.get(pledgeId) ?? []).length > 0;
    const pledged = quantityFact.value;
    const targetDate = targetFact.value;
    const today = asOf === '' ? null : asOf.slice(0, 10);
    const status: PledgeStatus = cancelled
      ? 'cancelled'
      : accepted >= pledged
        ? 'delivered'
        : targetDate !== null && today !== null && today > targetDate
          ? 'overdue'
          : accepted > 0
            ? 'partially-delivered'
            : allocated > 0 || shipped > 0
              ? 'in-production'
              : 'announced';
    const until =
      status === 'delivered' ? (lastAccepted === null ? null : day(lastAccepted)) : today;
    const daysLate =
      targetDate === null || status === 'cancelled' || until === null
        ? null
        : Math.max(0, Math.round((ms(until) - ms(targetDate)) / 86_400_000));
    pledges.set(pledgeId, {
      pledgeId,
      donor: announcement.data.donor,
      itemCode: announcement.data.itemCode,
      targetDate,
      status,
      pledged,
      allocated,
      shipped,
      received,
      accepted,
      rejected,
      lost,
      outstanding: cancelled ? 0 : Math.max(0, pledged - accepted),
      daysLate,
    });
  }

  const overview = emptySummary();
  const donors = new Map<string, Summary & { items: Record<string, Summary> }>();
  const items = new Map<string, ItemTally>();
  const item = (code: string): ItemTally => {
    let tally = items.get(code);
    if (tally === undefined) {
      tally = {
        ...emptySummary(),
        donors: {},
        capacity: 0,
        capacityByBasis: { 'company-claim': 0, government: 0, audited: 0 },
        produced: 0,
        stockpiles: {},
        daily: [],
      };
      items.set(code, tally);
    }
    return tally;
  };
  const addTo = (summary: Summary, pledge: ExpectedPledge) => {
    for (const field of TOTALS) summary.totals[field] += pledge[field];
    summary.pledges += 1;
    summary.pledgeCounts[pledge.status] += 1;
  };
  for (const pledge of pledges.values()) {
    addTo(overview, pledge);
    if (!donors.has(pledge.donor)) donors.set(pledge.donor, { ...emptySummary(), items: {} });
    const donor = donors.get(pledge.donor)!;
    addTo(donor, pledge);
    addTo((donor.items[pledge.itemCode] ??= emptySummary()), pledge);
    const it = item(pledge.itemCode);
    addTo(it, pledge);
    addTo((it.donors[pledge.donor] ??= emptySummary()), pledge);
  }
  for (const list of group(
    ofType('tracker.production.capacity-declared.v1'),
    (e) => e.data.capacityId,
  ).values()) {
    const declaration = latestOf(list)!;
    const it = item(declaration.data.itemCode);
    it.capacity += declaration.data.unitsPerMonth;
    it.capacityByBasis[declaration.data.basis] += declaration.data.unitsPerMonth;
  }
  const daily = new Map<string, Map<string, { p: number; s: number; d: number }>>();
  const bump = (code: string, date: string, measure: 'p' | 's' | 'd', quantity: number) => {
    if (!daily.has(code)) daily.set(code, new Map());
    const days = daily.get(code)!;
    if (!days.has(date)) days.set(date, { p: 0, s: 0, d: 0 });
    days.get(date)![measure] += quantity;
  };
  const qa = group(ofType('tracker.production.lot-qa-changed.v1'), (e) => e.data.lotId);
  for (const list of group(
    ofType('tracker.production.lot-completed.v1'),
    (e) => e.data.lotId,
  ).values()) {
    const completion = latestOf(list)!;
    const decisions = [
      { time: completion.time, id: completion.id, status: completion.data.qaStatus },
      ...(qa.get(completion.data.lotId) ?? []).map((e) => ({
        time: e.time,
        id: e.id,
        status: e.data.qaStatus,
      })),
    ];
    if (latestOf(decisions)!.status === 'rejected') continue;
    const it = item(completion.data.itemCode);
    it.produced += completion.data.quantity;
    bump(completion.data.itemCode, day(completion.data.completedAt), 'p', completion.data.quantity);
  }
  for (const dispatch of dispatches.values()) {
    bump(dispatch.data.itemCode, day(dispatch.data.dispatchedAt), 's', dispatch.data.quantity);
    for (const delivery of receiptsOf(dispatch.data.shipmentId)) {
      bump(dispatch.data.itemCode, day(delivery.receivedAt), 'd', delivery.acceptedQuantity);
    }
  }
  for (const [code, days] of daily) {
    const points = [...days]
      .filter(([, v]) => v.p !== 0 || v.s !== 0 || v.d !== 0)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([date, v]) => ({ date, produced: v.p, shipped: v.s, delivered: v.d }));
    item(code).daily.push(...points.slice(-90));
  }
  const reports = ofType('tracker.stockpile.level-reported.v1').map((e) => ({
    ...e,
    time: e.data.at,
  }));
  for (const list of group(reports, (e) => `${e.data.nation}:${e.data.itemCode}`).values()) {
    const report = latestOf(list)!;
    const minimumRequired = report.data.minimumRequired ?? null;
    item(report.data.itemCode).stockpiles[report.data.nation] = {
      quantity: report.data.quantity,
      minimumRequired,
      belowMinimum: minimumRequired !== null && report.data.quantity < minimumRequired,
      reportedAt: report.data.at,
    };
  }
  return { pledges, overview, donors, items };
}
