import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Kafka, Partitioners, Producer } from 'kafkajs';
import { KAFKA } from './kafka.tokens';

/** One message to publish: what `@tracker/contracts`' `serialize` or a dead letter produces. */
export interface OutgoingMessage {
  readonly key: string | Buffer | null;
  readonly value: Buffer | string | null;
  readonly headers: Record<string, string | Buffer>;
}

/**
 * The process's one idempotent Kafka producer (acks from all in-sync replicas, one request in
 * flight per broker, so a retried send never duplicates or reorders within a partition).
 * Connects on first use and again after a failure, so a service starts while Kafka is down.
 */
@Injectable()
export class EventProducer implements OnApplicationShutdown {
  private producer?: Producer;
  private connecting?: Promise<Producer>;

  constructor(@Inject(KAFKA) private readonly kafka: Kafka) {}

  /** Publishes messages to their topics, resolving once every one is acknowledged. */
  async send(
    batch: readonly { topic: string; messages: readonly OutgoingMessage[] }[],
  ): Promise<void> {
    const producer = await this.connected();
    try {
      await producer.sendBatch({
        acks: -1,
        topicMessages: batch.map(({ topic, messages }) => ({
          topic,
          messages: messages.map((message) => ({ ...message })),
        })),
      });
    } catch (error) {
      await this.reset();
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reset();
  }

  private async connected(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.connecting ??= (async () => {
      // Java's murmur2 partitioner, so integrators' clients agree on which partition a key is in.
      // An idempotent producer keeps retrying a send (kafkajs warns about any limit): a send
      // that never succeeds is the caller's to abandon, by disconnecting on shutdown.
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: true,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 2000 },
      });
      try {
        await producer.connect();
        this.producer = producer;
        return producer;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  private async reset(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }
}
