import { inboundShipmentsTopic, readDeadLetterHeaders, TOPICS } from '@tracker/contracts';
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
  KafkaFeed,
  startShipmentService,
  uniqueGroupPrefix,
  suiteTopicPrefix,
} from '../shipment-service.testing';

const RHEINMETALL = { source: '/producers/rheinmetall' };
const FUTURE = 'must not be more than 5 minutes in the future';

/** Both doors of shipment-service refuse events from the future and quantities past the bound. */
describe('shipment-service refusing year-9999 events and quantities past the bound', () => {
  const topicPrefix = suiteTopicPrefix('inbound-bounds');
  let database: TestDatabase;
  let service: TestService;
  let watcher: TopicWatcher;
  let feed: KafkaFeed;

  beforeAll(async () => {
    database = await TestDatabase.create('inbound-bounds');
    watcher = await TopicWatcher.start([TOPICS.deadLetter], undefined, topicPrefix);
    feed = await KafkaFeed.start(topicPrefix);
    service = await startShipmentService(
      database,
      uniqueGroupPrefix('inbound-bounds'),
      topicPrefix,
    );
  });

  afterAll(async () => {
    await service?.close();
    await feed?.stop();
    await watcher?.stop();
    await database?.drop();
  });

  async function deadLetterReason(key: string): Promise<string | undefined> {
    const [letter] = await watcher.waitFor(
      `a dead letter keyed ${key}`,
      (m) => m.topic === TOPICS.deadLetter && m.key === key,
    );
    return readDeadLetterHeaders(letter.headers)?.reason;
  }

  it('dead-letters an inbound milestone dated 9999 naming time and data.at', async () => {
    const milestone = aMilestone()
      .at('9999-12-31T23:59:59Z')
      .buildEvent({ ...RHEINMETALL, time: '9999-12-31T23:59:59Z' });
    await feed.publish(inboundShipmentsTopic('rheinmetall'), milestone);
    const reason = await deadLetterReason(milestone.data.shipmentId);
    expect(reason).toContain(`time ${FUTURE}`);
    expect(reason).toContain(`data.at ${FUTURE}`);
  });

  it('dead-letters an inbound dispatch of 3,000,000,000 units naming the bound', async () => {
    const dispatch = aShipment().buildEvent(RHEINMETALL);
    const tooMany = { ...dispatch, data: { ...dispatch.data, quantity: 3_000_000_000 } };
    await feed.send(inboundShipmentsTopic('rheinmetall'), {
      key: dispatch.data.shipmentId,
      value: Buffer.from(JSON.stringify(tooMany)),
      headers: { 'content-type': 'application/cloudevents+json' },
    });
    const reason = await deadLetterReason(dispatch.data.shipmentId);
    expect(reason).toContain('data.quantity must be at most 1000000000');
  });

  it('answers a dispatch dated 9999 over HTTP 422 naming dispatchedAt', async () => {
    const dispatch = aShipment().dispatchedAt('9999-12-31T23:59:59Z').build();
    const response = await request(service.url)
      .post('/v1/shipments')
      .set('Authorization', `Bearer ${TEST_TOKENS.producerRheinmetall}`)
      .send(dispatch)
      .expect(422);
    expect((response.body as { errors: unknown }).errors).toEqual([
      { field: 'dispatchedAt', rule: FUTURE },
    ]);
  });
});
