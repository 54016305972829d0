import { serialize, topicOf, TrackerEvent } from '@tracker/contracts';
import { TEST_TOKENS, TestDatabase, uniqueGroupPrefix, uniqueName } from '@tracker/testing';
import { Kafka, logLevel, Producer } from 'kafkajs';
import request from 'supertest';
import { WEBHOOK_TOPICS } from '../src/events/events.consumer';

/**
 * What a webhook-service under test shares with the test: a Postgres schema, topics and a
 * consumer group of its own, and a producer that publishes events on those topics as the
 * write services would.
 */
export class WebhookHarness {
  private constructor(
    readonly database: TestDatabase,
    readonly topicPrefix: string,
    readonly groupPrefix: string,
    private readonly producer: Producer,
  ) {}

  static async create(label: string): Promise<WebhookHarness> {
    const database = await TestDatabase.create(label);
    const topicPrefix = `${uniqueName(label)}.`;
    const kafka = new Kafka({
      brokers: process.env.KAFKA_BROKERS!.split(','),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: WEBHOOK_TOPICS.map((topic) => ({
        topic: `${topicPrefix}${topic}`,
        numPartitions: 3,
      })),
    });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    return new WebhookHarness(database, topicPrefix, uniqueGroupPrefix(label), producer);
  }

  /** The service's environment for this harness. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      DATABASE_SCHEMA: this.database.schema,
      KAFKA_TOPIC_PREFIX: this.topicPrefix,
      KAFKA_GROUP_PREFIX: this.groupPrefix,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      ...extra,
    };
  }

  /** Publishes events in order (one entity's events keep their order: same key, same partition). */
  async publish(...events: TrackerEvent[]): Promise<void> {
    for (const event of events) {
      const message = serialize(event);
      const topic = topicOf(event.type);
      await this.producer.send({ topic: `${this.topicPrefix}${topic}`, messages: [message] });
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
    await this.database.drop();
  }
}

/** Subscribes through the service's HTTP API; resolves to the id and the secret (shown once). */
export async function subscribe(
  url: string,
  token: string,
  body: { url: string; eventTypes: string[]; filters?: Record<string, string[]> },
): Promise<{ id: string; secret: string }> {
  const response = await request(url)
    .post('/v1/subscriptions')
    .set('Authorization', `Bearer ${token}`)
    .send(body)
    .expect(201);
  return response.body as { id: string; secret: string };
}

export const ADMIN = TEST_TOKENS.admin;
