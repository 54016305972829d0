import { TestRedis } from '@tracker/testing';
import type Redis from 'ioredis';
import { contributionIncrements, PledgeContribution } from './aggregate-fields';
import { decodeCursor } from './cursor';
import { BatchWrite, EMPTY_BATCH_WRITE, ReadModelWriter } from './read-model-writer';
import { createReadModelReader } from './read-model-reader';
import type { PublicFact } from './public-ledger';
import type { ReadModelReader } from './reader';
import type { DonorValue, FeedEntry, FeedValue, ItemValue, OverviewValue } from './values';

const cause = (id: string) => ({
  id,
  type: 'tracker.pledge.announced.v1',
  time: '2024-03-20T12:00:00Z',
});

function contribution(pledged: number, accepted: number): PledgeContribution {
  return {
    totals: {
      pledged,
      allocated: 0,
      shipped: accepted,
      received: accepted,
      accepted,
      rejected: 0,
      lost: 0,
      outstanding: pledged - accepted,
    },
    status: accepted === 0 ? 'announced' : 'partially-delivered',
  };
}

/** One pledge's value and its share of the aggregates, as the projection writes them. */
function pledgeWrite(
  id: string,
  pledged: number,
  accepted: number,
  rev = '0',
  before?: number,
): BatchWrite {
  const after = {
    donor: 'DE',
    itemCode: 'AMMO-155MM',
    contribution: contribution(pledged, accepted),
  };
  const previous =
    before === undefined
      ? undefined
      : { donor: 'DE', itemCode: 'AMMO-155MM', contribution: contribution(pledged, before) };
  return {
    ...EMPTY_BATCH_WRITE,
    docs: [
      {
        key: `pledge:${id}`,
        rev,
        doc: '{}',
        value: JSON.stringify({ kind: 'pledge', pledgeId: id, donor: 'DE', accepted }),
      },
    ],
    increments: contributionIncrements(previous, after),
    emits: ['overview', 'donor:DE', 'item:AMMO-155MM', `pledge:${id}`].map((channel) => ({
      channel,
      cause: cause(`e-${id}-${accepted}`),
    })),
  };
}

describe('read model in Redis', () => {
  let redis: TestRedis;
  let client: Redis;
  let writer: ReadModelWriter;
  let reader: ReadModelReader;
  let epoch: string;

  beforeEach(async () => {
    redis = new TestRedis('read-model');
    client = redis.client();
    writer = new ReadModelWriter(client, { namespace: 'rm', streamMaxLength: 1000 });
    reader = createReadModelReader(client, { namespace: 'rm' });
    ({ epoch } = await writer.startEpoch());
  });

  afterEach(async () => {
    await redis.cleanup();
  });

  it('answers zeros for the overview and null for other channels without data, with a cursor of the current epoch', async () => {
    const snapshot = await reader.snapshot([
      'overview',
      'donor:DE',
      'pledge:p-1',
      'alerts',
      'feed',
    ]);
    const zero = {
      pledged: 0,
      allocated: 0,
      shipped: 0,
      received: 0,
      accepted: 0,
      rejected: 0,
      lost: 0,
      outstanding: 0,
    };
    const none = {
      announced: 0,
      'in-production': 0,
      'partially-delivered': 0,
      delivered: 0,
      overdue: 0,
      cancelled: 0,
    };
    expect(snapshot.values).toEqual({
      overview: { kind: 'overview', totals: zero, pledges: 0, pledgeCounts: none },
      'donor:DE': null,
      'pledge:p-1': null,
      alerts: { kind: 'alerts', open: [] },
      feed: { kind: 'feed', events: [] },
    });
    expect(decodeCursor(snapshot.cursor)).toEqual({ epoch, id: '0-0' });
  });

  it('keeps a programme: public totals of its pledges, its months and its declaration, one hash', async () => {
    const side = (pledged: number, accepted: number) => ({
      donor: 'DE',
      itemCode: 'AMMO-155MM',
      programme: 'EU-1M-SHELLS',
      contribution: contribution(pledged, accepted),
    });
    const declaration = [
      ['d:name', 'EU plan'],
      ['d:target', '1000'],
      ['d:deadline', '2024-03-31'],
    ] as const;
    await expect(
      writer.apply(epoch, {
        ...EMPTY_BATCH_WRITE,
        increments: [
          ...contributionIncrements(undefined, side(600, 250)),
          { key: 'agg:programme:EU-1M-SHELLS', field: 'm:2023-03:p', delta: 600 },
          { key: 'agg:programme:EU-1M-SHELLS', field: 'm:2023-06:d', delta: 250 },
        ],
        fields: declaration.map(([field, value]) => ({
          key: 'agg:programme:EU-1M-SHELLS',
          field,
          value,
        })),
        emits: [{ channel: 'programme:EU-1M-SHELLS', cause: cause('e-programme') }],
      }),
    ).resolves.toEqual({ kind: 'ok' });

    const snapshot = await reader.snapshot(['programme:EU-1M-SHELLS', 'programme:CZ-AMMO']);
    expect(snapshot.values['programme:CZ-AMMO']).toBeNull();
    expect(snapshot.values['programme:EU-1M-SHELLS']).toMatchObject({
      kind: 'programme',
      name: 'EU plan',
      targetQuantity: 1000,
      pledged: 600,
      accepted: 250,
      outstanding: 350,
      pledges: 1,
      shortfall: 750,
      monthly: [
        { month: '2023-03', cumulativePledged: 600, cumulativeDelivered: 0 },
        { month: '2023-04', cumulativePledged: 600, cumulativeDelivered: 0 },
        { month: '2023-05', cumulativePledged: 600, cumulativeDelivered: 0 },
        { month: '2023-06', cumulativePledged: 600, cumulativeDelivered: 250 },
      ],
    });
    // Only public totals are kept for a programme: nothing of shipments or allocations.
    const fields = await client.hkeys(`{rm}:${epoch}:agg:programme:EU-1M-SHELLS`);
    expect(
      fields.filter((field) => /shipped|allocated|received|lost|rejected/.test(field)),
    ).toEqual([]);
  });

  it('applies a step and hands out the new values through snapshot, resume and tail', async () => {
    const start = await reader.snapshot(['overview']);
    await expect(writer.apply(epoch, pledgeWrite('p-1', 100, 0))).resolves.toEqual({ kind: 'ok' });
    await expect(writer.apply(epoch, pledgeWrite('p-1', 100, 40, '1', 0))).resolves.toEqual({
      kind: 'ok',
    });

    const overview = (await reader.value('overview')) as OverviewValue;
    expect(overview.totals).toMatchObject({ pledged: 100, accepted: 40, outstanding: 60 });
    expect(overview.pledgeCounts).toMatchObject({ announced: 0, 'partially-delivered': 1 });
    const donor = (await reader.value('donor:DE')) as DonorValue;
    expect(donor.items['AMMO-155MM'].totals.accepted).toBe(40);
    const item = (await reader.value('item:AMMO-155MM')) as ItemValue;
    expect(item.donors.DE.pledges).toBe(1);
    expect(item.monthsToClear).toEqual({
      months: null,
      basis: 'declared-capacity',
      estimate: true,
    });

    const resumed = await reader.resume(['overview', 'pledge:p-1'], start.cursor, 10);
    expect(resumed.kind).toBe('replay');
    if (resumed.kind !== 'replay') return;
    expect(resumed.updates.map((update) => update.channel)).toEqual([
      'overview',
      'pledge:p-1',
      'overview',
      'pledge:p-1',
    ]);
    expect(resumed.updates[3].value).toMatchObject({ accepted: 40 });
    expect(resumed.updates[3].cause.id).toBe('e-p-1-40');

    const capped = await reader.resume(['overview', 'pledge:p-1'], start.cursor, 3);
    expect(capped).toMatchObject({ kind: 'reset', reason: 'cap' });

    const tail = await reader.tail(start.cursor, 100, 100);
    expect('updates' in tail && tail.updates).toHaveLength(8);
    if (!('updates' in tail)) return;
    expect(tail.cursor).toBe(resumed.cursor);
    await expect(reader.tail(tail.cursor, 50, 100)).resolves.toEqual({
      updates: [],
      cursor: tail.cursor,
    });
  });

  it('refuses a step whose offsets, revisions or events were taken by another writer', async () => {
    const offsets = [{ field: 'pledges:0', from: '0', next: '5' }];
    await expect(writer.apply(epoch, { ...pledgeWrite('p-1', 10, 0), offsets })).resolves.toEqual({
      kind: 'ok',
    });
    await expect(writer.apply(epoch, { ...EMPTY_BATCH_WRITE, offsets })).resolves.toEqual({
      kind: 'fenced',
      field: 'pledges:0',
      stored: '5',
    });
    await expect(writer.apply(epoch, pledgeWrite('p-1', 10, 5, '0', 0))).resolves.toEqual({
      kind: 'conflict',
      what: 'pledge:p-1',
    });
    const events = [{ id: 'e-1', timeMs: 1 }];
    await expect(writer.apply(epoch, { ...EMPTY_BATCH_WRITE, events })).resolves.toEqual({
      kind: 'ok',
    });
    await expect(writer.apply(epoch, { ...EMPTY_BATCH_WRITE, events })).resolves.toEqual({
      kind: 'conflict',
      what: 'seen',
    });
    const overview = (await reader.value('overview')) as OverviewValue;
    expect(overview.totals.pledged).toBe(10);
  });

  it('resets a cursor of another epoch, a trimmed history and a malformed cursor', async () => {
    const old = await reader.snapshot(['overview']);
    await writer.apply(epoch, pledgeWrite('p-1', 10, 0));
    const rebuilt = await writer.beginBuild();
    await expect(
      writer.apply(rebuilt, { ...pledgeWrite('p-1', 10, 0), live: false }),
    ).resolves.toEqual({ kind: 'ok' });
    const latest = await reader.snapshot(['overview']);
    const blockedAt = Date.now();
    const blocked = reader.tail(latest.cursor, 5000, 10);
    await expect(writer.switchTo(rebuilt)).resolves.toBe(epoch);
    await expect(writer.apply(epoch, pledgeWrite('p-2', 10, 0))).resolves.toEqual({
      kind: 'epoch',
      current: rebuilt,
    });

    await expect(reader.resume(['overview'], old.cursor, 10)).resolves.toMatchObject({
      kind: 'reset',
      reason: 'epoch',
    });
    await expect(reader.tail(old.cursor, 10, 10)).resolves.toEqual({ reset: true });
    await expect(reader.resume(['overview'], 'nonsense', 10)).resolves.toMatchObject({
      kind: 'reset',
      reason: 'malformed',
    });
    const fresh = await reader.snapshot(['overview']);
    expect(decodeCursor(fresh.cursor)?.epoch).toBe(rebuilt);
    expect((fresh.values.overview as OverviewValue).totals.pledged).toBe(10);
    // The tail blocked on the old epoch wakes up on the switch, not at its timeout.
    await expect(blocked).resolves.toEqual({ reset: true });
    expect(Date.now() - blockedAt).toBeLessThan(4000);

    const small = new ReadModelWriter(client, { namespace: 'rm', streamMaxLength: 10 });
    const before = await reader.snapshot(['pledge:p-9']);
    for (let i = 0; i < 300; i += 1)
      await small.apply(rebuilt, {
        ...EMPTY_BATCH_WRITE,
        emits: [{ channel: 'pledge:p-9', cause: cause(`e-${i}`) }],
      });
    await expect(reader.resume(['pledge:p-9'], before.cursor, 1000)).resolves.toMatchObject({
      kind: 'reset',
      reason: 'expired',
    });
    await expect(reader.tail(before.cursor, 10, 10)).resolves.toEqual({ reset: true });
  });

  it('reads the public ledger of the current epoch up to a recording time, and its mark', async () => {
    const fact = (id: string): PublicFact => ({
      k: 'shipped',
      id,
      shipmentId: `sh-${id}`,
      pledgeId: 'p-1',
    });
    const ledger = (of: string) => writer.keys.publicLedgerKey(of);
    await client.zadd(
      ledger(epoch),
      2000,
      JSON.stringify(fact('b')),
      1000,
      JSON.stringify(fact('a')),
    );
    await client.zadd(ledger(epoch), 3000, JSON.stringify(fact('c')));
    await client.zadd(ledger(`${epoch}-other`), 1500, JSON.stringify(fact('x')));

    await expect(reader.publicFacts(2000)).resolves.toEqual([
      { fact: fact('a'), recordedMs: 1000 },
      { fact: fact('b'), recordedMs: 2000 },
    ]);
    await expect(reader.publicLedgerMark(2000)).resolves.toEqual({ count: 2, lastMs: 2000 });
    await expect(reader.publicLedgerMark(2999)).resolves.toEqual({ count: 2, lastMs: 2000 });
    await expect(reader.publicFacts(999)).resolves.toEqual([]);
    await expect(reader.publicLedgerMark(999)).resolves.toEqual({ count: 0, lastMs: null });
  });

  it('keeps the first recording time of a public fact and reads the ledger up to a time, in order', async () => {
    const shipped = (id: string): PublicFact => ({
      k: 'shipped',
      id,
      shipmentId: `s-${id}`,
      pledgeId: 'p-1',
    });
    await expect(reader.publicFacts(Date.now())).resolves.toEqual([]);
    await writer.apply(epoch, {
      ...EMPTY_BATCH_WRITE,
      ledger: [
        { fact: shipped('e-2'), recordedMs: 2000 },
        { fact: shipped('e-1'), recordedMs: 1000 },
      ],
    });
    await writer.apply(epoch, {
      ...EMPTY_BATCH_WRITE,
      ledger: [
        { fact: shipped('e-1'), recordedMs: 5000 },
        { fact: shipped('e-3'), recordedMs: 3000 },
      ],
    });
    await expect(reader.publicFacts(2000)).resolves.toEqual([
      { fact: shipped('e-1'), recordedMs: 1000 },
      { fact: shipped('e-2'), recordedMs: 2000 },
    ]);
    await expect(reader.publicFacts(Number.MAX_SAFE_INTEGER)).resolves.toHaveLength(3);
    await expect(client.zcard(writer.keys.publicLedgerKey(epoch))).resolves.toBe(3);
  });

  it('keeps one feed entry per event id: the one written last', async () => {
    const entry = (audience: FeedEntry['audience']): FeedEntry => ({
      id: 'e-1',
      type: 'tracker.shipment.milestone.v1',
      time: '2024-03-20T12:00:00Z',
      subject: 's-1',
      summary: 'Shipment s-1 in-transit',
      audience,
    });
    const timeMs = Date.parse('2024-03-20T12:00:00Z');
    await writer.apply(epoch, {
      ...EMPTY_BATCH_WRITE,
      feed: [{ entry: entry({ class: 'operational' }), timeMs }],
    });
    const known = entry({ class: 'operational', donor: 'DE', recipient: 'UA', producers: [] });
    await writer.apply(epoch, { ...EMPTY_BATCH_WRITE, feed: [{ entry: known, timeMs }] });
    await expect(reader.value('feed')).resolves.toEqual<FeedValue>({
      kind: 'feed',
      events: [known],
    });
  });
});
