import { TestRedis } from '@tracker/testing';
import type Redis from 'ioredis';
import { COUNTER_CEILING } from './aggregate-fields';
import {
  BatchWrite,
  EMPTY_BATCH_WRITE,
  CounterCeilingError,
  ReadModelWriter,
} from './read-model-writer';
import { createReadModelReader } from './read-model-reader';
import type { ReadModelReader } from './reader';
import type { ItemValue, OverviewValue } from './values';

const BOUND = 1_000_000_000; // MAX_QUANTITY of @tracker/contracts

const pledged = (delta: number, id: string): BatchWrite => ({
  ...EMPTY_BATCH_WRITE,
  events: [{ id, timeMs: 1 }],
  increments: [
    { key: 'agg:overview', field: 'pledged', delta },
    { key: 'agg:overview', field: 'outstanding', delta },
    { key: 'agg:item:AMMO-155MM', field: 'pledged', delta },
  ],
  series: [{ itemCode: 'AMMO-155MM', date: '2026-03-20', measure: 'p', delta }],
});

describe('read-model counters near the ceiling', () => {
  let redis: TestRedis;
  let client: Redis;
  let writer: ReadModelWriter;
  let reader: ReadModelReader;
  let epoch: string;

  beforeEach(async () => {
    redis = new TestRedis('counter-ceiling');
    client = redis.client();
    writer = new ReadModelWriter(client, { namespace: 'rm' });
    reader = createReadModelReader(client, { namespace: 'rm' });
    ({ epoch } = await writer.startEpoch());
  });

  afterEach(async () => {
    await redis.cleanup();
  });

  it('stay exact up to 2^53 − 1 when quantities at the bound are added to them', async () => {
    // The state after 9,007,190 pledges at the bound plus change, in one step; then nine more.
    const start = COUNTER_CEILING - 9 * BOUND;
    await expect(writer.apply(epoch, pledged(start, 'e-start'))).resolves.toEqual({ kind: 'ok' });
    for (let i = 0; i < 9; i += 1) {
      await expect(writer.apply(epoch, pledged(BOUND, `e-${i}`))).resolves.toEqual({ kind: 'ok' });
    }
    const raw = await client.hget(`${writer.keys.epochPrefix(epoch)}agg:overview`, 'pledged');
    expect(raw).toBe('9007199254740991');
    const overview = (await reader.value('overview')) as OverviewValue;
    expect(overview.totals.pledged).toBe(COUNTER_CEILING);
    expect(overview.totals.outstanding).toBe(COUNTER_CEILING);
    const item = (await reader.value('item:AMMO-155MM')) as ItemValue;
    expect(item.totals.pledged).toBe(COUNTER_CEILING);
    expect(item.daily).toEqual([
      { date: '2026-03-20', produced: COUNTER_CEILING, shipped: 0, delivered: 0 },
    ]);
  });

  it('refuse a step that would carry a counter past the ceiling, writing nothing of it', async () => {
    await writer.apply(epoch, pledged(COUNTER_CEILING - BOUND + 1, 'e-start'));
    const before = await client.hgetall(`${writer.keys.epochPrefix(epoch)}agg:overview`);

    const step = {
      ...pledged(BOUND, 'e-over'),
      docs: [{ key: 'pledge:p-1', rev: '0', doc: '{}' }],
    };
    await expect(writer.apply(epoch, step)).rejects.toThrow(CounterCeilingError);
    await expect(writer.apply(epoch, step)).rejects.toThrow(
      'read-model counter agg:overview pledged would pass 9007199254740991',
    );
    expect(await client.hgetall(`${writer.keys.epochPrefix(epoch)}agg:overview`)).toEqual(before);
    expect(await client.exists(`${writer.keys.epochPrefix(epoch)}pledge:p-1`)).toBe(0);
    // The event was not recorded as applied: once the cause is dealt with it can be applied.
    await expect(writer.apply(epoch, pledged(-BOUND, 'e-over'))).resolves.toEqual({ kind: 'ok' });
  });

  it('refuse a daily series that would pass the ceiling, and negative sums past it too', async () => {
    const series = (delta: number, id: string): BatchWrite => ({
      ...EMPTY_BATCH_WRITE,
      events: [{ id, timeMs: 1 }],
      series: [{ itemCode: 'AMMO-155MM', date: '2026-03-20', measure: 's', delta }],
    });
    await writer.apply(epoch, series(COUNTER_CEILING, 'e-1'));
    await expect(writer.apply(epoch, series(1, 'e-2'))).rejects.toThrow(
      'series:AMMO-155MM 2026-03-20:s',
    );
    await expect(writer.apply(epoch, series(-COUNTER_CEILING, 'e-3'))).resolves.toEqual({
      kind: 'ok',
    });
    await expect(writer.apply(epoch, series(-COUNTER_CEILING - 1, 'e-4'))).rejects.toThrow(
      CounterCeilingError,
    );
  });
});
