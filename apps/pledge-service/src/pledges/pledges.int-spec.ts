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
});
