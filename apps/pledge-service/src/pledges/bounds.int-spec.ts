import { MAX_QUANTITY, MAX_VALUE_CENTS } from '@tracker/contracts';
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

/** Quantities and money at and past their bounds, and times from the future, over HTTP. */
describe('pledge-service bounds', () => {
  let database: TestDatabase;
  let service: TestService;
  const admin = `Bearer ${TEST_TOKENS.admin}`;

  beforeAll(async () => {
    database = await TestDatabase.create('pledge-bounds');
    service = await startTestService('pledge-service', (config) => AppModule.forRoot(config), {
      DATABASE_SCHEMA: database.schema,
      KAFKA_GROUP_PREFIX: uniqueGroupPrefix('pledge-bounds'),
      MAX_CLOCK_SKEW: '5m',
    });
  });

  afterAll(async () => {
    await service?.close();
    await database?.drop();
  });

  const announce = (body: object) =>
    request(service.url).post('/v1/pledges').set('Authorization', admin).send(body);

  it('answers a pledge of 3,000,000,000 rounds 422 naming the field and the bound, not 500', async () => {
    const response = await announce(aPledge().withQuantity(3_000_000_000).build())
      .expect(422)
      .expect('Content-Type', /application\/problem\+json/);
    expect((response.body as { errors: unknown }).errors).toEqual([
      { field: 'quantity', rule: 'must be at most 1000000000' },
    ]);
  });

  it('answers a value above €100 billion 422 naming valueCents', async () => {
    const pledge = { ...aPledge().build(), valueCents: MAX_VALUE_CENTS + 1 };
    const response = await announce(pledge).expect(422);
    expect((response.body as { errors: unknown }).errors).toEqual([
      { field: 'valueCents', rule: 'must be at most 10000000000000' },
    ]);
  });

  it('answers an amendment past the bound 422', async () => {
    const pledge = aPledge().withQuantity(10).build();
    await announce(pledge).expect(201);
    const response = await request(service.url)
      .patch(`/v1/pledges/${pledge.pledgeId}`)
      .set('Authorization', admin)
      .send({ quantity: MAX_QUANTITY + 1, reason: 'typo' })
      .expect(422);
    expect((response.body as { errors: unknown }).errors).toEqual([
      { field: 'quantity', rule: 'must be at most 1000000000' },
    ]);
  });

  it('accepts a pledge of exactly the bound, worth exactly €100 billion, and its figures add up in Postgres', async () => {
    const pledge = { ...aPledge().withQuantity(MAX_QUANTITY).build(), valueCents: MAX_VALUE_CENTS };
    const created = await announce(pledge).expect(201);
    expect(created.body).toMatchObject({ quantity: MAX_QUANTITY, accepted: 0 });

    // Receipts as the shipments view records them: three shipments accept the whole pledge.
    const parts = [400_000_000, 350_000_000, 250_000_000];
    for (const [index, accepted] of parts.entries()) {
      await database.query(
        'insert into shipments_view (shipment_id, pledge_id, accepted) values ($1, $2, $3)',
        [`${pledge.pledgeId}-s${index}`, pledge.pledgeId, accepted],
      );
    }
    const [row] = await database.query<{ quantity: string; accepted: string; cents: string }>(
      `select p.quantity::text as quantity, sum(s.accepted)::text as accepted,
              p.announcement->>'valueCents' as cents
         from pledges p join shipments_view s using (pledge_id)
        where p.pledge_id = $1 group by p.quantity, p.announcement`,
      [pledge.pledgeId],
    );
    expect(row).toEqual({
      quantity: '1000000000',
      accepted: '1000000000',
      cents: '10000000000000',
    });

    const read = await request(service.url)
      .get(`/v1/pledges/${pledge.pledgeId}`)
      .set('Authorization', admin)
      .expect(200);
    expect(read.body).toMatchObject({ quantity: MAX_QUANTITY, accepted: MAX_QUANTITY });
    // An amendment below what was accepted is a rule violation, compared exactly.
    await request(service.url)
      .patch(`/v1/pledges/${pledge.pledgeId}`)
      .set('Authorization', admin)
      .send({ quantity: MAX_QUANTITY - 1, reason: 'one round short' })
      .expect(422);
  });

  it('keeps every quantity column bigint, so no legal sum overflows', async () => {
    const columns = await database.query<{
      table_name: string;
      column_name: string;
      data_type: string;
    }>(
      `select table_name, column_name, data_type from information_schema.columns
        where table_schema = $1 and column_name in ('quantity', 'accepted') order by 1, 2`,
      [database.schema],
    );
    expect(columns).toEqual([
      { table_name: 'pledges', column_name: 'quantity', data_type: 'bigint' },
      { table_name: 'shipments_view', column_name: 'accepted', data_type: 'bigint' },
    ]);
  });

  it('refuses an announcement dated in the year 9999: 422 naming announcedAt', async () => {
    const pledge = aPledge().announcedAt('9999-12-31T23:59:59Z').build();
    const response = await announce(pledge).expect(422);
    expect((response.body as { errors: unknown }).errors).toEqual([
      { field: 'announcedAt', rule: 'must not be more than 5 minutes in the future' },
    ]);
  });

  it('accepts an announcement within the skew, and a target date far ahead', async () => {
    const soon = new Date(Date.now() + 60_000).toISOString();
    const pledge = aPledge().announcedAt(soon).build();
    await announce({ ...pledge, targetDate: '9999-12-31' }).expect(201);
  });
});
