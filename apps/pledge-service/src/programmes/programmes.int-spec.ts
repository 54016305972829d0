import { TOPICS } from '@tracker/contracts';
import {
  startTestService,
  TEST_TOKENS,
  TestDatabase,
  TestService,
  TopicWatcher,
  uniqueGroupPrefix,
} from '@tracker/testing';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AppModule } from '../app.module';

const unique = (code: string) => `${code}-${randomBytes(4).toString('hex').toUpperCase()}`;

const declaration = (programmeId: string) => ({
  programmeId,
  name: 'EU plan: one million rounds of artillery ammunition within twelve months',
  itemCode: 'AMMO-155MM',
  targetQuantity: 1_000_000,
  deadline: '2024-03-31',
  sourceUrl: 'https://www.consilium.europa.eu/en/press/press-releases/2023/03/20/',
});

describe('pledge-service programmes', () => {
  let database: TestDatabase;
  let service: TestService;
  let watcher: TopicWatcher;
  const admin = `Bearer ${TEST_TOKENS.admin}`;

  beforeAll(async () => {
    database = await TestDatabase.create('programmes');
    watcher = await TopicWatcher.start([TOPICS.pledges]);
    service = await startTestService('pledge-service', (config) => AppModule.forRoot(config), {
      DATABASE_SCHEMA: database.schema,
      KAFKA_GROUP_PREFIX: uniqueGroupPrefix('programmes'),
    });
  });

  afterAll(async () => {
    await service?.close();
    await watcher?.stop();
    await database?.drop();
  });

  it('declares a programme: 201, one declared event keyed by its id, readable by any token', async () => {
    const id = unique('EU-1M-SHELLS');
    const response = await request(service.url)
      .post('/v1/programmes')
      .set('Authorization', admin)
      .send(declaration(id))
      .expect(201);
    expect(response.body).toMatchObject({
      programmeId: id,
      targetQuantity: 1_000_000,
      deadline: '2024-03-31',
      itemCode: 'AMMO-155MM',
    });
    const [event] = await watcher.waitFor('the declared event', (m) => m.key === id);
    expect(event.json).toMatchObject({
      type: 'tracker.programme.declared.v1',
      subject: id,
      partitionkey: id,
      data: declaration(id),
    });

    const read = await request(service.url)
      .get(`/v1/programmes/${id}`)
      .set('Authorization', `Bearer ${TEST_TOKENS.producerNammo}`)
      .expect(200);
    expect(read.body).toMatchObject({ programmeId: id, targetQuantity: 1_000_000 });
    const list = await request(service.url)
      .get('/v1/programmes')
      .set('Authorization', `Bearer ${TEST_TOKENS.donorPL}`)
      .expect(200);
    expect((list.body as { items: { programmeId: string }[] }).items).toEqual(
      expect.arrayContaining([expect.objectContaining({ programmeId: id })]),
    );
  });

  it('is idempotent on the same content, and a declaration with other content replaces it', async () => {
    const id = unique('CZ-AMMO-INITIATIVE');
    const post = (body: object) =>
      request(service.url).post('/v1/programmes').set('Authorization', admin).send(body);
    await post(declaration(id)).expect(201);
    await post(declaration(id)).expect(201);
    const amended = { ...declaration(id), targetQuantity: 1_500_000, deadline: '2024-12-31' };
    const response = await post(amended).expect(201);
    expect(response.body).toMatchObject({ targetQuantity: 1_500_000, deadline: '2024-12-31' });

    // The repeat published nothing: the two events are the declaration and its replacement.
    const events = await watcher.waitFor('both declarations', (m) => m.key === id, 2);
    expect(events.map((m) => (m.json as { data: object }).data)).toEqual([
      declaration(id),
      amended,
    ]);
    const read = await request(service.url)
      .get(`/v1/programmes/${id}`)
      .set('Authorization', admin)
      .expect(200);
    expect(read.body).toMatchObject({ targetQuantity: 1_500_000, deadline: '2024-12-31' });
  });

  it('refuses a donor with 403 and publishes nothing', async () => {
    const id = unique('EU-1M-SHELLS');
    await request(service.url)
      .post('/v1/programmes')
      .set('Authorization', `Bearer ${TEST_TOKENS.donorDE}`)
      .send(declaration(id))
      .expect(403)
      .expect('Content-Type', /application\/problem\+json/);
    await request(service.url).get(`/v1/programmes/${id}`).set('Authorization', admin).expect(404);
  });

  it('refuses a bad body with problem+json naming each field', async () => {
    const response = await request(service.url)
      .post('/v1/programmes')
      .set('Authorization', admin)
      .send({ ...declaration(unique('EU-1M-SHELLS')), targetQuantity: 0, deadline: 'soon' })
      .expect(422)
      .expect('Content-Type', /application\/problem\+json/);
    const fields = (response.body as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields.sort()).toEqual(['deadline', 'targetQuantity']);
  });

  it('answers 400 for a malformed programme id in the path and 401 without a token', async () => {
    await request(service.url)
      .get('/v1/programmes/not%20a%20code')
      .set('Authorization', admin)
      .expect(400);
    await request(service.url).get('/v1/programmes').expect(401);
  });
});
