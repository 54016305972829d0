import { buildEvent, TrackerEvent } from '@tracker/contracts';
import { present, PledgeValue, ProgrammeValue } from '@tracker/read-model';
import fc from 'fast-check';
import { MemoryModel } from '../src/time-travel/memory-model';
import { recordedAtEventTime } from './recorded';
import { Random } from './random';
import { generateScenario } from './scenario';
import { planBatch } from '../src/apply/batch-plan';
import { documentsOf } from '../src/apply/routes';

const PROGRAMMES = ['EU-1M-SHELLS', 'CZ-AMMO-INITIATIVE'] as const;

/**
 * A generated scenario whose pledges mostly name a programme, plus each programme's declaration
 * and a later re-declaration (its amendment): the declarations come in anywhere in the stream.
 */
function programmeScenario(seed: number, pledges: number): TrackerEvent[] {
  const random = new Random(seed ^ 0x5eed);
  const { stream } = generateScenario(seed, { pledges, duplicates: 0.2 });
  const programmeOf = new Map<string, string | undefined>();
  const named = stream.map((event) => {
    if (event.type !== 'tracker.pledge.announced.v1') return event;
    const { pledgeId } = event.data;
    if (!programmeOf.has(pledgeId)) {
      programmeOf.set(pledgeId, random.chance(0.8) ? random.pick(PROGRAMMES) : undefined);
    }
    const programme = programmeOf.get(pledgeId);
    return programme === undefined ? event : { ...event, data: { ...event.data, programme } };
  });
  const declarations = PROGRAMMES.flatMap((programmeId, n) =>
    [1_000_000, 1_200_000].map((targetQuantity, version) =>
      buildEvent(
        'tracker.programme.declared.v1',
        {
          programmeId,
          name: `Programme ${n}`,
          itemCode: 'AMMO-155MM',
          targetQuantity,
          deadline: version === 0 ? '2024-03-31' : '2024-12-31',
        },
        {
          source: '/pledge-service',
          id: random.uuid(),
          time: new Date(Date.parse('2024-01-01T00:00:00Z') + version * 86_400_000).toISOString(),
        },
      ),
    ),
  );
  for (const declaration of declarations) {
    named.splice(random.int(0, named.length), 0, declaration);
  }
  return named;
}

function applyInBatches(store: MemoryModel, stream: readonly TrackerEvent[], size: number) {
  for (let at = 0; at < stream.length; at += size) {
    const batch = stream.slice(at, at + size);
    const loaded = store.load({
      docs: [...new Set(batch.flatMap(documentsOf))],
      events: batch.map((event) => event.id),
      offsets: [],
      aggregates: [],
    });
    store.apply(planBatch(recordedAtEventTime(batch), loaded, store.meta.get('asOf') ?? ''));
  }
}

function programmeValue(store: MemoryModel, programmeId: string): ProgrammeValue | null {
  const hash = store.hashes.get(`agg:programme:${programmeId}`);
  const raw = hash === undefined || hash.size === 0 ? null : JSON.stringify([...hash].flat());
  return present(`programme:${programmeId}`, raw) as ProgrammeValue | null;
}

function pledgeValues(store: MemoryModel): PledgeValue[] {
  return [...store.docs.values()]
    .filter((doc) => doc.v !== undefined && doc.v !== null)
    .map((doc) => JSON.parse(doc.v as string) as PledgeValue);
}

const month = (timestamp: string) => new Date(Date.parse(timestamp)).toISOString().slice(0, 7);

describe('programme totals', () => {
  it('equal the sum over the programme’s pledges, for events in any order and batching', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer(),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 40 }),
        (seed, order, pledges, size) => {
          const events = new Random(order).shuffle(programmeScenario(seed, pledges));
          const store = new MemoryModel();
          applyInBatches(store, events, size);
          for (const programmeId of PROGRAMMES) {
            const members = pledgeValues(store).filter((v) => v.programme === programmeId);
            const value = programmeValue(store, programmeId);
            const sum = (pick: (v: PledgeValue) => number) =>
              members.reduce((total, v) => total + pick(v), 0);
            expect(value).toMatchObject({
              targetQuantity: 1_200_000,
              deadline: '2024-12-31',
              pledged: sum((v) => v.pledged),
              accepted: sum((v) => v.accepted),
              outstanding: sum((v) => v.outstanding),
              pledges: members.length,
              shortfall: 1_200_000 - sum((v) => v.accepted),
            });
            const monthly = value?.monthly ?? [];
            const last = monthly[monthly.length - 1];
            expect(last?.cumulativePledged ?? 0).toBe(sum((v) => v.pledged));
            expect(last?.cumulativeDelivered ?? 0).toBe(sum((v) => v.accepted));
            for (const { month: m, pledged } of monthly) {
              expect(pledged).toBe(sum((v) => (month(v.announcedAt) === m ? v.pledged : 0)));
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('builds the same model in any order, and replaying every event changes nothing', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer(),
        fc.integer({ min: 1, max: 30 }),
        (seed, order, size) => {
          const events = programmeScenario(seed, 8);
          const inOrder = new MemoryModel();
          applyInBatches(inOrder, events, 1);
          const shuffled = new MemoryModel();
          applyInBatches(shuffled, new Random(order).shuffle([...events]), size);
          expect(shuffled.state()).toEqual(inOrder.state());
          shuffled.seen.clear();
          applyInBatches(shuffled, events, size);
          expect(shuffled.state()).toEqual(inOrder.state());
        },
      ),
      { numRuns: 20 },
    );
  });

  it('counts pledges, deliveries and months of a programme at all (the properties are not vacuous)', () => {
    const store = new MemoryModel();
    applyInBatches(store, programmeScenario(11, 12), 7);
    const values = PROGRAMMES.map((id) => programmeValue(store, id));
    expect(values.some((v) => (v?.pledged ?? 0) > 0 && (v?.accepted ?? 0) > 0)).toBe(true);
    expect(values.some((v) => (v?.monthly.length ?? 0) > 1)).toBe(true);
  });

  it('keeps the latest declaration by event time, whichever comes first', () => {
    const events = programmeScenario(1, 0).filter(
      (e) => e.type === 'tracker.programme.declared.v1',
    );
    for (const order of [events, [...events].reverse()]) {
      const store = new MemoryModel();
      applyInBatches(store, order, 1);
      expect(programmeValue(store, 'EU-1M-SHELLS')).toMatchObject({
        targetQuantity: 1_200_000,
        deadline: '2024-12-31',
        pledged: 0,
        pledges: 0,
        shortfall: 1_200_000,
      });
    }
  });
});
