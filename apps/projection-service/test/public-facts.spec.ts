import type { TrackerEvent } from '@tracker/contracts';
import {
  aCapacityDeclaration,
  aDelivery,
  aLot,
  aMilestone,
  anAllocation,
  aPledge,
  aPledgeAmendment,
  aPledgeCancellation,
  aShipment,
  aShipmentLoss,
  aStockpileLevel,
} from '@tracker/testing';
import { planBatch } from '../src/apply/batch-plan';
import { documentsOf } from '../src/apply/routes';
import { MemoryModel } from '../src/time-travel/memory-model';

/** Folds one batch, every event recorded at `recordedMs`, and returns its ledger additions. */
function ledgerOf(store: MemoryModel, events: readonly TrackerEvent[], recordedMs: number) {
  const loaded = store.load({
    docs: [...new Set(events.flatMap(documentsOf))],
    events: events.map((event) => event.id),
    offsets: [],
    aggregates: [],
  });
  const changes = planBatch(
    events.map((event) => ({ event, recordedMs })),
    loaded,
    '',
  );
  store.apply(changes);
  return changes.ledger;
}

describe('the public facts of a batch', () => {
  const pledge = aPledge()
    .withDonor('DE')
    .withRecipient('UA')
    .withProgramme('EU-1M-SHELLS')
    .withReference('BMVg 2026/017')
    .buildEvent();
  const dispatch = aShipment().forPledge(pledge.data).sentBy('producer:rheinmetall').buildEvent();

  it('are the announcement (public fields only), amendments, cancellations, shipments and confirmed receipts', () => {
    const amendment = aPledgeAmendment().forPledge(pledge.data).withQuantity(9000).buildEvent();
    const cancellation = aPledgeCancellation().forPledge(pledge.data).buildEvent();
    const confirmed = aDelivery()
      .forShipment(dispatch.data)
      .withRejected(10)
      .reportedBy('recipient:UA')
      .buildEvent();
    const ledger = ledgerOf(
      new MemoryModel(),
      [pledge, amendment, dispatch, confirmed, cancellation],
      1_700_000_000_123,
    );
    const { reference: _reference, ...announced } = pledge.data;
    expect(ledger).toEqual([
      {
        fact: { k: 'announced', id: pledge.id, t: pledge.time, pledge: announced },
        recordedMs: 1_700_000_000_123,
      },
      {
        fact: {
          k: 'amended',
          id: amendment.id,
          t: amendment.time,
          pledgeId: pledge.data.pledgeId,
          quantity: 9000,
          targetDate: amendment.data.targetDate,
          reason: amendment.data.reason,
        },
        recordedMs: 1_700_000_000_123,
      },
      {
        fact: {
          k: 'shipped',
          id: dispatch.id,
          shipmentId: dispatch.data.shipmentId,
          pledgeId: pledge.data.pledgeId,
        },
        recordedMs: 1_700_000_000_123,
      },
      {
        fact: {
          k: 'accepted',
          id: confirmed.id,
          t: confirmed.data.receivedAt,
          shipmentId: dispatch.data.shipmentId,
          quantity: dispatch.data.quantity - 10,
        },
        recordedMs: 1_700_000_000_123,
      },
      {
        fact: {
          k: 'cancelled',
          id: cancellation.id,
          t: cancellation.time,
          pledgeId: pledge.data.pledgeId,
          reason: cancellation.data.reason,
        },
        recordedMs: 1_700_000_000_123,
      },
    ]);
    expect(JSON.stringify(ledger)).not.toContain('BMVg');
  });

  it('leave out receipts nobody confirmed, and everything operational, national or commercial', () => {
    const lot = aLot().buildEvent();
    const events = [
      aDelivery().forShipment(dispatch.data).buildEvent(),
      aMilestone().forShipment(dispatch.data).buildEvent(),
      aShipmentLoss().forShipment(dispatch.data).withQuantity(1).buildEvent(),
      aCapacityDeclaration().buildEvent(),
      lot,
      anAllocation().fromLot(lot.data).forPledge(pledge.data).buildEvent(),
      aStockpileLevel().buildEvent(),
    ];
    expect(ledgerOf(new MemoryModel(), events, 1)).toEqual([]);
  });

  it('are added once: an event applied already adds nothing', () => {
    const store = new MemoryModel();
    expect(ledgerOf(store, [pledge, pledge], 5)).toHaveLength(1);
    expect(ledgerOf(store, [pledge], 6)).toEqual([]);
  });
});
