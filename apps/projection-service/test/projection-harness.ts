import { randomBytes } from 'node:crypto';
import { serialize, TOPICS, TrackerEvent, topicOf } from '@tracker/contracts';
import { DeadLetterPublisher, EventProducer } from '@tracker/kafka';
import { createReadModelReader, ReadModelReader, ReadModelWriter } from '@tracker/read-model';
import { TestRedis, waitFor } from '@tracker/testing';
import type Redis from 'ioredis';
import { Kafka, logLevel, Producer } from 'kafkajs';
import pino from 'pino';
import type { Clock } from '../src/clock/clock';
import { inputTopics, ProjectionTopics, projectionTopics } from '../src/consumer/projection-topics';
import { Projection, ProjectionSettings } from '../src/projection';
import type { ExpectedModel } from './reference-model';

export const silent = pino({ level: 'silent' });

/**
 * One integration test's world: its own topics (a random prefix), Redis key space and
 * read-model namespace, a producer to publish scenarios, and projections started on them.
 */
export class ProjectionHarness {
  readonly kafka: Kafka;
  readonly redis: TestRedis;
  readonly client: Redis;
  readonly prefix = `t-${randomBytes(4).toString('hex')}.`;
  readonly topics: ProjectionTopics = projectionTopics(this.prefix);
  readonly namespace = 'rm';
  readonly groupPrefix = `t-${randomBytes(4).toString('hex')}`;
  readonly groupId = `${this.groupPrefix}.projection-service`;
  private producer?: Producer;
  private readonly running: Projection[] = [];
  private readonly producers: EventProducer[] = [];

  constructor(label: string) {
    this.kafka = new Kafka({
      clientId: label,
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      logLevel: logLevel.NOTHING,
    });
    this.redis = new TestRedis(label);
    this.client = this.redis.client();
  }

  async createTopics(partitions = 3): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: Object.values(this.topics as unknown as Record<string, string>).map((topic) => ({
          topic,
          numPartitions: partitions,
        })),
      });
    } finally {
      await admin.disconnect();
    }
  }

  /** The test topic an event belongs on. */
  topicOf(event: TrackerEvent): string {
    const canonical = topicOf(event.type);
    const role = (Object.keys(TOPICS) as (keyof typeof TOPICS)[]).find(
      (key) => TOPICS[key] === canonical,
    );
    return this.topics[role as keyof ProjectionTopics];
  }

  async publish(stream: readonly TrackerEvent[], chunk = 2000): Promise<void> {
    this.producer ??= this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    for (let at = 0; at < stream.length; at += chunk) {
      const byTopic = new Map<
        string,
        { key: string; value: Buffer; headers: Record<string, string> }[]
      >();
      for (const event of stream.slice(at, at + chunk)) {
        const topic = this.topicOf(event);
        byTopic.set(topic, [...(byTopic.get(topic) ?? []), serialize(event)]);
      }
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    }
  }

  /** Publishes events one by one, each record with the timestamp `recordedMs` (CreateTime). */
  async publishRecordedAt(stream: readonly TrackerEvent[], recordedMs: number): Promise<void> {
    this.producer ??= this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    for (const event of stream) {
      await this.producer.send({
        topic: this.topicOf(event),
        acks: -1,
        messages: [{ ...serialize(event), timestamp: String(recordedMs) }],
      });
    }
  }

  /** Raw messages, for poison: whatever bytes, headers and key. */
  async publishRaw(
    topic: string,
    messages: { key: string; value: string; headers?: Record<string, string> }[],
  ): Promise<void> {
    this.producer ??= this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    await this.producer.send({ topic, messages, acks: -1 });
  }

  settings(overrides: Partial<ProjectionSettings> = {}): ProjectionSettings {
    return {
      groupId: this.groupId,
      topics: this.topics,
      namespace: this.namespace,
      tickMs: 0,
      readyMaxLag: 100,
      outboxPollMs: 200,
      ...overrides,
    };
  }

  /** A projection over this world (not started), stopped by {@link cleanup}. */
  projection(
    options: { clock?: Clock; redis?: Redis; settings?: Partial<ProjectionSettings> } = {},
  ): Projection {
    const producer = new EventProducer(this.kafka);
    this.producers.push(producer);
    const projection = new Projection(
      {
        kafka: this.kafka,
        redis: options.redis ?? this.client,
        producer,
        deadLetters: new DeadLetterPublisher(producer),
        logger: silent,
        clock: options.clock,
      },
      this.settings(options.settings),
    );
    this.running.push(projection);
    return projection;
  }

  reader(): ReadModelReader {
    return createReadModelReader(this.client, { namespace: this.namespace });
  }

  writer(): ReadModelWriter {
    return new ReadModelWriter(this.client, { namespace: this.namespace });
  }

  /** High watermark of every input partition, `<topic>:<partition>` → offset. */
  async logEnds(): Promise<Map<string, string>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = new Map<string, string>();
      for (const topic of inputTopics(this.topics)) {
        for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
          if (high !== '0') ends.set(`${topic}:${partition}`, high);
        }
      }
      return ends;
    } finally {
      await admin.disconnect();
    }
  }

  /** Waits until the current epoch has applied every input partition up to its log end. */
  async caughtUp(timeoutMs = 120_000): Promise<void> {
    const ends = await this.logEnds();
    const writer = this.writer();
    await waitFor(
      'the projection to apply every partition to its end',
      async () => {
        const epoch = await writer.currentEpoch();
        if (epoch === null) return false;
        const stored = await writer.offsets(epoch);
        return [...ends].every(([field, end]) => stored.get(field) === end);
      },
      { timeoutMs, intervalMs: 100 },
    );
  }

  /** Every difference between the read model and the reference fold, as `path: expected ≠ got`. */
  async differences(expected: ExpectedModel, limit = 20): Promise<string[]> {
    const reader = this.reader();
    const differences: string[] = [];
    const check = (path: string, want: unknown, got: unknown) =>
      compareInto(differences, path, want, got);
    const ids = [...expected.pledges.keys()];
    for (let at = 0; at < ids.length; at += 500) {
      const channels = ids.slice(at, at + 500).map((id) => `pledge:${id}`);
      const { values } = await reader.snapshot(channels);
      for (const channel of channels)
        check(channel, expected.pledges.get(channel.slice(7)), values[channel]);
    }
    check('overview', expected.overview, await reader.value('overview'));
    for (const [donor, want] of expected.donors)
      check(`donor:${donor}`, want, await reader.value(`donor:${donor}`));
    for (const [code, want] of expected.items) {
      const { capacity, capacityByBasis, ...rest } = want;
      check(
        `item:${code}`,
        { ...rest, capacity: { unitsPerMonth: capacity, byBasis: capacityByBasis } },
        await reader.value(`item:${code}`),
      );
    }
    return differences.slice(0, limit);
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.running.map((projection) => projection.stop()));
    await Promise.all(this.producers.map((producer) => producer.onApplicationShutdown()));
    await this.producer?.disconnect();
    await this.redis.cleanup();
  }
}

/** Walks `want` and records where `got` differs (extra fields of `got` are fine). */
function compareInto(out: string[], path: string, want: unknown, got: unknown): void {
  if (want !== null && typeof want === 'object') {
    if (got === null || typeof got !== 'object') {
      out.push(`${path}: expected an object, got ${JSON.stringify(got)}`);
      return;
    }
    for (const [key, value] of Object.entries(want)) {
      compareInto(out, `${path}.${key}`, value, (got as Record<string, unknown>)[key]);
    }
    if (Array.isArray(want) && Array.isArray(got) && want.length !== got.length) {
      out.push(`${path}: expected ${want.length} entries, got ${got.length}`);
    }
    return;
  }
  if (want !== got)
    out.push(`${path}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
}
