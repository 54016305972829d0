import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { maySee, Viewer } from '@tracker/access';
import { APP_CONFIG, AppConfig } from '@tracker/config';
import { parse, TOPICS, TrackerEvent } from '@tracker/contracts';
import { physicalTopic } from '@tracker/kafka';
import type { Kafka } from 'kafkajs';
import { EventAudience } from './event-audience';
import { writeWithBackpressure } from './row-writer';

/** Injection token of the kafkajs client the events export reads the log with. */
export const EXPORT_KAFKA = Symbol('EXPORT_KAFKA');

/**
 * The contract topics, in the order they are read: each one's events name parties the later
 * ones need (a pledge's donor and recipient, a lot's producer, a shipment's pledge).
 */
const EXPORT_TOPICS = [
  TOPICS.pledges,
  TOPICS.production,
  TOPICS.shipments,
  TOPICS.stockpiles,
  TOPICS.alerts,
] as const;

/**
 * `GET /v1/export/events.ndjson`: every event on the contract topics the caller may see, one
 * CloudEvent per line, read from the log itself. Each topic is read from its earliest offset up
 * to the high watermark it had when the export reached it, by a consumer of a throwaway group
 * that commits nothing (and is deleted afterwards); a line is written only when the response
 * takes more, and kafkajs fetches no further while a batch is being written (backpressure all
 * the way to the broker). Topics come one after the other, partitions in log order; `asOf`
 * keeps the events whose time is at or before it.
 */
@Injectable()
export class EventsExportService {
  constructor(
    @Inject(EXPORT_KAFKA) private readonly kafka: Kafka,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async write(viewer: Viewer, asOf: string | undefined, out: Writable): Promise<void> {
    const asOfMs = asOf === undefined ? undefined : Date.parse(asOf);
    const audience = new EventAudience();
    for (const name of EXPORT_TOPICS) {
      await this.readTopic(name, async (event) => {
        audience.learn(event);
        if (asOfMs !== undefined && Date.parse(event.time) > asOfMs) return;
        if (!maySee(viewer, audience.factOf(event))) return;
        await writeWithBackpressure(out, `${JSON.stringify(event)}\n`);
      });
    }
    await new Promise<void>((resolve) => out.end(resolve));
  }

  /** Reads one topic to its current end, handing each valid event to `each` in order. */
  private async readTopic(
    name: string,
    each: (event: TrackerEvent) => Promise<void>,
  ): Promise<void> {
    const topic = physicalTopic(this.config.kafka, name);
    const ends = await this.ends(topic);
    if (ends.size === 0) return;
    const groupId = `${this.config.kafka.groupPrefix}.gateway.export-${randomUUID()}`;
    // A short fetch wait: the export stops at the end it saw, and disconnecting waits for the
    // fetch in flight, which at kafkajs's default would idle up to 5 s at the end of each topic.
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 100,
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const fail = (error: unknown) =>
          reject(error instanceof Error ? error : new Error(String(error)));
        consumer.on(consumer.events.CRASH, ({ payload }) => fail(payload.error));
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              const end = ends.get(batch.partition);
              if (end === undefined) return;
              try {
                for (const message of batch.messages) {
                  if (BigInt(message.offset) >= end) break;
                  const parsed = parse(name, message.value);
                  if (parsed.ok) await each(parsed.event);
                  if (BigInt(message.offset) + 1n >= end) ends.delete(batch.partition);
                }
              } catch (error) {
                fail(error);
                return;
              }
              if (ends.size === 0) resolve();
            },
          })
          .catch(fail);
      });
    } finally {
      await consumer.disconnect();
      await this.forget(groupId);
    }
  }

  /** Per partition holding events, the offset after its last one now (the high watermark). */
  private async ends(topic: string): Promise<Map<number, bigint>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return new Map(
        offsets
          .filter(({ low, high }) => BigInt(high) > BigInt(low))
          .map(({ partition, high }) => [partition, BigInt(high)]),
      );
    } catch {
      return new Map(); // a topic not created yet holds no events
    } finally {
      await admin.disconnect();
    }
  }

  /** Deletes the throwaway group (best effort: it committed nothing and holds no members). */
  private async forget(groupId: string): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([groupId]);
    } catch {
      // The broker may keep an empty group until it expires; nothing depends on it.
    } finally {
      await admin.disconnect();
    }
  }
}
