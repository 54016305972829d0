import { TOPICS } from '@tracker/contracts';
import {
  aPledge,
  startTestService,
  TEST_TOKENS,
  TestDatabase,
  TestService,
  TopicWatcher,
  uniqueGroupPrefix,
} from '@tracker/testing';
import request from 'supertest';
import { AppModule as GatewayModule, prepareGateway } from '../apps/gateway/src/app.module';
import {
  AppModule as PledgeModule,
  preparePledgeService,
} from '../apps/pledge-service/src/app.module';

describe('writes through the gateway', () => {
  let database: TestDatabase;
  let pledges: TestService;
  let gateway: TestService;
  let watcher: TopicWatcher;
  const admin = `Bearer ${TEST_TOKENS.admin}`;

  beforeAll(async () => {
    database = await TestDatabase.create('forwarding');
    watcher = await TopicWatcher.start([TOPICS.pledges]);
    pledges = await startTestService(
      'pledge-service',
      (config) => PledgeModule.forRoot(config),
      {
        DATABASE_SCHEMA: database.schema,
        KAFKA_GROUP_PREFIX: uniqueGroupPrefix('forwarding'),
        AUTH_FAILURES_PER_MINUTE: '5',
      },
      preparePledgeService,
    );
    gateway = await startTestService(
      'gateway',
      (config) => GatewayModule.forRoot(config),
      // Nothing listens on port 9 (discard): production, shipment and webhooks are "down" here.
      {
        PLEDGE_SERVICE_URL: pledges.url,
        PRODUCTION_SERVICE_URL: 'http://127.0.0.1:9',
        SHIPMENT_SERVICE_URL: 'http://127.0.0.1:9',
        WEBHOOK_SERVICE_URL: 'http://127.0.0.1:9',
      },
      prepareGateway,
    );
  });

  afterAll(async () => {
    await gateway?.close();
    await pledges?.close();
    await watcher?.stop();
    await database?.drop();
  });

  it('forwards an announcement: the service answers 201 and emits one event', async () => {
    const pledge = aPledge().build();
    const response = await request(gateway.url)
      .post('/v1/pledges')
      .set('Authorization', admin)
      .set('X-Request-Id', 'trace-me-1')
      .send(pledge)
      .expect(201);
    expect(response.headers['x-request-id']).toBe('trace-me-1');
    expect(response.body).toMatchObject({ pledgeId: pledge.pledgeId });
    const events = await watcher.waitFor('the event', (m) => m.key === pledge.pledgeId);
    expect(events).toHaveLength(1);
  });

  it('passes the service refusal through: status and problem+json body', async () => {
    const response = await request(gateway.url)
      .post('/v1/pledges')
      .set('Authorization', `Bearer ${TEST_TOKENS.donorDE}`)
      .send(aPledge().withDonor('PL').build())
      .expect(403)
      .expect('Content-Type', /application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 403, code: 'outside-scope' });
  });

  it('leaves authentication to the service: no token is a 401 problem', async () => {
    const response = await request(gateway.url)
      .post('/v1/pledges')
      .send(aPledge().build())
      .expect(401);
    expect(response.body).toMatchObject({ code: 'unauthenticated' });
  });

  it('counts failed authentications per client behind the gateway, by X-Forwarded-For', async () => {
    // The gateway (on loopback, which the service trusts) forwards with X-Forwarded-For; the
    // service counts failures against the address the gateway got the request from.
    const from = (address: string, token: string) =>
      request(gateway.url)
        .post('/v1/pledges')
        .set('X-Forwarded-For', address)
        .set('Authorization', `Bearer ${token}`)
        .send(aPledge().build());
    for (let n = 0; n < 5; n += 1)
      await from('198.51.100.7', 'wrong-guess-000000000000').expect(401);
    const limited = await from('198.51.100.7', TEST_TOKENS.admin).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ code: 'too-many-failed-authentications' });
    // Its neighbour behind the same gateway is not held back by those guesses.
    await from('198.51.100.8', TEST_TOKENS.admin).expect(201);
  });

  it('replays an idempotent retry through the gateway with the first answer', async () => {
    const pledge = aPledge().build();
    const first = await request(gateway.url)
      .post('/v1/pledges')
      .set('Authorization', admin)
      .set('Idempotency-Key', `key-${pledge.pledgeId}`)
      .send(pledge)
      .expect(201);
    const retry = await request(gateway.url)
      .post('/v1/pledges')
      .set('Authorization', admin)
      .set('Idempotency-Key', `key-${pledge.pledgeId}`)
      .send(pledge)
      .expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    await request(gateway.url)
      .post('/v1/pledges')
      .set('Authorization', admin)
      .set('Idempotency-Key', `key-${pledge.pledgeId}`)
      .send({ ...pledge, quantity: pledge.quantity + 1 })
      .expect(422);
  });

  it('passes an empty body on: the service answers it', async () => {
    const response = await request(gateway.url)
      .post('/v1/pledges')
      .set('Authorization', admin)
      .set('Content-Type', 'application/json')
      .set('Content-Length', '0')
      .expect(422)
      .expect('Content-Type', /application\/problem\+json/);
    expect(response.body).toMatchObject({ code: 'invalid-body' });
  });

  it('refuses a body over 1 MiB itself, 413, without passing it on', async () => {
    const response = await request(gateway.url)
      .post('/v1/pledges')
      .set('Authorization', admin)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ padding: 'x'.repeat(1024 * 1024 + 1) }))
      .expect(413)
      .expect('Content-Type', /application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 413, code: 'body-too-large' });
  });

  it('streams a chunked body through, and a read with its query string back', async () => {
    const pledge = aPledge().withDonor('PL').build();
    // No Content-Length: the body goes on in chunks, as a streaming client sends it.
    const sent = await fetch(`${gateway.url}/v1/pledges`, {
      method: 'POST',
      headers: { Authorization: admin, 'Content-Type': 'application/json' },
      body: new Blob([JSON.stringify(pledge)]).stream(),
      duplex: 'half',
    });
    expect(sent.status).toBe(201);
    const listed = await request(gateway.url)
      .get('/v1/pledges?donor=PL&limit=500')
      .set('Authorization', admin)
      .expect(200);
    const items = (listed.body as { items: { pledgeId: string; donor: string }[] }).items;
    expect(items.map((item) => item.pledgeId)).toContain(pledge.pledgeId);
    expect(new Set(items.map((item) => item.donor))).toEqual(new Set(['PL']));
  });

  it('answers 502 problem+json with Retry-After when the owning service is down', async () => {
    const response = await request(gateway.url)
      .post('/v1/lots')
      .set('Authorization', admin)
      .send({})
      .expect(502)
      .expect('Retry-After', '1');
    expect(response.body).toMatchObject({ code: 'upstream-unavailable' });
  });

  it('serves one OpenAPI document with the forwarded write routes', async () => {
    const response = await request(gateway.url).get('/docs/openapi.json').expect(200);
    const document = response.body as {
      paths: Record<string, unknown>;
      'x-unavailable'?: string[];
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v1/pledges', '/v1/pledges/{id}', '/v1/pledges/{id}/cancel']),
    );
    expect(document['x-unavailable']).toEqual([
      'production-service',
      'shipment-service',
      'webhook-service',
    ]);
  });

  it('keeps probes open and gives no X-Powered-By', async () => {
    const response = await request(gateway.url).get('/health/live').expect(200);
    expect(response.headers['x-powered-by']).toBeUndefined();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});
