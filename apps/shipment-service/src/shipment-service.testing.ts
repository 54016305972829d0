// Test support of shipment-service's integration specs: a service on a schema and group of its
// own, a Kafka producer that plays pledge-service and producer systems, and pledges made known.
import {
  buildEvent,
  inboundShipmentsTopic,
  LotCompletedV1,
  PledgeAnnouncedV1,
  serialize,
  TOPICS,
  TrackerEvent,
} from '@tracker/contracts';
import { RetryPolicy } from '@tracker/kafka';
import {
  aLot,
  anAllocation,
  aPledge,
  newId,
  startTestService,
  TestDatabase,
  TestService,
  uniqueGroupPrefix,
  uniqueName,
  waitFor,
} from '@tracker/testing';
import { Kafka, logLevel, Producer, RecordMetadata } from 'kafkajs';
import { AppModule, prepareShipmentService, ShipmentServiceOptions } from './app.module';

/** Retries of the inbound consumer, short enough that a test can watch one give up. */
export const TEST_INBOUND_RETRY: RetryPolicy = { initialMs: 50, maxMs: 200, giveUpAfterMs: 4000 };

/** The producer organisations of the test tokens, each with an inbound topic of its own. */
export const TEST_PRODUCERS = ['rheinmetall', 'nammo'] as const;

/**
 * A topic prefix of one suite's own (`KAFKA_TOPIC_PREFIX`). Suites run two at a time, and a
 * shipment-service on the shared topics would also apply another suite's inbound events (it
 * learns that suite's pledges and allocations from the same topics) and re-publish them.
 */
export function suiteTopicPrefix(label: string): string {
  return `${uniqueName(label)}.`;
}

/**
 * A shipment-service on `database`'s schema, consumer groups under `groupPrefix` and topics
 * under `topicPrefix`; `options` beyond the short inbound retries (the EPCIS capture worker's).
 */
export function startShipmentService(
  database: TestDatabase,
  groupPrefix: string,
  topicPrefix: string,
  options: ShipmentServiceOptions = {},
): Promise<TestService> {
  return startTestService(
    'shipment-service',
    (config) => AppModule.forRoot(config, { inboundRetry: TEST_INBOUND_RETRY, ...options }),
    {
      DATABASE_SCHEMA: database.schema,
      KAFKA_GROUP_PREFIX: groupPrefix,
      KAFKA_TOPIC_PREFIX: topicPrefix,
    },
    prepareShipmentService,
  );
}

export { uniqueGroupPrefix };

/** A raw Kafka message, for poison a producer system might publish. */
export interface RawMessage {
  readonly key: string | null;
  readonly value: Buffer | string | null;
  readonly headers?: Record<string, string>;
}

/** Publishes what other services and producer systems would: events and raw messages. */
export class KafkaFeed {
  private constructor(
    private readonly producer: Producer,
    private readonly topicPrefix: string,
  ) {}

  /** Publishes on the topics under `topicPrefix` (the suite's, as its service reads them). */
  static async start(topicPrefix: string, brokers = process.env.KAFKA_BROKERS): Promise<KafkaFeed> {
    if (!brokers)
      throw new Error('KAFKA_BROKERS is not set (the integration global setup sets it)');
    const kafka = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [TOPICS.pledges, TOPICS.production, ...TEST_PRODUCERS.map(inboundShipmentsTopic)].map(
        (topic) => ({
          topic: `${topicPrefix}${topic}`,
          numPartitions: 3,
        }),
      ),
    });
    await admin.disconnect();
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    return new KafkaFeed(producer, topicPrefix);
  }

  /** Publishes events, serialized as the contract says, on `topic`. */
  async publish(topic: string, ...events: TrackerEvent[]): Promise<RecordMetadata[]> {
    return this.send(topic, ...events.map((event) => serialize(event)));
  }

  /** Sends messages as they are; answers where they landed. */
  async send(topic: string, ...messages: RawMessage[]): Promise<RecordMetadata[]> {
    return this.producer.send({
      topic: `${this.topicPrefix}${topic}`,
      messages: messages.map((message) => ({ ...message })),
    });
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }
}

/** Announces a pledge on tracker.pledges.v1 as pledge-service would. */
export async function announcePledge(feed: KafkaFeed, pledge: PledgeAnnouncedV1): Promise<void> {
  await feed.publish(
    TOPICS.pledges,
    buildEvent('tracker.pledge.announced.v1', pledge, { source: '/pledge-service' }),
  );
}

/** Announces a pledge and waits until shipment-service's pledges view holds it. */
export async function knownPledge(
  feed: KafkaFeed,
  database: TestDatabase,
  pledge: PledgeAnnouncedV1 = aPledge().build(),
): Promise<PledgeAnnouncedV1> {
  await announcePledge(feed, pledge);
  await waitFor(`pledge ${pledge.pledgeId} in the pledges view`, async () => {
    const rows = await database.query('select 1 from pledges_view where pledge_id = $1', [
      pledge.pledgeId,
    ]);
    return rows.length === 1;
  });
  return pledge;
}

/** A pledge shipment-service knows, with a lot of `producer`'s allocated to it. */
export interface AllocatedPledge {
  readonly pledge: PledgeAnnouncedV1;
  readonly lot: LotCompletedV1;
}

/**
 * Announces a pledge, completes a lot of `producer`'s and allocates `allocated` units of it to
 * the pledge, as pledge- and production-service would; waits until shipment-service's views
 * hold both, so `producer` may dispatch up to `allocated` against the pledge.
 */
export async function allocatedPledge(
  feed: KafkaFeed,
  database: TestDatabase,
  options: { producer?: string; allocated?: number; pledge?: PledgeAnnouncedV1 } = {},
): Promise<AllocatedPledge> {
  const producer = options.producer ?? 'rheinmetall';
  const allocated = options.allocated ?? 2400;
  const pledge = options.pledge ?? aPledge().build();
  // Lot numbers repeat across test processes; an id of its own keeps each lot the producer's.
  const lot = aLot()
    .withLotId(`LOT-${newId()}`)
    .byManufacturer(producer, 'Test works')
    .withItem(pledge.itemCode)
    .withQuantity(allocated)
    .build();
  const allocation = anAllocation().fromLot(lot).forPledge(pledge).withQuantity(allocated).build();
  const source = { source: '/production-service' };
  // The allocation first: an event retried while the pledge is unknown must find it once the
  // pledge is known.
  await feed.publish(
    TOPICS.production,
    buildEvent('tracker.production.lot-completed.v1', lot, source),
    buildEvent('tracker.production.allocated.v1', allocation, source),
  );
  await waitFor(`allocation ${allocation.allocationId} in the allocations view`, async () => {
    const rows = await database.query('select 1 from allocations_view where allocation_id = $1', [
      allocation.allocationId,
    ]);
    return rows.length === 1;
  });
  await knownPledge(feed, database, pledge);
  return { pledge, lot };
}
