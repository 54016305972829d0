import { TOPICS } from '@tracker/contracts';
import {
  aPledge,
  startTestService,
  TEST_TOKENS,
  TestDatabase,
  TestService,
  TopicWatcher,
  uniqueGroupPrefix,
  waitFor,
} from '@tracker/testing';
import request from 'supertest';
import { AppModule } from '../app.module';

describe('pledge-service HTTP writes', () => {
  let database: TestDatabase;
  let service: TestService;
  let watcher: TopicWatcher;
  const admin = `Bearer ${TEST_TOKENS.admin}`;

  beforeAll(async () => {
    database = await TestDatabase.create('pledges');
    watcher = await TopicWatcher.start([TOPICS.pledges]);
    service = await startTestService('pledge-service', (config) => AppModule.forRoot(config), {
      DATABASE_SCHEMA: database.schema,
      KAFKA_GROUP_PREFIX: uniqueGroupPrefix('pledges'),
    });
  });

  afterAll(async () => {
    await service?.close();
    await watcher?.stop();
    await database?.drop();
  });

  it('announces a pledge: 201, and exactly one announced event keyed by the pledge id', async () => {
    const pledge = aPledge().withDonor('DE').withQuantity(1000).build();
    const response = await request(service.url)
      .post('/v1/pledges')
      .set('Authorization', admin)
      .send(pledge)
      .expect(201);
    expect(response.body).toMatchObject({
      pledgeId: pledge.pledgeId,
      quantity: 1000,
      status: 'active',
    });
    const [event] = await watcher.waitFor('the announced event', (m) => m.key === pledge.pledgeId);
    expect(event.json).toMatchObject({
      type: 'tracker.pledge.announced.v1',
      subject: pledge.pledgeId,
    });
    expect(event.headers['content-type']).toBe('application/cloudevents+json');
  });

  it('refuses a zero quantity with 422 naming the field', async () => {
    const pledge = aPledge().withQuantity(0).build();
    const response = await request(service.url)
      .post('/v1/pledges')
      .set('Authorization', admin)
      .send(pledge)
      .expect(422)
      .expect('Content-Type', /application\/problem\+json/);
    expect((response.body as { errors: unknown }).errors).toEqual([
      { field: 'quantity', rule: 'must be a positive integer' },
    ]);
  });

  it('writes pledge, outbox row and idempotency key in one statement, and refuses the key for another pledge', async () => {
    const key = `key-${aPledge().build().pledgeId}`;
    const first = aPledge().build();
    const answer = await request(service.url)
      .post('/v1/pledges')
      .set('Authorization', admin)
      .set('Idempotency-Key', key)
      .send(first)
      .expect(201);
    expect(answer.headers['idempotent-replayed']).toBeUndefined();
    const stored = await database.query<{ status: number; body: unknown }>(
      'select status, body from idempotency_keys where key = $1',
      [key],
    );
    expect(stored).toEqual([{ status: 201, body: answer.body as unknown }]);
    const other = aPledge().build();
    const refused = await request(service.url)
      .post('/v1/pledges')
      .set('Authorization', admin)
      .set('Idempotency-Key', key)
      .send(other)
      .expect(422);
    expect(refused.body).toMatchObject({ code: 'idempotency-key-reused' });
    const rows = await database.query<{ pledge_id: string }>(
      'select pledge_id from pledges where pledge_id = any($1)',
      [[first.pledgeId, other.pledgeId]],
    );
    expect(rows).toEqual([{ pledge_id: first.pledgeId }]);
    await watcher.waitFor('the first pledge’s event', (m) => m.key === first.pledgeId);
    expect(watcher.withKey(other.pledgeId)).toHaveLength(0);
  });

  it('answers two concurrent requests with one key once, the other replayed, one event', async () => {
    const pledge = aPledge().build();
    const send = () =>
      request(service.url)
        .post('/v1/pledges')
        .set('Authorization', admin)
        .set('Idempotency-Key', `key-${pledge.pledgeId}`)
        .send(pledge)
        .expect(201);
    const answers = await Promise.all([send(), send()]);
    expect(answers.map((answer) => answer.headers['idempotent-replayed']).sort()).toEqual([
      'true',
      undefined,
    ]);
    expect(answers[0].body).toEqual(answers[1].body);
    await watcher.waitFor('the event', (m) => m.key === pledge.pledgeId);
    await waitFor('its outbox drained', async () => {
      const rows = await database.query('select 1 from outbox where key = $1', [pledge.pledgeId]);
      return rows.length === 0;
    });
    expect(watcher.withKey(pledge.pledgeId)).toHaveLength(1);
  });
});
