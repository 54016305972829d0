// Test support of shipment-service's integration specs: a service on a schema and group of its
// own, a Kafka producer that plays pledge-service and producer systems, and pledges made known.
import { buildEvent, PledgeAnnouncedV1, serialize, TOPICS, TrackerEvent } from '@tracker/contracts';
import { RetryPolicy } from '@tracker/kafka';
import {
  aPledge,
  startTestService,
  TestDatabase,
  TestService,
  uniqueGroupPrefix,
  waitFor,
} from '@tracker/testing';
import { Kafka, logLevel, Producer, RecordMetadata } from 'kafkajs';
import { AppModule, prepareShipmentService } from './app.module';

/** Retries of the inbound consumer, short enough that a test can watch one give up. */
export const TEST_INBOUND_RETRY: RetryPolicy = { initialMs: 50, maxMs: 200, giveUpAfterMs: 4000 };

/** A shipment-service on `database`'s schema and consumer groups under `groupPrefix`. */
export function startShipmentService(
  database: TestDatabase,
  groupPrefix: string,
): Promise<TestService> {
  return startTestService(
    'shipment-service',
    (config) => AppModule.forRoot(config, { inboundRetry: TEST_INBOUND_RETRY }),
    { DATABASE_SCHEMA: database.schema, KAFKA_GROUP_PREFIX: groupPrefix },
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
  private constructor(private readonly producer: Producer) {}

  static async start(brokers = process.env.KAFKA_BROKERS): Promise<KafkaFeed> {
    if (!brokers)
      throw new Error('KAFKA_BROKERS is not set (the integration global setup sets it)');
    const kafka = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [TOPICS.pledges, TOPICS.inboundShipments].map((topic) => ({
        topic,
        numPartitions: 3,
      })),
    });
    await admin.disconnect();
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    return new KafkaFeed(producer);
  }

  /** Publishes events, serialized as the contract says, on `topic`. */
  async publish(topic: string, ...events: TrackerEvent[]): Promise<RecordMetadata[]> {
    return this.send(topic, ...events.map((event) => serialize(event)));
  }

  /** Sends messages as they are; answers where they landed. */
  async send(topic: string, ...messages: RawMessage[]): Promise<RecordMetadata[]> {
    return this.producer.send({ topic, messages: messages.map((message) => ({ ...message })) });
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
