import {
  aPledge,
  startTestService,
  TEST_TOKENS,
  TestDatabase,
  TestService,
  uniqueGroupPrefix,
} from '@tracker/testing';
import request from 'supertest';
import { AppModule } from '../app.module';

/** The ingest benchmark's no-op write: only with BENCH_NOOP_WRITE=on, and it writes nothing. */
describe('POST /v1/pledges/bench-noop', () => {
  let database: TestDatabase;
  const services: TestService[] = [];
  const admin = `Bearer ${TEST_TOKENS.admin}`;
  const start = (env: Record<string, string>) =>
    startTestService('pledge-service', (config) => AppModule.forRoot(config), {
      DATABASE_SCHEMA: database.schema,
      KAFKA_GROUP_PREFIX: uniqueGroupPrefix('bench-noop'),
      ...env,
    }).then((service) => {
      services.push(service);
      return service;
    });

  beforeAll(async () => {
    database = await TestDatabase.create('bench_noop');
  });

  afterAll(async () => {
    for (const service of services) await service.close();
    await database?.drop();
  });

  it('is not served by default', async () => {
    const service = await start({});
    await request(service.url)
      .post('/v1/pledges/bench-noop')
      .set('Authorization', admin)
      .send(aPledge().build())
      .expect(404);
  });

  it('with BENCH_NOOP_WRITE=on: the write edge answers 201, writes and publishes nothing', async () => {
    const service = await start({ BENCH_NOOP_WRITE: 'on' });
    const pledge = aPledge().build();
    await request(service.url)
      .post('/v1/pledges/bench-noop')
      .set('Authorization', admin)
      .send(pledge)
      .expect(201)
      .expect((response) => expect(response.body).toMatchObject({ pledgeId: pledge.pledgeId }));
    await request(service.url).post('/v1/pledges/bench-noop').send(pledge).expect(401);
    await request(service.url)
      .post('/v1/pledges/bench-noop')
      .set('Authorization', admin)
      .send({ ...pledge, quantity: 0 })
      .expect(422);
    const answers: Record<string, number> = {};
    for (const [party, token] of Object.entries(TEST_TOKENS)) {
      const response = await request(service.url)
        .post('/v1/pledges/bench-noop')
        .set('Authorization', `Bearer ${token}`)
        .send(aPledge().build());
      answers[party] = response.status;
    }
    // The roles of POST /v1/pledges: admin and donors; everyone else 403 before validation.
    expect(answers).toEqual({
      admin: 201,
      ops: 403,
      donorDE: 201,
      donorPL: 201,
      producerRheinmetall: 403,
      producerNammo: 403,
      recipientUA: 403,
    });
    const counts = await database.query<{ pledges: string; outbox: string }>(
      'select (select count(*) from pledges) as pledges, (select count(*) from outbox) as outbox',
    );
    expect(counts).toEqual([{ pledges: '0', outbox: '0' }]);
  });
});
