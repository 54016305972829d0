import { MAX_QUANTITY, TrackerEvent } from '@tracker/contracts';
import { COUNTER_CEILING } from '@tracker/read-model';
import { aDelivery, aPledge, aShipment } from '@tracker/testing';
import fc from 'fast-check';
import { planBatch } from '../src/apply/batch-plan';
import { documentsOf } from '../src/apply/routes';
import { MemoryModel } from '../src/time-travel/memory-model';
import { recordedAtEventTime } from './recorded';

/** Pledges of exactly MAX_QUANTITY, each shipped and accepted in `shipments` parts. */
function atTheBound(pledges: number, shipments: number, donors: readonly string[]): TrackerEvent[] {
  const events: TrackerEvent[] = [];
  for (let p = 0; p < pledges; p += 1) {
    const pledge = aPledge()
      .withDonor(donors[p % donors.length] as 'DE')
      .withQuantity(MAX_QUANTITY)
      .buildEvent();
    events.push(pledge);
    // Parts that add up to the bound exactly, the last one taking the remainder.
    const part = Math.floor(MAX_QUANTITY / shipments);
    for (let s = 0; s < shipments; s += 1) {
      const quantity = s === shipments - 1 ? MAX_QUANTITY - part * (shipments - 1) : part;
      const dispatch = aShipment().forPledge(pledge.data).withQuantity(quantity).buildEvent();
      events.push(dispatch, aDelivery().forShipment(dispatch.data).buildEvent());
    }
  }
  return events;
}

function fold(events: readonly TrackerEvent[], batch: number, store = new MemoryModel()) {
  for (let at = 0; at < events.length; at += batch) {
    const slice = events.slice(at, at + batch);
    const loaded = store.load({
      docs: [...new Set(slice.flatMap(documentsOf))],
      events: slice.map((event) => event.id),
      offsets: [],
      aggregates: [],
    });
    const changes = planBatch(recordedAtEventTime(slice), loaded, store.meta.get('asOf') ?? '');
    for (const { delta } of changes.increments) expect(Number.isSafeInteger(delta)).toBe(true);
    store.apply(changes);
  }
  return store;
}

describe('sums at the quantity bound in the projection fold', () => {
  it('stay exact: every aggregate equals the exact (BigInt) sum of what the events say', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 25 }),
        fc.subarray(['DE', 'PL', 'FR', 'NL'], { minLength: 1 }),
        (pledges, shipments, batch, donors) => {
          const store = fold(atTheBound(pledges, shipments, donors), batch);
          const total = (BigInt(pledges) * BigInt(MAX_QUANTITY)).toString();
          const overview = store.hashes.get('agg:overview');
          for (const field of ['pledged', 'shipped', 'received', 'accepted'])
            expect(overview?.get(field)).toBe(total);
          expect(overview?.get('outstanding')).toBeUndefined(); // zero: delivered in full
          const perDonor = [...donors].map((donor) =>
            BigInt(store.hashes.get(`agg:donor:${donor}`)?.get('pledged') ?? '0'),
          );
          expect(perDonor.reduce((a, b) => a + b, 0n).toString()).toBe(total);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('stay exact next to the counter ceiling (2^53 − 1), the largest sum a counter may hold', () => {
    const store = new MemoryModel();
    const pledges = 3;
    // Counters that other pledges already brought to just below the ceiling.
    const start = COUNTER_CEILING - pledges * MAX_QUANTITY;
    store.hashes.set('agg:overview', new Map([['pledged', String(start)]]));
    fold(atTheBound(pledges, 1, ['DE']), 2, store);
    expect(store.hashes.get('agg:overview')?.get('pledged')).toBe(String(COUNTER_CEILING));
    expect(BigInt(store.hashes.get('agg:overview')?.get('pledged') ?? '0')).toBe(
      BigInt(Number.MAX_SAFE_INTEGER),
    );
  });
});
