// Every route issues 18 and 19 added, against every role and no token, through the gateway (the
// one base URL): who may use it (DESIGN.md §4a, each route's `x-access`) decides the answer. A
// role the route is not for is 403 on a write; a read of something the caller may not see is
// 404 like something absent; no token is 401. The reads at a time (`?asOf=`, `?knownAt=`) need
// the projection and its time-travel process, which this stack does not run: their matrix (every
// party × the four reads, against that party's live read) is in test/time-travel.e2e-spec.ts,
// and the ingest bench's no-op write's (served only with BENCH_NOOP_WRITE=on) in
// apps/pledge-service/src/pledges/bench-noop.int-spec.ts.
import { TEST_TOKENS } from '@tracker/testing';
import request from 'supertest';
import { startWriteStack, WriteStack } from './write-stack';

type Party = keyof typeof TEST_TOKENS;
const PARTIES = Object.keys(TEST_TOKENS) as Party[];

const EPCIS_DOCUMENT = {
  '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2026-01-01T00:00:00Z',
  epcisBody: {
    eventList: [
      {
        type: 'ObjectEvent',
        action: 'OBSERVE',
        eventTime: '2026-01-01T00:00:00Z',
        eventTimeZoneOffset: '+00:00',
        bizStep: 'arriving',
        epcList: ['urn:epc:id:sscc:4012345.0000000009'],
      },
    ],
  },
};

/** One route and what each party, and no token, is answered. */
interface Case {
  readonly route: string;
  readonly call: (party?: Party) => request.Test;
  readonly answers: Readonly<Record<Party | 'none', number>>;
}

describe('the routes of issues 18 and 19 × every role', () => {
  let stack: WriteStack;
  let captureId: string;
  let subscriptionId: string;

  const as = (test: request.Test, party?: Party) =>
    party === undefined ? test : test.set('Authorization', `Bearer ${TEST_TOKENS[party]}`);
  const get = (path: string) => (party?: Party) => as(request(stack.gateway.url).get(path), party);
  const post = (path: string, body: object) => (party?: Party) =>
    as(request(stack.gateway.url).post(path).send(body), party);

  beforeAll(async () => {
    stack = await startWriteStack('added-routes', { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' });
    const capture = await post('/epcis/capture', EPCIS_DOCUMENT)('producerRheinmetall').expect(202);
    captureId = (capture.body as { id: string }).id;
    const subscription = await post('/v1/subscriptions', {
      url: 'http://127.0.0.1:9/hooks',
      eventTypes: ['tracker.pledge.announced.v1'],
    })('donorDE').expect(201);
    subscriptionId = (subscription.body as { id: string }).id;
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  /** `status` for every party, and 401 without a token, with `others` for the listed parties. */
  const answers = (status: number, others: Partial<Record<Party, number>> = {}) =>
    ({
      ...Object.fromEntries(PARTIES.map((party) => [party, status])),
      ...others,
      none: 401,
    }) as Case['answers'];
  const onlyFor = (allowed: Party[], status: number, refused: number) =>
    answers(refused, Object.fromEntries(allowed.map((party) => [party, status])));

  // Writes carry an empty body: a party the route is for gets past access to validation (400
  // or 422), one it is not for is refused first (403).
  const cases = (): Case[] => [
    {
      route: 'POST /v1/programmes',
      call: post('/v1/programmes', {}),
      answers: onlyFor(['admin'], 422, 403),
    },
    { route: 'GET /v1/programmes', call: get('/v1/programmes'), answers: answers(200) },
    { route: 'GET /v1/programmes/:id', call: get('/v1/programmes/EU-NONE'), answers: answers(404) },
    {
      route: 'GET /v1/programmes/:id/live',
      call: get('/v1/programmes/EU-NONE/live'),
      answers: answers(404),
    },
    {
      route: 'POST /epcis/capture',
      call: post('/epcis/capture', {}),
      answers: answers(400, { ops: 403 }),
    },
    {
      route: 'GET /epcis/capture/:id',
      call: get(`/epcis/capture/${captureId}`),
      answers: onlyFor(['admin', 'ops', 'producerRheinmetall'], 200, 404),
    },
    {
      route: 'POST /v1/shipments/:id/delivery/corrections',
      call: post('/v1/shipments/S-none/delivery/corrections', {}),
      answers: onlyFor(['admin', 'recipientUA'], 422, 403),
    },
    { route: 'POST /v1/subscriptions', call: post('/v1/subscriptions', {}), answers: answers(422) },
    { route: 'GET /v1/subscriptions', call: get('/v1/subscriptions'), answers: answers(200) },
    {
      route: 'GET /v1/subscriptions/:id',
      call: get(`/v1/subscriptions/${subscriptionId}`),
      answers: onlyFor(['admin', 'donorDE'], 200, 404),
    },
    {
      route: 'GET /v1/subscriptions/:id/deliveries',
      call: get(`/v1/subscriptions/${subscriptionId}/deliveries`),
      answers: onlyFor(['admin', 'donorDE'], 200, 404),
    },
    {
      route: 'POST /v1/subscriptions/:id/resume',
      call: post(`/v1/subscriptions/${subscriptionId}/resume`, {}),
      answers: onlyFor(['admin', 'donorDE'], 200, 404),
    },
    {
      route: 'GET /v1/pledges/:id/history',
      call: get('/v1/pledges/P-none/history'),
      answers: answers(404),
    },
    // A pledge's allocations and shipments (its page on the dashboard): a list of what the caller
    // may see, empty for a pledge it sees nothing of, as for one without any.
    {
      route: 'GET /v1/allocations?pledgeId=',
      call: get('/v1/allocations?pledgeId=P-none'),
      answers: answers(200),
    },
    { route: 'GET /v1/allocations', call: get('/v1/allocations'), answers: answers(400) },
    {
      route: 'GET /v1/shipments?pledgeId=',
      call: get('/v1/shipments?pledgeId=P-none'),
      answers: answers(200),
    },
    { route: 'GET /v1/shipments', call: get('/v1/shipments'), answers: answers(400) },
    { route: 'GET /v1/export/kiel.csv', call: get('/v1/export/kiel.csv'), answers: answers(200) },
    { route: 'GET /v1/export/kiel.xlsx', call: get('/v1/export/kiel.xlsx'), answers: answers(200) },
    {
      route: 'GET /v1/export/events.ndjson',
      call: get('/v1/export/events.ndjson'),
      answers: answers(200),
    },
  ];

  it('answers every role as the route declares', async () => {
    for (const { route, call, answers: expected } of cases()) {
      const seen: Record<string, number> = {};
      for (const party of PARTIES) seen[party] = (await call(party)).status;
      seen.none = (await call()).status;
      expect([route, seen]).toEqual([route, expected]);
    }
  }, 120_000);

  it("lets its owner delete a subscription; another party's is 404, like one that does not exist", async () => {
    const remove = (party?: Party) =>
      as(request(stack.gateway.url).delete(`/v1/subscriptions/${subscriptionId}`), party);
    expect((await remove()).status).toBe(401);
    for (const party of ['ops', 'donorPL', 'producerRheinmetall', 'recipientUA'] as const) {
      expect([party, (await remove(party)).status]).toEqual([party, 404]);
    }
    expect([200, 204]).toContain((await remove('donorDE')).status);
    expect((await get(`/v1/subscriptions/${subscriptionId}`)('donorDE')).status).toBe(404);
  });
});
