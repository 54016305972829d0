import { ProgrammeValue } from '@tracker/read-model';
import {
  aDelivery,
  aPledge,
  aShipment,
  startTestService,
  TEST_TOKENS,
  TestRedis,
  TestService,
  uniqueGroupPrefix,
  waitFor,
} from '@tracker/testing';
import request from 'supertest';
import { LiveClient } from '../apps/gateway/dashboard/live-client';
import { AppModule as ProjectionModule } from '../apps/projection-service/src/app.module';
import { startWriteStack, WriteStack } from './write-stack';

// A programme's target against what its pledges pledged and delivered, through the whole path:
// the declaration and the pledges written through the gateway, deliveries confirmed by the
// recipient, the projection's programme hash, the gateway's REST read and /live channel.

const EU_1M_SHELLS = {
  programmeId: 'EU-1M-SHELLS',
  name: 'EU plan: one million rounds of artillery ammunition within twelve months',
  itemCode: 'AMMO-155MM',
  targetQuantity: 1_000_000,
  deadline: '2024-03-31',
  sourceUrl: 'https://www.consilium.europa.eu/en/press/press-releases/2023/03/20/',
};

describe('a programme against its target, live', () => {
  const redis = new TestRedis('programme-e2e');
  const shared = {
    REDIS_KEY_PREFIX: redis.prefix,
    READ_MODEL_NAMESPACE: 'programme-e2e',
    KAFKA_TOPIC_PREFIX: `${uniqueGroupPrefix('programme-e2e')}.`,
  };
  let stack: WriteStack;
  let projection: TestService;
  let client: LiveClient | undefined;

  const as = (token: string) => ({
    post: (path: string, body: object) =>
      request(stack.gateway.url).post(path).set('Authorization', `Bearer ${token}`).send(body),
    get: (path: string) =>
      request(stack.gateway.url).get(path).set('Authorization', `Bearer ${token}`),
  });
  const admin = () => as(TEST_TOKENS.admin);

  beforeAll(async () => {
    stack = await startWriteStack('programme', shared);
    projection = await startTestService(
      'projection-service',
      (config) => ProjectionModule.forRoot(config),
      { ...shared, KAFKA_GROUP_PREFIX: uniqueGroupPrefix('programme-e2e') },
    );
    await waitFor(
      'the projection to be ready',
      async () => (await fetch(`${projection.url}/health/ready`)).ok,
      { timeoutMs: 50_000 },
    );
  });

  afterAll(async () => {
    client?.close();
    await stack?.stop();
    await projection?.close();
    await redis.cleanup();
  });

  /** Dispatches `quantity` against a pledge and has its recipient accept `accepted` of it. */
  async function deliver(
    pledge: { pledgeId: string; itemCode: string },
    quantity: number,
    accepted: number,
    receivedAt: string,
  ) {
    const shipment = aShipment()
      .forPledge(pledge)
      .withQuantity(quantity)
      .withoutLots()
      .dispatchedAt(new Date(Date.parse(receivedAt) - 5 * 86_400_000).toISOString())
      .withEta(receivedAt)
      .build();
    // shipment-service learns the pledge from Kafka: until then it answers 409 + Retry-After.
    await waitFor(
      'shipment-service to know the pledge',
      async () => (await admin().post('/v1/shipments', shipment)).status === 201,
      { timeoutMs: 20_000 },
    );
    const received = aDelivery().forShipment(shipment).receivedAt(receivedAt);
    const delivery =
      accepted < quantity ? received.withRejected(quantity - accepted, 'damaged') : received;
    const { shipmentId: _id, ...receipt } = delivery.build();
    await as(TEST_TOKENS.recipientUA)
      .post(`/v1/shipments/${shipment.shipmentId}/delivery`, receipt)
      .expect(200);
  }

  it('shows pledged, delivered and the shortfall against the target over REST and on /live', async () => {
    // Public data: a producer's token, which sees no pledge's operations, sees it all.
    client = new LiveClient({ url: stack.gateway.url, token: TEST_TOKENS.producerNammo });
    await client.subscribe(['programme:EU-1M-SHELLS']);
    await waitFor('the live client', () => client?.state === 'live');
    expect(client.values.get('programme:EU-1M-SHELLS') ?? null).toBeNull();

    // A pledge may name the programme before the programme is declared.
    const germany = aPledge()
      .withDonor('DE')
      .withQuantity(400_000)
      .withProgramme('EU-1M-SHELLS')
      .build();
    await admin().post('/v1/pledges', germany).expect(201);
    await admin().post('/v1/programmes', EU_1M_SHELLS).expect(201);
    const poland = aPledge()
      .withDonor('PL')
      .withQuantity(120_000)
      .withProgramme('EU-1M-SHELLS')
      .build();
    const france = aPledge().withDonor('FR').withQuantity(5_000).without('programme').build();
    await admin()
      .post('/v1/pledges', { ...poland, announcedAt: '2023-05-10T09:00:00Z' })
      .expect(201);
    await admin().post('/v1/pledges', france).expect(201);

    await deliver(germany, 200_000, 200_000, '2023-09-15T10:00:00Z');
    await deliver(poland, 100_000, 80_000, '2024-02-20T10:00:00Z');

    const programme = () =>
      client?.values.get('programme:EU-1M-SHELLS') as ProgrammeValue | null | undefined;
    await waitFor(
      'the live channel to count both deliveries',
      () => programme()?.accepted === 280_000,
      {
        timeoutMs: 30_000,
      },
    );
    const expected = {
      kind: 'programme',
      programmeId: 'EU-1M-SHELLS',
      itemCode: 'AMMO-155MM',
      targetQuantity: 1_000_000,
      deadline: '2024-03-31',
      pledged: 520_000,
      accepted: 280_000,
      outstanding: 240_000,
      pledges: 2,
      unpledged: 480_000,
      shortfall: 720_000,
      deliveredShare: 0.28,
      targetReachedIn: null,
    };
    expect(programme()).toMatchObject(expected);

    const rest = await as(TEST_TOKENS.donorDE).get('/v1/programmes/EU-1M-SHELLS/live').expect(200);
    expect(rest.body).toMatchObject(expected);
    const value = rest.body as ProgrammeValue;
    expect(value.monthly[0]).toMatchObject({ month: '2023-03', pledged: 400_000 });
    expect(value.monthly.find((m) => m.month === '2023-05')).toMatchObject({ pledged: 120_000 });
    expect(value.monthly.find((m) => m.month === '2023-09')).toMatchObject({
      delivered: 200_000,
      cumulativeDelivered: 200_000,
    });
    expect(value.monthly[value.monthly.length - 1]).toMatchObject({
      month: '2024-02',
      cumulativePledged: 520_000,
      cumulativeDelivered: 280_000,
    });
    expect(value.forecast).toMatchObject({ basis: 'recent-deliveries', estimate: true });
    expect(value.forecast?.targetReachedBy).not.toBeNull();

    // The system of record, forwarded to pledge-service, and a programme nobody declared.
    await as(TEST_TOKENS.ops).get('/v1/programmes/EU-1M-SHELLS').expect(200);
    await as(TEST_TOKENS.ops).get('/v1/programmes/CZ-AMMO-INITIATIVE/live').expect(404);
  });
});
