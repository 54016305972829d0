import type { TrackerEvent } from '@tracker/contracts';
import { COUNTED_HISTORY_FIELDS, PledgeHistoryEntry, PledgeValue } from '@tracker/read-model';
import {
  aDelivery,
  aDeliveryCorrection,
  anAllocation,
  aPledge,
  aPledgeAmendment,
  aShipment,
} from '@tracker/testing';
import fc from 'fast-check';
import { planBatch } from '../src/apply/batch-plan';
import { documentsOf } from '../src/apply/routes';
import { MemoryModel } from '../src/time-travel/memory-model';
import { recordedAtEventTime } from './recorded';
import { Random } from './random';
import { generateScenario } from './scenario';

function applyInBatches(
  store: MemoryModel,
  stream: readonly TrackerEvent[],
  sizes: readonly number[],
): void {
  let at = 0;
  for (let turn = 0; at < stream.length; turn += 1) {
    const batch = stream.slice(at, at + sizes[turn % sizes.length]);
    at += batch.length;
    const loaded = store.load({
      docs: [...new Set(batch.flatMap(documentsOf))],
      events: batch.map((event) => event.id),
      offsets: [],
      aggregates: [],
    });
    store.apply(planBatch(recordedAtEventTime(batch), loaded, store.meta.get('asOf') ?? ''));
  }
}

/** Each counted figure: the sum of its changes over the history. */
function sumOfChanges(history: readonly PledgeHistoryEntry[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const field of COUNTED_HISTORY_FIELDS) {
    sums[field] = history.reduce((sum, { changes }) => {
      const change = changes[field];
      return change === undefined ? sum : sum + Number(change.after) - Number(change.before);
    }, 0);
  }
  return sums;
}

const liveFigures = (value: PledgeValue): Record<string, number> =>
  Object.fromEntries(COUNTED_HISTORY_FIELDS.map((field) => [field, value[field]]));

const pledgeValues = (store: MemoryModel): PledgeValue[] =>
  [...store.docs]
    .filter(([key, doc]) => key.startsWith('pledge:') && doc.v !== undefined)
    .map(([, doc]) => JSON.parse(doc.v!) as PledgeValue);

describe("a pledge's history", () => {
  it('adds up to every live figure of the pledge, whatever the order, batching and duplicates', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer(),
          order: fc.integer(),
          pledges: fc.integer({ min: 1, max: 8 }),
          sizes: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
        }),
        ({ seed, order, pledges, sizes }) => {
          const { stream } = generateScenario(seed, { pledges, duplicates: 0.2 });
          const store = new MemoryModel();
          applyInBatches(store, new Random(order).shuffle([...stream]), sizes);
          for (const value of pledgeValues(store)) {
            const history = store.historyOf(value.pledgeId);
            expect(sumOfChanges(history)).toEqual(liveFigures(value));
            const last = [...history].reverse().find(({ changes }) => changes.status);
            expect(last?.changes.status?.after).toBe(value.status);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('holds each event once, even when every event comes again after the dedupe window', () => {
    const { stream } = generateScenario(11, { pledges: 4 });
    const store = new MemoryModel();
    applyInBatches(store, stream, [7]);
    const once = pledgeValues(store).map(({ pledgeId }) => store.historyOf(pledgeId));
    store.seen.clear();
    applyInBatches(store, stream, [5]);
    expect(pledgeValues(store).map(({ pledgeId }) => store.historyOf(pledgeId))).toEqual(once);
  });

  it('shows an amendment and a correction as such, with their reasons and who reported them', () => {
    const pledge = aPledge().withQuantity(5_000).buildEvent({ time: '2026-03-01T00:00:00Z' });
    const amendment = aPledgeAmendment()
      .forPledge(pledge.data)
      .withQuantity(4_000)
      .buildEvent({ time: '2026-03-02T00:00:00Z' });
    const allocation = anAllocation()
      .forPledge(pledge.data)
      .withQuantity(3_000)
      .buildEvent({ time: '2026-03-03T00:00:00Z' });
    const shipment = aShipment()
      .forPledge(pledge.data)
      .withQuantity(2_400)
      .sentBy('producer:rheinmetall')
      .buildEvent({ time: '2026-03-04T00:00:00Z' });
    const receipt = aDelivery()
      .forShipment(shipment.data)
      .reportedBy('recipient:UA')
      .buildEvent({ time: '2026-03-05T00:00:00Z' });
    const correction = aDeliveryCorrection()
      .forShipment(shipment.data)
      .withReceipt(2_400, 2_352)
      .buildEvent({ time: '2026-03-06T00:00:00Z' });
    const store = new MemoryModel();
    applyInBatches(store, [pledge, amendment, allocation, shipment, receipt, correction], [2]);

    const history = store.historyOf(pledge.data.pledgeId);
    expect(history.map(({ eventId }) => eventId)).toEqual(
      [pledge, amendment, allocation, shipment, receipt, correction].map(({ id }) => id),
    );
    expect(history[1]).toMatchObject({
      type: 'tracker.pledge.amended.v1',
      reason: amendment.data.reason,
      class: 'public',
      confidence: pledge.data.confidence,
      changes: {
        pledged: { before: 5_000, after: 4_000 },
        outstanding: { before: 5_000, after: 4_000 },
      },
    });
    expect(history[3]).toMatchObject({
      reportedBy: 'producer:rheinmetall',
      class: 'operational',
      confidence: 'reported',
      changes: { shipped: { before: 0, after: 2_400 } },
    });
    expect(history[5]).toMatchObject({
      type: 'tracker.shipment.delivery-corrected.v1',
      reason: correction.data.reason,
      reportedBy: 'recipient:UA',
      confidence: 'confirmed',
      class: 'public',
      time: correction.time,
      recordedAt: new Date(correction.time).toISOString(),
      changes: {
        accepted: { before: 2_400, after: 2_352 },
        rejected: { before: 0, after: 48 },
        outstanding: { before: 1_600, after: 1_648 },
      },
    });
  });

  it('lists a receipt that came before its dispatch on the dispatch that made it count', () => {
    const pledge = aPledge().withQuantity(5_000).buildEvent();
    const shipment = aShipment().forPledge(pledge.data).withQuantity(2_400).buildEvent();
    const receipt = aDelivery().forShipment(shipment.data).buildEvent();
    const store = new MemoryModel();
    applyInBatches(store, [pledge, receipt, shipment], [1]);
    const history = store.historyOf(pledge.data.pledgeId);
    expect(history.map(({ eventId }) => eventId)).toEqual([pledge.id, shipment.id]);
    expect(history[1]).toMatchObject({
      includes: [`event:${receipt.id}`],
      changes: { shipped: { after: 2_400 }, accepted: { after: 2_400 } },
    });
  });
});
