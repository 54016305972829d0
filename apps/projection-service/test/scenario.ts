import { buildEvent, EventType, PayloadOf, TrackerEvent } from '@tracker/contracts';
import { Random } from './random';

export const ITEMS = [
  'AMMO-155MM',
  'AMMO-152MM',
  'AMMO-120MM-MORTAR',
  'SAM-IRIS-T',
  'IFV',
] as const;
export const DONORS = ['DE', 'PL', 'FR', 'NL', 'CZ', 'DK', 'SE'] as const;
const START = Date.parse('2024-01-01T00:00:00Z');
const SPAN_DAYS = 700;
const DAY_MS = 86_400_000;

export interface Scenario {
  /** Every distinct event (by id). */
  readonly events: readonly TrackerEvent[];
  /** What is published: the events with duplicates and re-publications, roughly in time order. */
  readonly stream: readonly TrackerEvent[];
}

export interface ScenarioOptions {
  readonly pledges: number;
  /** Share of events published twice. */
  readonly duplicates?: number;
}

/**
 * A seeded, realistic stream: pledges announced, amended and cancelled; capacity declared and
 * re-declared; lots completed, put on hold, released or rejected, allocated; shipments
 * dispatched, moving, delivered with rejections, lost; shipments for pledges never announced;
 * stockpile reports. Published roughly in time order with local disorder (a delivery may come
 * before its dispatch, an allocation before its pledge), duplicates and late re-publications.
 */
export function generateScenario(seed: number, options: ScenarioOptions): Scenario {
  const random = new Random(seed);
  const events: TrackerEvent[] = [];
  const at = (ms: number) => new Date(ms).toISOString();
  const emit = <T extends EventType>(
    type: T,
    data: PayloadOf<T>,
    timeMs: number,
    source = '/test',
  ) => {
    events.push(buildEvent(type, data, { source, id: random.uuid(), time: at(timeMs) }));
  };
  const day = () => START + random.int(0, SPAN_DAYS) * DAY_MS + random.int(0, DAY_MS - 1);
  let lotSequence = 0;
  const lotId = () => {
    lotSequence += 1;
    const interfix = String(Math.floor(lotSequence / 1000) % 1000).padStart(3, '0');
    return `RHM24C${interfix}-${String(lotSequence % 1000).padStart(3, '0')}`;
  };

  for (const itemCode of ITEMS) {
    for (let line = 0; line < random.int(1, 3); line += 1) {
      const capacityId = random.uuid();
      for (let version = 0; version < random.int(1, 3); version += 1) {
        emit(
          'tracker.production.capacity-declared.v1',
          {
            capacityId,
            manufacturer: 'rheinmetall',
            facility: `Line ${line}`,
            country: 'DE',
            itemCode,
            unitsPerMonth: random.int(500, 20_000),
            effectiveFrom: '2024-06-01',
            basis: random.pick(['company-claim', 'government', 'audited'] as const),
          },
          day(),
        );
      }
    }
  }
  for (let report = 0; report < options.pledges / 10; report += 1) {
    const reportedAt = day();
    emit(
      'tracker.stockpile.level-reported.v1',
      {
        nation: random.pick(DONORS),
        itemCode: random.pick(ITEMS),
        quantity: random.int(0, 100_000),
        ...(random.chance(0.7) ? { minimumRequired: random.int(10_000, 80_000) } : {}),
        at: at(reportedAt),
      },
      reportedAt,
    );
  }
  for (let n = 0; n < options.pledges; n += 1)
    pledgeLife(random, emit, day, lotId, random.chance(0.03));

  return { events, stream: publishOrder(random, events, options.duplicates ?? 0.03) };
}

type Emit = <T extends EventType>(
  type: T,
  data: PayloadOf<T>,
  timeMs: number,
  source?: string,
) => void;

function pledgeLife(
  random: Random,
  emit: Emit,
  day: () => number,
  lotId: () => string,
  unknown: boolean,
): void {
  const pledgeId = random.uuid();
  const itemCode = random.pick(ITEMS);
  const quantity = random.int(1, 50) * 100;
  const announcedMs = day();
  if (!unknown) {
    emit(
      'tracker.pledge.announced.v1',
      {
        pledgeId,
        donor: random.pick(DONORS),
        recipient: 'UA',
        itemCode,
        quantity,
        announcedAt: new Date(announcedMs).toISOString(),
        ...(random.chance(0.85)
          ? {
              targetDate: new Date(announcedMs + random.int(30, 400) * 86_400_000)
                .toISOString()
                .slice(0, 10),
            }
          : {}),
        purpose: random.pick(['aid', 'replenishment'] as const),
        sourcing: random.pick(['stock', 'new-production', 'procurement'] as const),
        confidence: random.pick(['announced', 'official', 'contracted'] as const),
      },
      announcedMs,
    );
  }
  let t = announcedMs;
  const later = () => (t += random.int(1, 20) * 3_600_000);
  for (let a = 0; a < (random.chance(0.3) ? random.int(1, 2) : 0); a += 1) {
    emit(
      'tracker.pledge.amended.v1',
      {
        pledgeId,
        ...(random.chance(0.7) ? { quantity: random.int(1, 60) * 100 } : {}),
        ...(random.chance(0.5)
          ? {
              targetDate: new Date(later() + random.int(30, 300) * 86_400_000)
                .toISOString()
                .slice(0, 10),
            }
          : {}),
        reason: 'Tranche revised',
      },
      later(),
    );
  }
  const lots: string[] = [];
  for (let l = 0; l < random.int(0, 3); l += 1) {
    const id = lotId();
    const completedMs = later();
    lots.push(id);
    emit(
      'tracker.production.lot-completed.v1',
      {
        lotId: id,
        manufacturer: 'rheinmetall',
        facility: 'Unterlüß',
        itemCode,
        quantity: random.int(5, 30) * 100,
        completedAt: new Date(completedMs).toISOString(),
        qaStatus: random.pick(['passed', 'passed', 'passed', 'hold'] as const),
      },
      completedMs,
    );
    if (random.chance(0.2)) {
      emit(
        'tracker.production.lot-qa-changed.v1',
        { lotId: id, qaStatus: random.pick(['passed', 'hold', 'rejected'] as const) },
        later(),
      );
    }
    emit(
      'tracker.production.allocated.v1',
      { allocationId: random.uuid(), lotId: id, pledgeId, quantity: random.int(1, 20) * 100 },
      later(),
    );
  }
  for (let s = 0; s < random.int(0, 4); s += 1)
    shipment(random, emit, pledgeId, itemCode, later, lots);
  if (random.chance(0.08))
    emit('tracker.pledge.cancelled.v1', { pledgeId, reason: 'Superseded' }, later());
}

function shipment(
  random: Random,
  emit: Emit,
  pledgeId: string,
  itemCode: string,
  later: () => number,
  lots: string[],
): void {
  const shipmentId = random.uuid();
  const quantity = random.int(1, 20) * 100;
  const dispatchedMs = later();
  emit(
    'tracker.shipment.dispatched.v1',
    {
      shipmentId,
      pledgeId,
      itemCode,
      quantity,
      origin: 'Unterlüß, DE',
      destination: 'Rzeszów, PL',
      dispatchedAt: new Date(dispatchedMs).toISOString(),
      ...(random.chance(0.8)
        ? { eta: new Date(dispatchedMs + random.int(24, 120) * 3_600_000).toISOString() }
        : {}),
      ...(lots.length > 0 && random.chance(0.5) ? { lotIds: [random.pick(lots)] } : {}),
    },
    dispatchedMs,
  );
  for (let m = 0; m < random.int(0, 3); m += 1) {
    const milestoneMs = later();
    emit(
      'tracker.shipment.milestone.v1',
      {
        shipmentId,
        status: random.pick([
          'in-transit',
          'at-hub',
          'border-crossed',
          'customs',
          'handed-over',
        ] as const),
        at: new Date(milestoneMs).toISOString(),
        ...(random.chance(0.5)
          ? { eta: new Date(milestoneMs + random.int(6, 72) * 3_600_000).toISOString() }
          : {}),
      },
      milestoneMs,
    );
  }
  if (random.chance(0.06))
    emit(
      'tracker.shipment.lost.v1',
      { shipmentId, quantity: random.int(1, quantity), reason: 'Depot strike' },
      later(),
    );
  if (random.chance(0.8)) {
    const receivedMs = later();
    const received = random.chance(0.9) ? quantity : random.int(0, quantity + 200);
    const rejected = random.chance(0.2) ? random.int(0, received) : 0;
    emit(
      'tracker.shipment.delivered.v1',
      {
        shipmentId,
        receivedQuantity: received,
        acceptedQuantity: received - rejected,
        ...(rejected > 0
          ? { rejectedQuantity: rejected, rejectionReason: 'damaged' as const }
          : {}),
        receivedAt: new Date(receivedMs).toISOString(),
      },
      receivedMs,
    );
    if (random.chance(0.25)) {
      const correctedMs = later();
      const recounted = random.int(0, received);
      emit(
        'tracker.shipment.delivery-corrected.v1',
        {
          shipmentId,
          receivedQuantity: received,
          acceptedQuantity: recounted,
          ...(recounted < received
            ? { rejectedQuantity: received - recounted, rejectionReason: 'damaged' as const }
            : {}),
          reason: 'Recounted at the depot',
          correctedAt: new Date(correctedMs).toISOString(),
        },
        correctedMs,
      );
    }
  }
}

/** Time order with local disorder, some events twice, some re-published much later. */
function publishOrder(
  random: Random,
  events: readonly TrackerEvent[],
  duplicates: number,
): TrackerEvent[] {
  const sorted = [...events].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  for (let i = 0; i < sorted.length; i += 1) {
    if (random.chance(0.15)) {
      const j = Math.min(sorted.length - 1, i + random.int(1, 30));
      [sorted[i], sorted[j]] = [sorted[j], sorted[i]];
    }
  }
  const stream: TrackerEvent[] = [];
  const republished: TrackerEvent[] = [];
  for (const event of sorted) {
    stream.push(event);
    if (random.chance(duplicates)) stream.push(event);
    if (random.chance(duplicates / 3)) republished.push(event);
  }
  return [...stream, ...republished];
}
