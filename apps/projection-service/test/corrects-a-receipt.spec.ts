import type { TrackerEvent } from '@tracker/contracts';
import type { PledgeValue } from '@tracker/read-model';
import { aDelivery, aDeliveryCorrection, aPledge, aShipment } from '@tracker/testing';
import { planBatch } from '../src/apply/batch-plan';
import { documentsOf } from '../src/apply/routes';
import { MemoryModel } from '../src/time-travel/memory-model';
import { recordedAtEventTime } from './recorded';

/** Folds each batch in turn into the store. */
function fold(store: MemoryModel, ...batches: (readonly TrackerEvent[])[]): void {
  for (const batch of batches) {
    const loaded = store.load({
      docs: [...new Set(batch.flatMap(documentsOf))],
      events: batch.map((event) => event.id),
      offsets: [],
      aggregates: [],
    });
    store.apply(planBatch(recordedAtEventTime(batch), loaded, store.meta.get('asOf') ?? ''));
  }
}

function pledgeOf(store: MemoryModel, pledgeId: string): PledgeValue {
  return JSON.parse(store.docs.get(`pledge:${pledgeId}`)?.v ?? 'null') as PledgeValue;
}

const figures = ({ received, accepted, rejected, outstanding }: PledgeValue) => ({
  received,
  accepted,
  rejected,
  outstanding,
});

describe('a corrected delivery receipt', () => {
  const pledge = aPledge().withQuantity(5_000).buildEvent();
  const shipment = aShipment().forPledge(pledge.data).withQuantity(2_400).buildEvent();
  const receipt = aDelivery()
    .forShipment(shipment.data)
    .reportedBy('recipient:UA')
    .receivedAt('2026-03-23T11:40:00+02:00')
    .buildEvent();
  const correction = aDeliveryCorrection()
    .forShipment(shipment.data)
    .withReceipt(2_400, 2_352)
    .correctedAt('2026-03-24T08:15:00+02:00')
    .buildEvent();
  const second = aDeliveryCorrection()
    .forShipment(shipment.data)
    .withReceipt(2_400, 2_390)
    .correctedAt('2026-03-25T08:15:00+02:00')
    .buildEvent();

  it('moves the pledge by the difference between the corrected and the reported receipt', () => {
    const store = new MemoryModel();
    fold(store, [pledge, shipment, receipt]);
    expect(figures(pledgeOf(store, pledge.data.pledgeId))).toEqual({
      received: 2_400,
      accepted: 2_400,
      rejected: 0,
      outstanding: 2_600,
    });
    fold(store, [correction]);
    expect(figures(pledgeOf(store, pledge.data.pledgeId))).toEqual({
      received: 2_400,
      accepted: 2_352,
      rejected: 48,
      outstanding: 2_648,
    });
  });

  it('moves the donor and item totals and the delivered series by the same difference', () => {
    const store = new MemoryModel();
    fold(store, [pledge, shipment, receipt], [correction]);
    const donor = store.hashes.get(`agg:donor:${pledge.data.donor}`);
    expect(donor?.get('accepted')).toBe('2352');
    expect(store.hashes.get(`series:${pledge.data.itemCode}`)?.get('2026-03-23:d')).toBe('2352');
  });

  it('counts once when the correction is folded again (a replay does not double)', () => {
    const store = new MemoryModel();
    fold(store, [pledge, shipment, receipt, correction]);
    const once = store.state();
    store.seen.clear();
    fold(store, [correction], [receipt, correction]);
    expect(store.state()).toEqual(once);
  });

  it('ends in the same state whatever order the receipt and its corrections arrive in', () => {
    const orders = [
      [pledge, shipment, receipt, correction, second],
      [second, correction, receipt, shipment, pledge],
      [correction, pledge, second, shipment, receipt],
    ];
    const states = orders.map((order) => {
      const store = new MemoryModel();
      fold(store, ...order.map((event) => [event]));
      return { state: store.state(), value: figures(pledgeOf(store, pledge.data.pledgeId)) };
    });
    expect(states[0].value).toEqual({
      received: 2_400,
      accepted: 2_390,
      rejected: 10,
      outstanding: 2_610,
    });
    for (const { state } of states.slice(1)) expect(state).toEqual(states[0].state);
  });
});
