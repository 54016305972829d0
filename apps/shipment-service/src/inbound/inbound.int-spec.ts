import {
  CLOUDEVENTS_CONTENT_TYPE,
  inboundShipmentsTopic,
  readDeadLetterHeaders,
  TOPICS,
  TrackerEvent,
} from '@tracker/contracts';
import {
  aDelivery,
  aDeliveryCorrection,
  aMilestone,
  aPledge,
  aShipment,
  SeenMessage,
  TEST_TOKENS,
  TestDatabase,
  TestService,
  TopicWatcher,
  waitFor,
} from '@tracker/testing';
import { KafkaConsumers } from '@tracker/kafka';
import request from 'supertest';
import {
  allocatedPledge,
  KafkaFeed,
  startShipmentService,
  uniqueGroupPrefix,
  suiteTopicPrefix,
} from '../shipment-service.testing';

const RHEINMETALL = { source: '/producers/rheinmetall' };
const NAMMO = { source: '/producers/nammo' };
const RHEINMETALL_TOPIC = inboundShipmentsTopic('rheinmetall');
const NAMMO_TOPIC = inboundShipmentsTopic('nammo');

describe('shipment-service consuming tracker.inbound.<org>.shipments.v1', () => {
  const topicPrefix = suiteTopicPrefix('inbound');
  const groupPrefix = uniqueGroupPrefix('inbound');
  let database: TestDatabase;
  let service: TestService;
  let watcher: TopicWatcher;
  let feed: KafkaFeed;

  beforeAll(async () => {
    database = await TestDatabase.create('inbound');
    watcher = await TopicWatcher.start(
      [TOPICS.shipments, TOPICS.deadLetter],
      undefined,
      topicPrefix,
    );
    feed = await KafkaFeed.start(topicPrefix);
    service = await startShipmentService(database, groupPrefix, topicPrefix);
  });

  afterAll(async () => {
    await service?.close();
    await feed?.stop();
    await watcher?.stop();
    await database?.drop();
  });

  const send = (...events: TrackerEvent[]) => feed.publish(RHEINMETALL_TOPIC, ...events);

  /** Re-published copies of the event with this id, once the event `after` was re-published. */
  async function republishedOnce(id: string, after = id): Promise<SeenMessage[]> {
    await watcher.waitFor(`event ${after} re-published`, (m) => republished(m, after));
    return watcher.seen.filter((m) => republished(m, id));
  }

  function republished(message: SeenMessage, id: string): boolean {
    return message.topic === TOPICS.shipments && message.json?.id === id;
  }

  async function deadLetterKeyed(key: string): Promise<SeenMessage> {
    const [letter] = await watcher.waitFor(
      `a dead letter keyed ${key}`,
      (m) => m.topic === TOPICS.deadLetter && m.key === key,
    );
    return letter;
  }

  /** A dispatch of Rheinmetall's, published on the inbound topic and applied. */
  async function anInboundShipment() {
    const { pledge, lot } = await allocatedPledge(feed, database);
    const dispatch = aShipment().forPledge(pledge).withLots(lot).buildEvent(RHEINMETALL);
    await send(dispatch);
    await republishedOnce(dispatch.id);
    return dispatch;
  }

  it('re-publishes a valid event once on tracker.shipments.v1, keeping its id and source', async () => {
    const { pledge, lot } = await allocatedPledge(feed, database);
    const dispatch = aShipment().forPledge(pledge).withLots(lot).buildEvent(RHEINMETALL);
    const milestone = aMilestone().forShipment(dispatch.data).buildEvent(RHEINMETALL);
    await send(dispatch, milestone);

    const copies = await republishedOnce(dispatch.id, milestone.id);
    expect(copies).toHaveLength(1);
    expect(copies[0].key).toBe(dispatch.data.shipmentId);
    expect(copies[0].headers['content-type']).toBe(CLOUDEVENTS_CONTENT_TYPE);
    const { dataschema: _schema, ...envelope } = dispatch;
    expect(copies[0].json).toMatchObject(JSON.parse(JSON.stringify(envelope)) as object);
    expect(copies[0].json).toMatchObject({ data: { dispatchedBy: 'producer:rheinmetall' } });
    const shipment = await request(service.url)
      .get(`/v1/shipments/${dispatch.data.shipmentId}`)
      .set('Authorization', `Bearer ${TEST_TOKENS.producerRheinmetall}`)
      .expect(200);
    expect(shipment.body).toMatchObject({
      producer: 'rheinmetall',
      lastMilestone: { status: 'at-hub' },
    });
  });

  it('dead-letters a message that is not JSON with its bytes, headers and the reason, and carries on', async () => {
    const { pledge, lot } = await allocatedPledge(feed, database);
    const next = aShipment().forPledge(pledge).withLots(lot).buildEvent(RHEINMETALL);
    const key = next.data.shipmentId;
    const [landed] = await feed.send(RHEINMETALL_TOPIC, {
      key,
      value: Buffer.from([0x7b, 0x22, 0xff, 0x00]),
      headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE, 'x-trace': 'trace-1' },
    });
    await send(next);

    const letter = await deadLetterKeyed(key);
    expect(letter.value).toEqual(Buffer.from([0x7b, 0x22, 0xff, 0x00]));
    expect(letter.headers['x-trace']).toBe('trace-1');
    const info = readDeadLetterHeaders(letter.headers);
    expect(info).toMatchObject({
      // Where the message was: the suite's prefixed topic.
      sourceTopic: `${topicPrefix}${RHEINMETALL_TOPIC}`,
      sourcePartition: landed.partition,
      sourceOffset: landed.baseOffset,
    });
    expect(info?.reason).toContain('value must be UTF-8 encoded JSON');
    expect(await republishedOnce(next.id)).toHaveLength(1);
  });

  it('counts on /metrics what its consumer applied and dead-lettered, and its lag', async () => {
    await anInboundShipment();
    const poison = await feed.send(RHEINMETALL_TOPIC, { key: 'metrics', value: 'not json' });
    await deadLetterKeyed('metrics');
    const group = `${groupPrefix}.shipment-service.inbound`;
    const metric = (text: string, name: string, labels: Record<string, string>) => {
      const line = text
        .split('\n')
        .find(
          (row) =>
            row.startsWith(`${name}{`) &&
            Object.entries(labels).every(([label, value]) => row.includes(`${label}="${value}"`)),
        );
      return line === undefined ? NaN : Number(line.split(' ').pop());
    };
    const text = await waitFor('the consumer metrics', async () => {
      const body = await (await fetch(`${service.url}/metrics`)).text();
      const deadLettered = { group, outcome: 'dead-lettered' };
      return metric(body, 'tracker_consumer_messages_total', deadLettered) >= 1 ? body : undefined;
    });
    expect(
      metric(text, 'tracker_consumer_messages_total', { group, outcome: 'applied' }),
    ).toBeGreaterThanOrEqual(1);
    const partition = poison[0].partition;
    expect(
      metric(text, 'tracker_consumer_lag', {
        group,
        topic: `${topicPrefix}${RHEINMETALL_TOPIC}`,
        partition: String(partition),
      }),
    ).toBeGreaterThanOrEqual(0);
  });

  it('dead-letters a contract violation naming the field', async () => {
    const event = aShipment().buildEvent(RHEINMETALL);
    const value = JSON.stringify({ ...event, data: { ...event.data, quantity: -5 } });
    await feed.send(RHEINMETALL_TOPIC, {
      key: event.data.shipmentId,
      value,
      headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
    });
    const letter = await deadLetterKeyed(event.data.shipmentId);
    expect(letter.value?.toString()).toBe(value);
    expect(readDeadLetterHeaders(letter.headers)?.reason).toMatch(
      /contract violation on tracker\.inbound\.rheinmetall\.shipments\.v1.*data\.quantity must be a non-negative integer/,
    );
  });

  /**
   * A refused event, and a valid one with the same key that must still be applied after it; the
   * refused one is sent on `on` (Rheinmetall's inbound topic unless given).
   */
  type Case = () => Promise<{ refused: TrackerEvent; next: TrackerEvent; on?: string }>;

  it.each<[string, Case, RegExp]>([
    [
      "an item other than the pledge's",
      async () => {
        const { pledge, lot } = await allocatedPledge(feed, database);
        const other = { pledgeId: pledge.pledgeId, itemCode: 'AMMO-152MM' };
        const refused = aShipment().forPledge(other).withLots(lot).buildEvent(RHEINMETALL);
        const next = aShipment()
          .forPledge(pledge)
          .withLots(lot)
          .withShipmentId(refused.data.shipmentId)
          .buildEvent(RHEINMETALL);
        return { refused, next };
      },
      /item-differs-from-pledge at data\.itemCode/,
    ],
    [
      'a receipt, which only the recipient confirms',
      async () => {
        const dispatch = await anInboundShipment();
        return {
          refused: aDelivery().forShipment(dispatch.data).buildEvent(RHEINMETALL),
          next: aMilestone().forShipment(dispatch.data).buildEvent(RHEINMETALL),
        };
      },
      /outside-scope: producer:rheinmetall cannot confirm receipt of shipment \S+: only its recipient, recipient:UA, confirms receipt/,
    ],
    [
      "a receipt's correction, which only the recipient makes, even one claiming to be the recipient's",
      async () => {
        const dispatch = await anInboundShipment();
        return {
          refused: aDeliveryCorrection()
            .forShipment(dispatch.data)
            .reportedBy('recipient:UA')
            .buildEvent(RHEINMETALL),
          next: aMilestone().forShipment(dispatch.data).buildEvent(RHEINMETALL),
        };
      },
      /outside-scope: producer:rheinmetall cannot confirm receipt of shipment \S+: only its recipient, recipient:UA, confirms receipt/,
    ],
    [
      "a milestone of another producer's shipment, on that producer's own topic",
      async () => {
        const dispatch = await anInboundShipment();
        return {
          refused: aMilestone().forShipment(dispatch.data).buildEvent(NAMMO),
          next: aMilestone().forShipment(dispatch.data).buildEvent(RHEINMETALL),
          on: NAMMO_TOPIC,
        };
      },
      /outside-scope: producer:nammo cannot write shipment/,
    ],
    [
      'a dispatch against a pledge the producer allocated nothing to',
      async () => {
        const { pledge, lot } = await allocatedPledge(feed, database);
        const refused = aShipment().forPledge(pledge).withLots(lot).buildEvent(NAMMO);
        const next = aShipment()
          .forPledge(pledge)
          .withLots(lot)
          .withShipmentId(refused.data.shipmentId)
          .buildEvent(RHEINMETALL);
        return { refused, next, on: NAMMO_TOPIC };
      },
      /outside-scope: producer:nammo has no lots allocated to pledge/,
    ],
    [
      'a dispatch of more than the producer allocated',
      async () => {
        const { pledge, lot } = await allocatedPledge(feed, database, { allocated: 100 });
        const refused = aShipment()
          .forPledge(pledge)
          .withLots(lot)
          .withQuantity(101)
          .buildEvent(RHEINMETALL);
        const next = aShipment()
          .forPledge(pledge)
          .withLots(lot)
          .withQuantity(100)
          .withShipmentId(refused.data.shipmentId)
          .buildEvent(RHEINMETALL);
        return { refused, next };
      },
      /exceeds-allocation at data\.quantity/,
    ],
    [
      'an event claiming another organisation than its topic',
      async () => {
        const { pledge, lot } = await allocatedPledge(feed, database);
        const shipment = aShipment().forPledge(pledge).withLots(lot);
        return { refused: shipment.buildEvent(NAMMO), next: shipment.buildEvent(RHEINMETALL) };
      },
      /source must be \/producers\/rheinmetall: the event arrived on tracker\.inbound\.rheinmetall\.shipments\.v1/,
    ],
    [
      'an event whose source is not a producer',
      async () => {
        const { pledge, lot } = await allocatedPledge(feed, database);
        const shipment = aShipment().forPledge(pledge).withLots(lot);
        return {
          refused: shipment.buildEvent({ source: '/shipment-service' }),
          next: shipment.buildEvent(RHEINMETALL),
        };
      },
      /source must be \/producers\/rheinmetall/,
    ],
  ])('dead-letters %s with the reason, and carries on', async (_what, make, reason) => {
    const { refused, next, on = RHEINMETALL_TOPIC } = await make();
    await feed.publish(on, refused);
    await send(next);
    const letter = await deadLetterKeyed(refused.partitionkey);
    expect(letter.json).toEqual(JSON.parse(JSON.stringify(refused)));
    const info = readDeadLetterHeaders(letter.headers);
    expect(info?.sourceTopic).toBe(`${topicPrefix}${on}`);
    expect(info?.reason).toMatch(reason);
    expect(await republishedOnce(next.id)).toHaveLength(1);
    expect(watcher.seen.filter((m) => republished(m, refused.id))).toEqual([]);
  });

  it('applies a re-sent event once', async () => {
    const dispatch = await anInboundShipment();
    const milestone = aMilestone().forShipment(dispatch.data).buildEvent(RHEINMETALL);
    const marker = aMilestone()
      .forShipment(dispatch.data)
      .withStatus('customs')
      .buildEvent(RHEINMETALL);
    await send(milestone, dispatch, milestone);
    await send(milestone, marker);
    expect(await republishedOnce(milestone.id, marker.id)).toHaveLength(1);
    expect(await republishedOnce(dispatch.id, marker.id)).toHaveLength(1);
  });

  function retriedSoFar(consumers: KafkaConsumers): number {
    return consumers.all.reduce((sum, runner) => sum + runner.status.retried, 0);
  }

  it('retries an event for a pledge not known yet, and applies it once the pledge arrives', async () => {
    const pledge = aPledge().build();
    const dispatch = aShipment().forPledge(pledge).withoutLots().buildEvent(RHEINMETALL);
    await send(dispatch);
    // The pledge must arrive only after the consumer tried the dispatch and set it to retry.
    const consumers = service.app.get(KafkaConsumers);
    const retriedBefore = retriedSoFar(consumers);
    await waitFor(
      'the consumer to retry the dispatch',
      () => retriedSoFar(consumers) > retriedBefore,
    );
    await allocatedPledge(feed, database, { pledge });
    expect(await republishedOnce(dispatch.id)).toHaveLength(1);
  });

  it('dead-letters an event whose pledge stays unknown once the retries give up', async () => {
    const dispatch = aShipment().forPledge(aPledge().build()).buildEvent(RHEINMETALL);
    await send(dispatch);
    const letter = await deadLetterKeyed(dispatch.partitionkey);
    expect(readDeadLetterHeaders(letter.headers)?.reason).toMatch(
      /still failing after \d+ s: .*view-lagging at data\.pledgeId: pledge \S+ is not known yet/,
    );
  });

  it('applies nothing twice after a restart on the same schema and group', async () => {
    const dispatch = await anInboundShipment();
    const poisonKey = dispatch.data.shipmentId;
    await feed.send(RHEINMETALL_TOPIC, { key: poisonKey, value: 'not json' });
    await deadLetterKeyed(poisonKey);

    await service.close();
    service = await startShipmentService(database, groupPrefix, topicPrefix);

    const marker = aMilestone().forShipment(dispatch.data).buildEvent(RHEINMETALL);
    await send(dispatch, marker);
    expect(await republishedOnce(dispatch.id, marker.id)).toHaveLength(1);
    const letters = watcher.seen.filter(
      (m) => m.topic === TOPICS.deadLetter && m.key === poisonKey,
    );
    expect(letters).toHaveLength(1);
    await request(service.url)
      .get(`/v1/shipments/${dispatch.data.shipmentId}`)
      .set('Authorization', `Bearer ${TEST_TOKENS.admin}`)
      .expect(200);
  });
});
