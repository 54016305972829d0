// GET /v1/shipments?pledgeId=: a pledge's shipments, each to whoever may see it (libs/access),
// with every milestone as recorded, so its page can show each revision of the ETA.
import { TOPICS } from '@tracker/contracts';
import {
  aMilestone,
  aShipment,
  TEST_TOKENS,
  TestDatabase,
  TestService,
  TopicWatcher,
} from '@tracker/testing';
import request from 'supertest';
import {
  allocatedPledge,
  KafkaFeed,
  startShipmentService,
  suiteTopicPrefix,
  uniqueGroupPrefix,
} from '../shipment-service.testing';

const as = (party: keyof typeof TEST_TOKENS) => `Bearer ${TEST_TOKENS[party]}`;

interface Listed {
  readonly items: {
    shipmentId: string;
    quantity: number;
    eta?: string;
    producer: string | null;
    milestones: {
      status: string;
      location?: string;
      at: string;
      eta?: string;
      recordedBy: string;
      recordedAt: string;
    }[];
  }[];
}

describe('GET /v1/shipments?pledgeId=', () => {
  const topicPrefix = suiteTopicPrefix('shipments_of_pledge');
  let database: TestDatabase;
  let service: TestService;
  let watcher: TopicWatcher;
  let feed: KafkaFeed;
  let pledgeId: string;
  let rheinmetallShipment: string;
  let nammoShipment: string;

  beforeAll(async () => {
    database = await TestDatabase.create('shipments_of_pledge');
    watcher = await TopicWatcher.start([TOPICS.shipments], undefined, topicPrefix);
    feed = await KafkaFeed.start(topicPrefix);
    service = await startShipmentService(
      database,
      uniqueGroupPrefix('shipments_of_pledge'),
      topicPrefix,
    );
    const { pledge, lot } = await allocatedPledge(feed, database, { allocated: 1_000 });
    const { lot: nammoLot } = await allocatedPledge(feed, database, {
      producer: 'nammo',
      allocated: 500,
      pledge,
    });
    pledgeId = pledge.pledgeId;
    const first = aShipment()
      .forPledge(pledge)
      .withLots(lot)
      .withQuantity(1_000)
      .withEta('2026-03-23T12:00:00Z')
      .build();
    const second = aShipment().forPledge(pledge).withLots(nammoLot).withQuantity(500).build();
    rheinmetallShipment = first.shipmentId;
    nammoShipment = second.shipmentId;
    await post('/v1/shipments', as('producerRheinmetall'), first).expect(201);
    await post('/v1/shipments', as('producerNammo'), second).expect(201);
    const milestones = [
      aMilestone().forShipment(first).withStatus('at-hub').at('2026-03-22T15:00:00Z', 'Rzeszów'),
      aMilestone()
        .forShipment(first)
        .withStatus('border-crossed')
        .at('2026-03-23T09:00:00Z', 'Korczowa')
        .withEta('2026-03-25T12:00:00Z'),
    ];
    for (const milestone of milestones) {
      const { shipmentId: _id, ...body } = milestone.build();
      await post(
        `/v1/shipments/${first.shipmentId}/milestones`,
        as('producerRheinmetall'),
        body,
      ).expect(201);
    }
  });

  afterAll(async () => {
    await service?.close();
    await feed?.stop();
    await watcher?.stop();
    await database?.drop();
  });

  const post = (path: string, token: string, body: object) =>
    request(service.url).post(path).set('Authorization', token).send(body);

  const list = async (party: keyof typeof TEST_TOKENS, pledge = pledgeId): Promise<Listed> => {
    const response = await request(service.url)
      .get(`/v1/shipments?pledgeId=${pledge}`)
      .set('Authorization', as(party))
      .expect(200);
    return response.body as Listed;
  };

  it('lists every shipment in dispatch order with its milestones as recorded', async () => {
    for (const party of ['admin', 'ops', 'donorDE', 'recipientUA'] as const) {
      const { items } = await list(party);
      expect(items.map((item) => item.shipmentId).sort()).toEqual(
        [rheinmetallShipment, nammoShipment].sort(),
      );
      const first = items.find((item) => item.shipmentId === rheinmetallShipment)!;
      expect(first).toMatchObject({
        producer: 'rheinmetall',
        eta: '2026-03-25T12:00:00Z',
        dispatchEta: '2026-03-23T12:00:00Z',
      });
      expect(first.milestones).toEqual([
        expect.objectContaining({
          status: 'at-hub',
          location: 'Rzeszów',
          recordedBy: 'producer:rheinmetall',
        }),
        expect.objectContaining({
          status: 'border-crossed',
          eta: '2026-03-25T12:00:00Z',
          recordedBy: 'producer:rheinmetall',
        }),
      ]);
      expect(Number.isNaN(Date.parse(first.milestones[1].recordedAt))).toBe(false);
    }
  });

  it('gives a producer its own shipments only, another donor none', async () => {
    expect((await list('producerNammo')).items.map((item) => item.shipmentId)).toEqual([
      nammoShipment,
    ]);
    expect(await list('donorPL')).toEqual({ items: [] });
    expect(await list('admin', 'P-NEVER-ANNOUNCED')).toEqual({ items: [] });
  });

  it('refuses a request without a pledge id, naming it; 401 without a token', async () => {
    const response = await request(service.url)
      .get('/v1/shipments')
      .set('Authorization', as('admin'))
      .expect(400);
    expect(response.body).toMatchObject({
      errors: [expect.objectContaining({ field: 'query.pledgeId' })],
    });
    await request(service.url).get(`/v1/shipments?pledgeId=${pledgeId}`).expect(401);
  });
});
