import type { TickLogEntry } from '@tracker/read-model';
import fc from 'fast-check';
import { DEFAULT_ALERT_POLICY } from '../src/alerts/alert-rules';
import { foldRecords, tickModel } from '../src/time-travel/memory-fold';
import { MemoryModel } from '../src/time-travel/memory-model';
import { SourcedRecord, TimeTravel } from '../src/time-travel/time-travel';
import { Random } from './random';
import { generateScenario } from './scenario';

const SOURCES = ['pledges:0', 'pledges:1', 'shipments:0'];
const START_MS = Date.parse('2026-01-01T00:00:00Z');
const MINUTE_MS = 60_000;

/**
 * A log as the tracker would have recorded it: the scenario's stream in a shuffled recording
 * order (so some events are recorded long after their time), one record a second, spread over
 * three partitions; and the clock ticks the live projection ran between records, each naming
 * the offsets it had applied.
 */
function recordedLog(seed: number, pledges: number, tickEvery: number) {
  const random = new Random(seed);
  const { stream } = generateScenario(seed, { pledges, duplicates: 0.1 });
  const order = random.shuffle([...stream]);
  const next = new Map<string, number>();
  const records: SourcedRecord[] = order.map((event, at) => {
    const source = random.pick(SOURCES);
    const offset = next.get(source) ?? 0;
    next.set(source, offset + 1);
    return { event, recordedMs: START_MS + at * 1000, source, offset };
  });
  const ticks: (TickLogEntry & { position: number })[] = [];
  let asOfMs = Date.parse('2024-01-01T00:00:00Z');
  for (let position = tickEvery; position <= records.length; position += tickEvery) {
    asOfMs += random.int(1, 20_000) * MINUTE_MS;
    ticks.push({
      position,
      wallMs: START_MS + position * 1000 - 500,
      asOf: new Date(asOfMs).toISOString(),
      offsets: offsetsBefore(records, position),
    });
  }
  return { records, ticks };
}

function offsetsBefore(
  records: readonly SourcedRecord[],
  position: number,
): Record<string, number> {
  const offsets: Record<string, number> = {};
  for (const { source, offset } of records.slice(0, position))
    offsets[source] = Math.max(offsets[source] ?? 0, offset + 1);
  return offsets;
}

/** What the live projection showed at `timeMs`: records and ticks folded in recording order. */
function liveAt(
  records: readonly SourcedRecord[],
  ticks: readonly (TickLogEntry & { position: number })[],
  timeMs: number,
): unknown {
  const model = new MemoryModel({ journals: false });
  let from = 0;
  for (const tick of ticks.filter(({ wallMs }) => wallMs <= timeMs)) {
    foldRecords(model, records.slice(from, tick.position));
    tickModel(model, tick.asOf, DEFAULT_ALERT_POLICY);
    from = tick.position;
  }
  foldRecords(
    model,
    records.slice(from).filter(({ recordedMs }) => recordedMs <= timeMs),
  );
  return model.state();
}

/** A fresh fold of the records that happened by `timeMs`, then one tick at it. */
function replayAsOf(records: readonly SourcedRecord[], timeMs: number): MemoryModel {
  const model = new MemoryModel({ journals: false });
  foldRecords(
    model,
    records.filter(({ event }) => Date.parse(event.time) <= timeMs),
  );
  tickModel(model, new Date(timeMs).toISOString(), DEFAULT_ALERT_POLICY);
  return model;
}

/**
 * Every channel an `asOf` read can ask for in the log — the overview, each donor, item,
 * programme and pledge it names — and one nobody pledged for.
 */
function channelsOf(records: readonly SourcedRecord[]): string[] {
  const channels = new Set(['overview', 'donor:ZZ', 'item:NOTHING-HERE']);
  for (const { event } of records) {
    if (event.type !== 'tracker.pledge.announced.v1') continue;
    const { pledgeId, donor, itemCode, programme } = event.data;
    channels.add(`pledge:${pledgeId}`).add(`donor:${donor}`).add(`item:${itemCode}`);
    if (programme) channels.add(`programme:${programme}`);
  }
  return [...channels];
}

/** `asOf=T` of every channel of the log equals the value a fresh fold and tick at T give. */
function expectAsOf(travel: TimeTravel, records: readonly SourcedRecord[], timeMs: number): void {
  const replayed = replayAsOf(records, timeMs);
  for (const channel of channelsOf(records))
    expect({ channel, value: travel.asOf(timeMs, channel) }).toEqual({
      channel,
      value: replayed.value(channel),
    });
}

/**
 * Feeds the engine as the process would: each partition's records in offset order in chunks,
 * partitions interleaved at random, the tick log and the projection's offsets looked at now and
 * then (the projection being at some record of the log), the first part before the catch-up.
 */
function feed(
  travel: TimeTravel,
  records: readonly SourcedRecord[],
  ticks: readonly (TickLogEntry & { position: number })[],
  random: Random,
  caughtUpAt: number,
): void {
  const queues = new Map(
    SOURCES.map((source) => [source, records.filter((r) => r.source === source)]),
  );
  let delivered = 0;
  let projectionAt = 0;
  while ([...queues.values()].some((queue) => queue.length > 0)) {
    const source = random.pick(SOURCES);
    const queue = queues.get(source) as SourcedRecord[];
    const chunk = queue.splice(0, random.int(1, 30));
    const nextOffset = (chunk.at(-1)?.offset ?? -1) + 1;
    if (chunk.length > 0) travel.addRecords(source, chunk, nextOffset);
    delivered += chunk.length;
    if (random.int(0, 2) === 0) {
      projectionAt = Math.min(records.length, projectionAt + random.int(0, 60));
      travel.addTicks(
        ticks.filter(({ position }) => position <= projectionAt),
        new Map(Object.entries(offsetsBefore(records, projectionAt))),
      );
    }
    travel.advance(delivered >= caughtUpAt);
  }
  travel.addTicks(ticks, new Map(Object.entries(offsetsBefore(records, records.length))));
  travel.advance(true);
}

const cases = fc.record({
  seed: fc.integer(),
  pledges: fc.integer({ min: 1, max: 8 }),
  checkpointEvery: fc.integer({ min: 3, max: 40 }),
  tickEvery: fc.integer({ min: 5, max: 60 }),
  caughtUp: fc.double({ min: 0, max: 1, noNaN: true }),
  times: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }),
});

describe('time travel', () => {
  it('asOf=T equals a fresh fold of the events that happened by T plus a tick at T', () => {
    fc.assert(
      fc.property(cases, ({ seed, pledges, checkpointEvery, tickEvery, caughtUp, times }) => {
        const { records, ticks } = recordedLog(seed, pledges, tickEvery);
        const travel = new TimeTravel({ checkpointEvery });
        feed(travel, records, ticks, new Random(seed + 1), Math.floor(caughtUp * records.length));
        const eventTimes = records.map(({ event }) => Date.parse(event.time)).sort((a, b) => a - b);
        for (const share of times) {
          const timeMs = eventTimes[Math.floor(share * (eventTimes.length - 1))] + 1;
          expectAsOf(travel, records, timeMs);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('knownAt=T equals what the live projection showed at T, ticks included', () => {
    fc.assert(
      fc.property(cases, ({ seed, pledges, checkpointEvery, tickEvery, caughtUp, times }) => {
        const { records, ticks } = recordedLog(seed, pledges, tickEvery);
        const travel = new TimeTravel({ checkpointEvery });
        feed(travel, records, ticks, new Random(seed + 2), Math.floor(caughtUp * records.length));
        for (const share of times) {
          const timeMs = START_MS + Math.floor(share * records.length * 1000);
          expect(travel.knownAt(timeMs).state()).toEqual(liveAt(records, ticks, timeMs));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('folds a record recorded late into every checkpoint after its time', () => {
    const { records } = recordedLog(11, 6, 1000);
    const byTime = [...records].sort((a, b) => Date.parse(a.event.time) - Date.parse(b.event.time));
    const late = byTime.find(({ event }) => event.type === 'tracker.pledge.announced.v1');
    if (late === undefined) throw new Error('the scenario announces no pledge');
    const others = records.filter(({ event }) => event.id !== late.event.id);
    const travel = new TimeTravel({ checkpointEvery: 4 });
    travel.addRecords(
      'pledges:0',
      others.map((record, offset) => ({ ...record, source: 'pledges:0', offset })),
      others.length,
    );
    travel.advance(true);
    travel.addRecords('pledges:1', [{ ...late, source: 'pledges:1', offset: 0 }], 1);
    travel.advance(true);
    const lastMs = Date.parse((byTime.at(-1) as SourcedRecord).event.time);
    const lateMs = Date.parse(late.event.time);
    expectAsOf(travel, records, lastMs);
    expectAsOf(travel, records, lateMs);
    expectAsOf(travel, others, lateMs - 1);
  });

  it('stays exact when records keep arriving before the checkpoints built (they are split)', () => {
    const { records } = recordedLog(5, 8, 1000);
    const byTime = [...records].sort((a, b) => Date.parse(a.event.time) - Date.parse(b.event.time));
    const travel = new TimeTravel({ checkpointEvery: 2 });
    // The latest events first, then ever earlier ones: each lands inside the built checkpoints.
    const arriving = [...byTime.slice(-12), ...byTime.slice(0, -12).reverse()];
    arriving.forEach((record, offset) => {
      travel.addRecords('pledges:0', [{ ...record, source: 'pledges:0', offset }], offset + 1);
      travel.advance(true);
    });
    const times = byTime.map(({ event }) => Date.parse(event.time));
    for (const share of [0, 0.1, 0.3, 0.5, 0.7, 0.9, 1])
      expectAsOf(travel, records, times[Math.floor(share * (times.length - 1))]);
  });
});
