import { PublicFact } from '@tracker/read-model';
import request from 'supertest';
import { z } from 'zod';
import { PUBLIC_CLOCK } from '../src/public/public-clock';
import { PublicPledgesAnswer, PublicSummaryAnswer } from '../src/public/public-schemas';
import { ReadModelFixture, RunningGateway, startGateway, TOKENS } from './gateway-harness';

const DAY_MS = 86_400_000;
/** The gateway's now at the start of every test; tests move it forward. */
const START = Date.parse('2026-07-01T12:00:30Z');
const daysBefore = (days: number) => START - days * DAY_MS;
const iso = (ms: number) => new Date(ms).toISOString();

const announced = (pledgeId: string, extra: Record<string, unknown>): PublicFact => ({
  k: 'announced',
  id: `announced-${pledgeId}`,
  t: '2026-05-02T08:00:00Z',
  pledge: {
    pledgeId,
    donor: 'DE',
    recipient: 'UA',
    itemCode: 'AMMO-155MM',
    quantity: 100,
    announcedAt: '2026-05-02T08:00:00Z',
    purpose: 'military-aid',
    sourcing: 'stock',
    confidence: 'official',
    ...extra,
  },
});

type Summary = z.infer<typeof PublicSummaryAnswer>;
type Pledges = z.infer<typeof PublicPledgesAnswer>;
interface Problem {
  readonly detail: string;
  readonly errors: { readonly field: string }[];
}
/** The part of an OpenAPI operation the test looks at. */
interface Operation {
  readonly tags: string[];
  readonly 'x-access': unknown;
  readonly security?: unknown;
  readonly parameters: { readonly name: string }[];
  readonly responses: Record<string, { content: Record<string, { schema: unknown }> }>;
}

const idsOf = (answer: Pledges) => answer.items.map((item) => item.pledgeId);

/** Words of the classes the public never sees (README, "Who sees what"). */
const HIDDEN = /shipment|route|location|\beta\b|lot|stockpile|facilit|capacity|allocat|sh-secret/i;

/** Every key and string value of a JSON answer. */
function wordsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(wordsOf);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, inner]) => [key, ...wordsOf(inner)]);
  }
  return [];
}

describe('the public view', () => {
  let readModel: ReadModelFixture;
  let gateway: RunningGateway;
  let now = START;
  const clock = { provide: PUBLIC_CLOCK, useValue: () => now };

  const get = (path: string) => request(gateway.url).get(path);
  const summaryOf = async (path = '/public/v1/summary') =>
    (await get(path).expect(200)).body as Summary;
  const pledgesOf = async (path: string) => (await get(path).expect(200)).body as Pledges;

  beforeAll(async () => {
    readModel = await ReadModelFixture.create('public-view');
    const ledger: [PublicFact | Record<string, unknown>, number][] = [
      [
        announced('p-de-1', {
          valueCents: 1_000_000,
          targetDate: '2026-12-31',
          programme: 'EPF',
          sourceUrl: 'https://example.gov/pledge',
          // What a careless writer might put in the ledger: the fold never passes it on.
          facility: 'Unterlüß plant',
        }),
        daysBefore(60),
      ],
      [
        announced('p-fr-1', {
          donor: 'FR',
          itemCode: 'MBT',
          quantity: 14,
          targetDate: '2026-03-01',
        }),
        daysBefore(59),
      ],
      [announced('p-de-2', { quantity: 5 }), daysBefore(58)],
      [
        { k: 'cancelled', id: 'c-1', t: '2026-05-20T00:00:00Z', pledgeId: 'p-de-2', reason: 'x' },
        daysBefore(50),
      ],
      [{ k: 'shipped', id: 's-1', shipmentId: 'sh-secret-1', pledgeId: 'p-de-1' }, daysBefore(46)],
      [
        {
          k: 'accepted',
          id: 'r-1',
          t: '2026-05-16T10:00:00Z',
          shipmentId: 'sh-secret-1',
          quantity: 40,
        },
        daysBefore(45),
      ],
      // Recorded now: the public sees it PUBLIC_DELAY_DAYS from now.
      [{ k: 'shipped', id: 's-2', shipmentId: 'sh-secret-2', pledgeId: 'p-de-1' }, START - 1000],
      [
        {
          k: 'accepted',
          id: 'r-2',
          t: '2026-07-01T11:00:00Z',
          shipmentId: 'sh-secret-2',
          quantity: 60,
        },
        START,
      ],
    ];
    for (const [fact, recordedMs] of ledger) await readModel.publicFact(fact, recordedMs);
    gateway = await startGateway(readModel, {}, 0, [clock]);
  });

  afterEach(() => {
    now = START;
  });

  afterAll(async () => {
    await gateway.close();
    await readModel.cleanup();
  });

  it('answers the summary without a token, as recorded 30 days ago', async () => {
    const response = await get('/public/v1/summary').expect(200);
    expect(response.body).toEqual({
      asOf: '2026-06-01T12:00:00.000Z',
      delayDays: 30,
      rows: [
        {
          donor: 'DE',
          itemCode: 'AMMO-155MM',
          month: '2026-05',
          pledged: 100,
          pledgedValueCents: 1_000_000,
          delivered: 40,
          deliveredValueCents: 400_000,
        },
        {
          donor: 'FR',
          itemCode: 'MBT',
          month: '2026-05',
          pledged: 14,
          pledgedValueCents: 0,
          delivered: 0,
          deliveredValueCents: 0,
        },
      ],
      totals: { pledged: 114, delivered: 40 },
    });
  });

  it('answers the pledges without a token, with status, delivered and cancellation', async () => {
    const response = await get('/public/v1/pledges').expect(200);
    expect(response.body).toEqual({
      asOf: '2026-06-01T12:00:00.000Z',
      delayDays: 30,
      items: [
        {
          pledgeId: 'p-de-1',
          donor: 'DE',
          recipient: 'UA',
          itemCode: 'AMMO-155MM',
          quantity: 100,
          valueCents: 1_000_000,
          announcedAt: '2026-05-02T08:00:00Z',
          targetDate: '2026-12-31',
          purpose: 'military-aid',
          sourcing: 'stock',
          programme: 'EPF',
          confidence: 'official',
          sourceUrl: 'https://example.gov/pledge',
          status: 'partially-delivered',
          delivered: 40,
        },
        expect.objectContaining({
          pledgeId: 'p-de-2',
          status: 'cancelled',
          delivered: 0,
          cancelled: { at: '2026-05-20T00:00:00Z', reason: 'x' },
        }),
        expect.objectContaining({ pledgeId: 'p-fr-1', status: 'overdue', delivered: 0 }),
      ],
    });
  });

  it('shows a delivery recorded now only once the clock has moved past the delay', async () => {
    const before = await pledgesOf('/public/v1/pledges?donor=DE&limit=1');
    expect(before.items[0]).toMatchObject({ pledgeId: 'p-de-1', delivered: 40 });
    now = START + 30 * DAY_MS + 60_000;
    const after = await pledgesOf('/public/v1/pledges?donor=DE&limit=1');
    expect(after.asOf).toBe(iso(START - 30_000 + 60_000));
    expect(after.items[0]).toMatchObject({
      pledgeId: 'p-de-1',
      delivered: 100,
      status: 'delivered',
    });
    const summary = await summaryOf();
    expect(summary.totals).toEqual({ pledged: 114, delivered: 100 });
    expect(summary.rows).toContainEqual(
      expect.objectContaining({ donor: 'DE', month: '2026-07', delivered: 60 }),
    );
  });

  it('folds again when a fact recorded before the cutoff arrives late', async () => {
    const first = await get('/public/v1/summary').expect(200);
    const late = announced('p-late', { donor: 'PL', quantity: 3 });
    await readModel.publicFact(late, daysBefore(40));
    const second = await get('/public/v1/summary').expect(200);
    const pledged = (response: request.Response) => (response.body as Summary).totals.pledged;
    expect(pledged(second)).toBe(pledged(first) + 3);
    expect(second.headers.etag).not.toBe(first.headers.etag);
  });

  it('names no shipment, route, ETA, lot, stockpile or facility', async () => {
    now = START + 60 * DAY_MS;
    for (const path of ['/public/v1/summary', '/public/v1/pledges?limit=500']) {
      const response = await get(path).expect(200);
      expect(wordsOf(response.body).filter((word) => HIDDEN.test(word))).toEqual([]);
      expect(response.text).not.toMatch(/sh-secret|Unterlüß/);
    }
  });

  it('tags each answer with a strong ETag and answers 304 when it is named', async () => {
    for (const path of ['/public/v1/summary', '/public/v1/pledges?donor=FR']) {
      const first = await get(path).expect(200);
      const etag = first.headers.etag;
      expect(etag).toMatch(/^"[^"]+"$/);
      expect((await get(path).expect(200)).headers.etag).toBe(etag);
      const unchanged = await get(path).set('If-None-Match', etag).expect(304);
      expect(unchanged.text).toBe('');
      expect(unchanged.headers.etag).toBe(etag);
      await get(path).set('If-None-Match', '"something-else"').expect(200);
    }
  });

  it('may be cached by anyone for a minute', async () => {
    for (const path of ['/public/v1/summary', '/public/v1/pledges']) {
      const response = await get(path).expect(200);
      expect(response.headers['cache-control']).toBe('public, max-age=60');
      expect(response.headers['content-type']).toMatch(/^application\/json/);
    }
  });

  it('pages in pledgeId order with next, filtered by donor, item and status', async () => {
    const first = await pledgesOf('/public/v1/pledges?limit=2');
    expect(idsOf(first)).toEqual(['p-de-1', 'p-de-2']);
    expect(first.next).toBe('p-de-2');
    const second = await pledgesOf(`/public/v1/pledges?limit=2&after=${first.next}`);
    expect(idsOf(second)).toEqual(['p-fr-1', 'p-late']);
    expect(second.next).toBeUndefined();
    expect(idsOf(await pledgesOf('/public/v1/pledges?status=overdue&itemCode=MBT'))).toEqual([
      'p-fr-1',
    ]);
    expect(idsOf(await pledgesOf('/public/v1/pledges?donor=PL&status=delivered'))).toEqual([]);
  });

  it.each([
    ['limit=0', 'query.limit'],
    ['limit=501', 'query.limit'],
    ['limit=ten', 'query.limit'],
    ['status=lost', 'query.status'],
    ['donor=XX', 'query.donor'],
    ['itemCode=%20', 'query.itemCode'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const response = await get(`/public/v1/pledges?${query}`)
      .expect(400)
      .expect('Content-Type', /application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, code: 'invalid-query' });
    expect((response.body as Problem).errors.map((error) => error.field)).toEqual([field]);
  });

  it('refuses an unknown query parameter with 400', async () => {
    const response = await get('/public/v1/pledges?shipmentId=sh-secret-1').expect(400);
    expect(response.body).toMatchObject({ code: 'invalid-query' });
    expect((response.body as Problem).detail).toContain('shipmentId');
  });

  it('answers 429 with Retry-After past PUBLIC_REQUESTS_PER_MINUTE from one address', async () => {
    const limited = await startGateway(readModel, { PUBLIC_REQUESTS_PER_MINUTE: '3' }, 0, [clock]);
    try {
      for (let i = 0; i < 3; i++) await request(limited.url).get('/public/v1/summary').expect(200);
      const refused = await request(limited.url)
        .get('/public/v1/pledges')
        .expect(429)
        .expect('Content-Type', /application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 429, code: 'rate-limited' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      await request(limited.url)
        .get('/v1/overview')
        .set('Authorization', `Bearer ${TOKENS.ops}`)
        .expect((response) => expect(response.status).not.toBe(429));
      now = START + 2 * 60_000;
      await request(limited.url).get('/public/v1/summary').expect(200);
    } finally {
      await limited.close();
    }
  });

  it('lists both routes in the OpenAPI document, tagged public, open to the public', async () => {
    const response = await get('/docs/gateway.json').expect(200);
    const paths = (response.body as { paths: Record<string, { get: Operation }> }).paths;
    for (const path of ['/public/v1/summary', '/public/v1/pledges']) {
      const operation = paths[path].get;
      expect(operation.tags).toEqual(['public']);
      expect(operation['x-access']).toEqual({ public: true });
      expect(operation.security).toBeUndefined();
      const schema = operation.responses['200'].content['application/json'].schema as {
        type: string;
        properties: Record<string, unknown>;
      };
      expect(schema.type).toBe('object');
      expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['asOf', 'delayDays']));
    }
    const pledges = paths['/public/v1/pledges'].get;
    expect(pledges.parameters.map((parameter) => parameter.name).sort()).toEqual([
      'after',
      'donor',
      'itemCode',
      'limit',
      'status',
    ]);
  });
});
