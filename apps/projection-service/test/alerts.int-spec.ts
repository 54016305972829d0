import { parse, TOPICS, TrackerEvent } from '@tracker/contracts';
import type { AlertsValue, AlertValue } from '@tracker/read-model';
import {
  aCapacityDeclaration,
  aDelivery,
  aMilestone,
  aPledge,
  aPledgeAmendment,
  aShipment,
  waitFor,
} from '@tracker/testing';
import { ManualClock } from '../src/clock/clock';
import type { Projection } from '../src/projection';
import { ProjectionHarness } from './projection-harness';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('alerts', () => {
  const harness = new ProjectionHarness('alerts');
  const clock = new ManualClock(Date.parse('2030-01-10T00:00:00Z'));
  let projection: Projection;

  beforeAll(async () => {
    await harness.createTopics(2);
    projection = harness.projection({ clock });
    await projection.start();
  });

  afterAll(async () => {
    await harness.cleanup();
  });

  async function publish(...events: TrackerEvent[]): Promise<void> {
    await harness.publish(events);
    await harness.caughtUp(30_000);
  }

  /** Moves the clock (forward only), ticks, and returns the open alerts about `entityId`. */
  async function tickAt(ms: number, entityId: string): Promise<AlertValue[]> {
    clock.set(iso(Math.max(ms, clock.now() + MINUTE)));
    await expect(projection.tick()).resolves.toBe('applied');
    const alerts = (await harness.reader().value('alerts')) as AlertsValue;
    return alerts.open.filter((alert) => alert.entityId === entityId);
  }

  it('raises pledge-overdue the day after the target date, keeps it while it holds, clears it on delivery', async () => {
    const pledge = aPledge().withItem('MBT').withQuantity(100).withTargetDate('2030-01-10').build();
    await publish(aPledgeEvent(pledge));

    await expect(tickAt(Date.parse('2030-01-10T12:00:00Z'), pledge.pledgeId)).resolves.toEqual([]);
    const [raised] = await tickAt(Date.parse('2030-01-11T00:01:00Z'), pledge.pledgeId);
    expect(raised).toMatchObject({
      kind: 'pledge-overdue',
      entityType: 'pledge',
      raisedAt: '2030-01-11T00:01:00.000Z',
    });
    await expect(tickAt(clock.now() + MINUTE, pledge.pledgeId)).resolves.toEqual([raised]);

    const shipment = aShipment().forPledge(pledge).withQuantity(100).build();
    await publish(
      aShipment()
        .forPledge(pledge)
        .withShipmentId(shipment.shipmentId)
        .withQuantity(100)
        .buildEvent(),
      aDelivery().forShipment(shipment).buildEvent(),
    );
    await expect(tickAt(clock.now() + MINUTE, pledge.pledgeId)).resolves.toEqual([]);
    await expect(tickAt(clock.now() + MINUTE, pledge.pledgeId)).resolves.toEqual([]);
    await expectPublished(raised.alertId, ['tracker.alert.raised.v1', 'tracker.alert.cleared.v1']);
  });

  it('raises shipment-stalled 48 h past the eta and clears it on the next milestone', async () => {
    const pledge = aPledge().withItem('IFV').withTargetDate('2035-01-01').build();
    const dispatchedAt = clock.now();
    const eta = dispatchedAt + 24 * HOUR;
    const shipment = aShipment()
      .forPledge(pledge)
      .dispatchedAt(iso(dispatchedAt))
      .withEta(iso(eta));
    const { shipmentId } = shipment.build();
    await publish(aPledgeEvent(pledge), shipment.buildEvent());

    await expect(tickAt(eta + 47 * HOUR, shipmentId)).resolves.toEqual([]);
    const [raised] = await tickAt(eta + 49 * HOUR, shipmentId);
    expect(raised).toMatchObject({ kind: 'shipment-stalled', entityType: 'shipment' });
    await expect(tickAt(eta + 49 * HOUR + 30 * MINUTE, shipmentId)).resolves.toEqual([raised]);

    await publish(
      aMilestone()
        .forShipment(shipmentId)
        .at(iso(eta + 50 * HOUR))
        .withEta(iso(eta + 60 * HOUR))
        .buildEvent(),
    );
    await expect(tickAt(eta + 51 * HOUR, shipmentId)).resolves.toEqual([]);
    await expect(tickAt(eta + 60 * HOUR + 47 * HOUR, shipmentId)).resolves.toEqual([]);
    await expectPublished(raised.alertId, ['tracker.alert.raised.v1', 'tracker.alert.cleared.v1']);
  });

  it('raises capacity-shortfall beyond the band and does not flap inside it', async () => {
    const today = iso(clock.now()).slice(0, 10);
    const targetDate = iso(Date.parse(today) + 30 * 24 * HOUR).slice(0, 10);
    const pledge = aPledge()
      .withItem('SAM-PATRIOT-PAC3')
      .withQuantity(1200)
      .withTargetDate(targetDate)
      .build();
    await publish(
      aCapacityDeclaration().withItem('SAM-PATRIOT-PAC3').withUnitsPerMonth(1000).buildEvent(),
      aPledgeEvent(pledge),
    );
    const item = 'SAM-PATRIOT-PAC3';
    let amendments = 0;
    const amendTo = async (quantity: number) => {
      amendments += 1;
      const time = iso(Date.parse('2030-01-01T00:00:00Z') + amendments * MINUTE);
      await publish(
        aPledgeAmendment()
          .forPledge(pledge)
          .withQuantity(quantity)
          .without('targetDate')
          .buildEvent({ time }),
      );
    };

    const [raised] = await tickAt(clock.now() + MINUTE, item);
    expect(raised).toMatchObject({
      kind: 'capacity-shortfall',
      entityType: 'item',
      details: { ratio: 1.2 },
    });
    await amendTo(1050); // within the band: stays open
    await expect(tickAt(clock.now() + MINUTE, item)).resolves.toEqual([raised]);
    await amendTo(800); // below the band: clears
    await expect(tickAt(clock.now() + MINUTE, item)).resolves.toEqual([]);
    await amendTo(1050); // within the band again: stays clear
    await expect(tickAt(clock.now() + MINUTE, item)).resolves.toEqual([]);
    await amendTo(1200);
    const [again] = await tickAt(clock.now() + MINUTE, item);
    expect(again.alertId).not.toBe(raised.alertId);
  });

  it('raises an inconsistency only when it outlasts the grace period, and clears it when the facts agree', async () => {
    const pledge = aPledge().withItem('AMMO-152MM').withTargetDate('2035-01-01').build();
    await publish(aPledgeEvent(pledge));
    const early = aShipment().forPledge(pledge).withQuantity(500).build();
    const late = aShipment().forPledge(pledge).withQuantity(500).build();
    const received = iso(clock.now());
    await publish(
      aDelivery().forShipment(early).receivedAt(received).buildEvent(),
      aDelivery().forShipment(late).receivedAt(received).buildEvent(),
    );
    await expect(tickAt(clock.now() + MINUTE, early.shipmentId)).resolves.toEqual([]);
    // The dispatch of one comes within the grace period: it was only out of order, never raised.
    await publish(
      aShipment().forPledge(pledge).withShipmentId(early.shipmentId).withQuantity(500).buildEvent(),
    );
    await expect(tickAt(clock.now() + 20 * MINUTE, early.shipmentId)).resolves.toEqual([]);
    const [over] = await tickAt(clock.now() + MINUTE, late.shipmentId);
    expect(over).toMatchObject({ kind: 'inconsistency', details: { reason: 'over-delivered' } });
    await publish(
      aShipment().forPledge(pledge).withShipmentId(late.shipmentId).withQuantity(500).buildEvent(),
    );
    await expect(tickAt(clock.now() + MINUTE, late.shipmentId)).resolves.toEqual([]);

    const unknown = aPledge().withItem('AMMO-152MM').withTargetDate('2035-01-01').build();
    const orphan = aShipment().forPledge(unknown).dispatchedAt(iso(clock.now())).build();
    await publish(
      aShipment()
        .forPledge(unknown)
        .withShipmentId(orphan.shipmentId)
        .dispatchedAt(orphan.dispatchedAt)
        .buildEvent(),
    );
    await expect(tickAt(clock.now() + MINUTE, orphan.shipmentId)).resolves.toEqual([]);
    const [unknownPledge] = await tickAt(clock.now() + 20 * MINUTE, orphan.shipmentId);
    expect(unknownPledge).toMatchObject({
      kind: 'inconsistency',
      details: { reason: 'unknown-pledge' },
    });
    await publish(aPledgeEvent(unknown));
    await expect(tickAt(clock.now() + MINUTE, orphan.shipmentId)).resolves.toEqual([]);
  });

  function aPledgeEvent(pledge: ReturnType<ReturnType<typeof aPledge>['build']>): TrackerEvent {
    return aPledge()
      .withPledgeId(pledge.pledgeId)
      .withItem(pledge.itemCode)
      .withQuantity(pledge.quantity)
      .withTargetDate(pledge.targetDate as string)
      .buildEvent({ time: '2029-12-01T00:00:00Z' });
  }

  /** Waits for the alert's events on the alerts topic, in order, each exactly once. */
  async function expectPublished(alertId: string, types: string[]): Promise<void> {
    const seen: string[] = [];
    const consumer = harness.kafka.consumer({
      groupId: `${harness.groupPrefix}.alerts-${alertId}`,
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [harness.topics.alerts], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const parsed = parse(TOPICS.alerts, message.value);
          if (parsed.ok && (parsed.event.data as { alertId?: string }).alertId === alertId) {
            seen.push(parsed.event.type);
          }
        },
      });
      await waitFor(`alert ${alertId} published`, () => seen.length >= types.length, {
        timeoutMs: 20_000,
      });
    } finally {
      await consumer.disconnect();
    }
    expect(seen).toEqual(types);
  }
});
