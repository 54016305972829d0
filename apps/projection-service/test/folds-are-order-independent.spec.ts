import type { TrackerEvent } from '@tracker/contracts';
import fc from 'fast-check';
import { MemoryModel } from '../src/time-travel/memory-model';
import { recordedAtEventTime } from './recorded';
import { Random } from './random';
import { generateScenario } from './scenario';
import { planBatch } from '../src/apply/batch-plan';
import { documentsOf } from '../src/apply/routes';

function applyInBatches(
  store: MemoryModel,
  stream: readonly TrackerEvent[],
  sizes: readonly number[],
): void {
  let at = 0;
  let turn = 0;
  while (at < stream.length) {
    const batch = stream.slice(at, at + sizes[turn % sizes.length]);
    at += batch.length;
    turn += 1;
    const loaded = store.load({
      docs: [...new Set(batch.flatMap(documentsOf))],
      events: batch.map((event) => event.id),
      offsets: [],
      aggregates: [],
    });
    store.apply(planBatch(recordedAtEventTime(batch), loaded, store.meta.get('asOf') ?? ''));
  }
}

function modelOf(stream: readonly TrackerEvent[], sizes: readonly number[] = [1]): unknown {
  const store = new MemoryModel();
  applyInBatches(store, stream, sizes);
  return store.state();
}

const byTime = (events: readonly TrackerEvent[]) =>
  [...events].sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || (a.id < b.id ? -1 : 1));

const scenarios = fc.record({
  seed: fc.integer(),
  order: fc.integer(),
  pledges: fc.integer({ min: 1, max: 12 }),
  sizes: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
});

describe('folding events into the read model', () => {
  it('gives the same model whatever the order, the batching and the duplicates', () => {
    fc.assert(
      fc.property(scenarios, ({ seed, order, pledges, sizes }) => {
        const { events, stream } = generateScenario(seed, { pledges, duplicates: 0.2 });
        const shuffled = new Random(order).shuffle([...stream]);
        expect(modelOf(shuffled, sizes)).toEqual(modelOf(byTime(events)));
      }),
      { numRuns: 60 },
    );
  });

  it('changes nothing when every event comes again, even after the dedupe window forgot them', () => {
    fc.assert(
      fc.property(scenarios, ({ seed, pledges, sizes }) => {
        const { stream } = generateScenario(seed, { pledges });
        const store = new MemoryModel();
        applyInBatches(store, stream, sizes);
        const once = store.state();
        store.seen.clear();
        applyInBatches(store, stream, sizes);
        expect(store.state()).toEqual(once);
      }),
      { numRuns: 40 },
    );
  });

  it('counts a shipment for its pledge whether the dispatch, the delivery or the pledge comes first', () => {
    const { events } = generateScenario(7, { pledges: 3 });
    const orders = [byTime(events), byTime(events).reverse(), new Random(1).shuffle([...events])];
    const models = orders.map((order) => modelOf(order, [2]));
    expect(models[1]).toEqual(models[0]);
    expect(models[2]).toEqual(models[0]);
  });
});
