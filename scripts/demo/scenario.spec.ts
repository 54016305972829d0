import {
  AllocatedV1,
  buildEvent,
  CapacityDeclaredV1,
  LOT_NUMBER_PATTERN,
  LotCompletedV1,
  LotQaChangedV1,
  parse,
  PledgeAmendedV1,
  PledgeAnnouncedV1,
  serialize,
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
  ShipmentLostV1,
  ShipmentMilestoneV1,
  StockpileLevelReportedV1,
  TOPICS,
} from '@tracker/contracts';
import type { ZodType } from 'zod';
import {
  EU_PROGRAMME,
  EU_TARGET_DATE,
  generateScenario,
  HttpStep,
  SCENARIO_END,
  Step,
  StepEvent,
} from './scenario';

const SCHEMAS: Record<StepEvent['type'], ZodType> = {
  'tracker.pledge.announced.v1': PledgeAnnouncedV1,
  'tracker.pledge.amended.v1': PledgeAmendedV1,
  'tracker.production.capacity-declared.v1': CapacityDeclaredV1,
  'tracker.production.lot-completed.v1': LotCompletedV1,
  'tracker.production.lot-qa-changed.v1': LotQaChangedV1,
  'tracker.production.allocated.v1': AllocatedV1,
  'tracker.stockpile.level-reported.v1': StockpileLevelReportedV1,
  'tracker.shipment.dispatched.v1': ShipmentDispatchedV1,
  'tracker.shipment.milestone.v1': ShipmentMilestoneV1,
  'tracker.shipment.delivered.v1': ShipmentDeliveredV1,
  'tracker.shipment.lost.v1': ShipmentLostV1,
};

/** Which payload field a route carries in its path. */
const PATH_ID: Array<[RegExp, string]> = [
  [/^\/v1\/pledges\/([^/]+)$/, 'pledgeId'],
  [/^\/v1\/lots\/([^/]+)\/qa$/, 'lotId'],
  [/^\/v1\/shipments\/([^/]+)\/(milestones|delivery|loss)$/, 'shipmentId'],
];

const ROUTES: Record<StepEvent['type'], [string, RegExp]> = {
  'tracker.pledge.announced.v1': ['POST', /^\/v1\/pledges$/],
  'tracker.pledge.amended.v1': ['PATCH', /^\/v1\/pledges\/[^/]+$/],
  'tracker.production.capacity-declared.v1': ['POST', /^\/v1\/capacity$/],
  'tracker.production.lot-completed.v1': ['POST', /^\/v1\/lots$/],
  'tracker.production.lot-qa-changed.v1': ['POST', /^\/v1\/lots\/[^/]+\/qa$/],
  'tracker.production.allocated.v1': ['POST', /^\/v1\/allocations$/],
  'tracker.stockpile.level-reported.v1': ['POST', /^\/v1\/stockpiles$/],
  'tracker.shipment.dispatched.v1': ['POST', /^\/v1\/shipments$/],
  'tracker.shipment.milestone.v1': ['POST', /^\/v1\/shipments\/[^/]+\/milestones$/],
  'tracker.shipment.delivered.v1': ['POST', /^\/v1\/shipments\/[^/]+\/delivery$/],
  'tracker.shipment.lost.v1': ['POST', /^\/v1\/shipments\/[^/]+\/loss$/],
};

const scenario = generateScenario({ seed: 2023 });
const http = scenario.steps.filter((step): step is HttpStep => step.kind === 'http');
const ofType = <T extends StepEvent['type']>(type: T) =>
  scenario.steps
    .filter((step) => step.type === type)
    .map((step) => ({
      ...(step.payload as Extract<StepEvent, { type: T }>['payload']),
      /** Simulated time of the step, in milliseconds. */
      at: Date.parse(step.at),
    }));

/** The payload an HTTP write amounts to: its body, plus the id its path carries. */
function payloadOf(step: HttpStep): Record<string, unknown> {
  for (const [pattern, field] of PATH_ID) {
    const match = pattern.exec(step.path);
    if (match) return { ...step.body, [field]: decodeURIComponent(match[1]) };
  }
  return { ...step.body };
}

describe('the demo scenario', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateScenario({ seed: 2023 })).toEqual(scenario);
    const other = generateScenario({ seed: 7 });
    expect(other.steps.map((step) => step.at)).not.toEqual(scenario.steps.map((step) => step.at));
  });

  it('has every kind of write, and producer milestones for Kafka', () => {
    const types = new Set(scenario.steps.map((step) => `${step.kind} ${step.type}`));
    for (const type of Object.keys(SCHEMAS)) expect(types).toContain(`http ${type}`);
    expect(types).toContain('kafka tracker.shipment.milestone.v1');
    expect(scenario.steps.length).toBeGreaterThan(1000);
  });

  it('writes bodies that validate against the contract payload schemas, on the documented routes', () => {
    const problems: string[] = [];
    for (const step of http) {
      const [method, route] = ROUTES[step.type];
      if (step.method !== method || !route.test(step.path)) {
        problems.push(`${step.seq} ${step.type} on ${step.method} ${step.path}`);
      }
      const payload = payloadOf(step);
      const parsed = SCHEMAS[step.type].safeParse(payload);
      if (!parsed.success) problems.push(`${step.seq} ${step.type}: ${parsed.error.message}`);
      // Nothing the schema would strip: the body is exactly the payload.
      expect(payload).toEqual(step.payload);
    }
    expect(problems).toEqual([]);
  });

  it('fills in id and time like the services do: announcements still validate without them', () => {
    for (const step of http.filter((s) => s.type === 'tracker.pledge.announced.v1')) {
      const { pledgeId: _id, announcedAt: _at, ...rest } = step.body;
      const filled = { ...rest, pledgeId: 'generated-id', announcedAt: '2024-01-01T00:00:00Z' };
      expect(PledgeAnnouncedV1.safeParse(filled).success).toBe(true);
      expect(step.body.quantity).toBeGreaterThan(0);
    }
  });

  it('builds valid CloudEvents for the producer milestones sent to Kafka', () => {
    const kafka = scenario.steps.filter((step) => step.kind === 'kafka');
    expect(kafka.length).toBeGreaterThan(10);
    for (const step of kafka) {
      expect(step.source).toMatch(/^\/producers\/[a-z0-9-]+$/);
      const event = buildEvent(step.type, step.payload, { source: step.source, id: step.eventId });
      const message = serialize(event);
      expect(message.key).toBe(step.payload.shipmentId);
      // What shipment-service reads off the inbound topic.
      const read = parse(TOPICS.inboundShipments, message.value, message.headers, message.key);
      expect(read.ok && read.event.data).toEqual(step.payload);
    }
    expect(new Set(kafka.map((step) => step.eventId)).size).toBe(kafka.length);
  });

  it('gives every HTTP write its own Idempotency-Key', () => {
    expect(new Set(http.map((step) => step.idempotencyKey)).size).toBe(http.length);
  });

  it('is in simulated-time order and starts with the big pledges and capacities', () => {
    const times = scenario.steps.map((step) => Date.parse(step.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const first = scenario.steps.slice(0, 20).map((step) => step.type);
    expect(first.filter((type) => type === 'tracker.pledge.announced.v1').length).toBeGreaterThan(
      10,
    );
    expect(first).toContain('tracker.production.capacity-declared.v1');
    expect(Date.parse(scenario.steps[20].at) - Date.parse(scenario.start)).toBeLessThan(86_400_000);
  });

  it('declares capacity as company claims, ramping at the named manufacturers', () => {
    const capacities = ofType('tracker.production.capacity-declared.v1');
    expect(new Set(capacities.map((c) => c.basis))).toEqual(new Set(['company-claim']));
    expect(new Set(capacities.map((c) => c.manufacturer))).toEqual(
      new Set(['rheinmetall', 'bae-systems', 'knds-france', 'nammo', 'csg']),
    );
    const unterluss = capacities
      .filter((c) => c.facility === 'Unterlüß')
      .map((c) => c.unitsPerMonth);
    expect(unterluss).toEqual([...unterluss].sort((a, b) => a - b));
    expect(new Set(capacities.map((c) => c.capacityId)).size).toBe(capacities.length);
  });

  it('ends with the EU one-million-shells pledge overdue', () => {
    const eu = ofType('tracker.pledge.announced.v1').filter((p) => p.programme === EU_PROGRAMME);
    expect(eu.reduce((sum, p) => sum + p.quantity, 0)).toBe(1_000_000);
    expect(new Set(eu.map((p) => p.targetDate))).toEqual(new Set([EU_TARGET_DATE]));
    const amended = ofType('tracker.pledge.amended.v1').map((a) => a.pledgeId);
    expect(eu.filter((p) => amended.includes(p.pledgeId))).toEqual([]);

    const pledgeOf = new Map(
      ofType('tracker.shipment.dispatched.v1').map((s) => [s.shipmentId, s.pledgeId]),
    );
    const euIds = new Set(eu.map((p) => p.pledgeId));
    const deliveries = ofType('tracker.shipment.delivered.v1').filter((d) =>
      euIds.has(pledgeOf.get(d.shipmentId)!),
    );
    const accepted = (until: number) =>
      deliveries.filter((d) => d.at <= until).reduce((sum, d) => sum + d.acceptedQuantity, 0);
    const target = Date.parse(`${EU_TARGET_DATE}T23:59:59Z`);
    // About half by the target date; the million shipped only months later, and never accepted in full.
    expect(accepted(target)).toBeGreaterThan(350_000);
    expect(accepted(target)).toBeLessThan(650_000);
    expect(accepted(Date.parse(SCENARIO_END))).toBeLessThan(1_000_000);
    for (const pledge of eu) {
      const mine = deliveries.filter((d) => pledgeOf.get(d.shipmentId) === pledge.pledgeId);
      expect(mine.reduce((sum, d) => sum + d.acceptedQuantity, 0)).toBeLessThan(pledge.quantity);
    }
    const shipped = ofType('tracker.shipment.dispatched.v1').filter((s) => euIds.has(s.pledgeId));
    const millionAt = shipped.reduce<{ sum: number; at?: number }>(
      (acc, s) =>
        acc.at !== undefined
          ? acc
          : { sum: acc.sum + s.quantity, at: acc.sum + s.quantity >= 1_000_000 ? s.at : undefined },
      { sum: 0 },
    ).at;
    expect(millionAt).toBeDefined();
    expect(new Date(millionAt!).toISOString().slice(0, 7)).toMatch(/^2024-(09|10|11|12)$/);
  });

  it('tells the Czech initiative with purchased stocks on QA hold for rework', () => {
    const czLots = ofType('tracker.production.lot-completed.v1').filter(
      (l) => l.manufacturer === 'csg',
    );
    const held = czLots.filter((l) => l.qaStatus === 'hold');
    expect(held.length / czLots.length).toBeGreaterThan(0.3);
    const changes = ofType('tracker.production.lot-qa-changed.v1');
    for (const lot of held) expect(changes.some((c) => c.lotId === lot.lotId)).toBe(true);
  });

  it('numbers lots MIL-STD-1168 style, each once', () => {
    const lots = ofType('tracker.production.lot-completed.v1');
    for (const lot of lots) expect(lot.lotId).toMatch(LOT_NUMBER_PATTERN);
    expect(new Set(lots.map((l) => l.lotId)).size).toBe(lots.length);
  });

  it('allocates only lots that passed QA, never more than a lot holds', () => {
    const lots = new Map(ofType('tracker.production.lot-completed.v1').map((l) => [l.lotId, l]));
    const qa = ofType('tracker.production.lot-qa-changed.v1');
    const allocated = new Map<string, number>();
    for (const allocation of ofType('tracker.production.allocated.v1')) {
      const lot = lots.get(allocation.lotId);
      expect(lot).toBeDefined();
      const passed =
        lot!.qaStatus === 'passed' ||
        qa.some((c) => c.lotId === lot!.lotId && c.qaStatus === 'passed' && c.at <= allocation.at);
      expect(passed).toBe(true);
      expect(qa.some((c) => c.lotId === lot!.lotId && c.qaStatus === 'rejected')).toBe(false);
      expect(allocation.at).toBeGreaterThan(lot!.at);
      allocated.set(allocation.lotId, (allocated.get(allocation.lotId) ?? 0) + allocation.quantity);
    }
    for (const [lotId, quantity] of allocated)
      expect(quantity).toBeLessThanOrEqual(lots.get(lotId)!.quantity);
  });

  it('ships lots only after they are allocated to the pledge shipped for', () => {
    const allocations = ofType('tracker.production.allocated.v1');
    for (const shipment of ofType('tracker.shipment.dispatched.v1')) {
      const mine = allocations.filter(
        (a) => shipment.lotIds?.includes(a.lotId) && a.pledgeId === shipment.pledgeId,
      );
      expect(mine.length).toBe(shipment.lotIds?.length ?? 0);
      for (const allocation of mine) expect(allocation.at).toBeLessThan(shipment.at);
      if (mine.length > 0) expect(mine.reduce((s, a) => s + a.quantity, 0)).toBe(shipment.quantity);
    }
  });

  it('receives no more than was shipped, and accepted + rejected = received', () => {
    const shipments = new Map(
      ofType('tracker.shipment.dispatched.v1').map((s) => [s.shipmentId, s]),
    );
    const lost = new Map<string, number>();
    for (const loss of ofType('tracker.shipment.lost.v1')) {
      expect(loss.quantity).toBeLessThanOrEqual(shipments.get(loss.shipmentId)!.quantity);
      lost.set(loss.shipmentId, (lost.get(loss.shipmentId) ?? 0) + loss.quantity);
    }
    const deliveries = ofType('tracker.shipment.delivered.v1');
    expect(deliveries.some((d) => (d.rejectedQuantity ?? 0) > 0)).toBe(true);
    expect(lost.size).toBeGreaterThan(0);
    for (const delivery of deliveries) {
      const shipment = shipments.get(delivery.shipmentId)!;
      expect(delivery.at).toBeGreaterThan(shipment.at);
      expect(delivery.receivedQuantity + (lost.get(delivery.shipmentId) ?? 0)).toBeLessThanOrEqual(
        shipment.quantity,
      );
      expect(delivery.acceptedQuantity + (delivery.rejectedQuantity ?? 0)).toBe(
        delivery.receivedQuantity,
      );
      expect(delivery.rejectionReason !== undefined).toBe((delivery.rejectedQuantity ?? 0) > 0);
    }
    expect(new Set(deliveries.map((d) => d.shipmentId)).size).toBe(deliveries.length);
  });

  it('runs milestones along the route after dispatch, some late, some by Kafka', () => {
    const dispatched = new Map(
      ofType('tracker.shipment.dispatched.v1').map((s) => [s.shipmentId, s]),
    );
    const milestones = ofType('tracker.shipment.milestone.v1');
    for (const m of milestones) expect(m.at).toBeGreaterThan(dispatched.get(m.shipmentId)!.at);
    const locations = milestones.map((m) => m.location);
    expect(locations).toContain('Rzeszów, PL');
    expect(locations).toContain('Unterlüß, DE');
    expect(locations).toContain('Glascoed, GB');
    const late = milestones.filter((m) => {
      const eta = dispatched.get(m.shipmentId)!.eta;
      return m.status === 'at-hub' && eta !== undefined && m.at > Date.parse(eta);
    });
    expect(late.length).toBeGreaterThan(0);
  });

  it('sends no milestone for a shipment after its loss was reported, as shipment-service refuses it', () => {
    const lossAt = new Map(
      ofType('tracker.shipment.lost.v1').map((loss) => [loss.shipmentId, loss.at]),
    );
    const afterLoss = ofType('tracker.shipment.milestone.v1').filter(
      (m) => lossAt.has(m.shipmentId) && m.at > lossAt.get(m.shipmentId)!,
    );
    expect(lossAt.size).toBeGreaterThan(0);
    expect(afterLoss).toEqual([]);
  });

  it('reports stockpiles that fall below their minimum', () => {
    const reports = ofType('tracker.stockpile.level-reported.v1');
    expect(reports.some((r) => r.quantity < (r.minimumRequired ?? 0))).toBe(true);
    expect(reports.some((r) => r.quantity >= (r.minimumRequired ?? 0))).toBe(true);
  });

  it('orders writes on one entity after the write that creates it', () => {
    const created = new Map<string, number>();
    const order = (step: Step) => step.seq;
    for (const step of scenario.steps) {
      const p = step.payload as Record<string, unknown>;
      if (step.type === 'tracker.pledge.announced.v1') created.set(String(p.pledgeId), order(step));
      if (step.type === 'tracker.production.lot-completed.v1')
        created.set(String(p.lotId), order(step));
      if (step.type === 'tracker.shipment.dispatched.v1') {
        created.set(String(p.shipmentId), order(step));
        expect(created.get(String(p.pledgeId))).toBeLessThan(step.seq);
      }
      for (const field of ['lotId', 'shipmentId', 'pledgeId'] as const) {
        if (typeof p[field] === 'string')
          expect(created.get(p[field])).toBeLessThanOrEqual(step.seq);
      }
    }
  });
});
