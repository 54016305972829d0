import { Injectable } from '@nestjs/common';
import { deadLetterHeaders, TOPICS } from '@tracker/contracts';
import { KafkaMessage } from 'kafkajs';
import { EventProducer } from './event-producer';

/** Where a rejected message was consumed. */
export interface MessageOrigin {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
}

/**
 * Sends a rejected message to tracker.deadletter.v1: original key, value (bytes untouched) and
 * headers, plus the `x-deadletter-*` headers naming where it came from and why it was refused.
 * Resolves once the dead letter is acknowledged, so the caller may then commit past the message.
 * `deadLetterTopic` defaults to tracker.deadletter.v1 (tests and tenants use their own names).
 */
@Injectable()
export class DeadLetterPublisher {
  constructor(private readonly producer: EventProducer) {}

  async reject(
    { topic, partition, message }: MessageOrigin,
    reason: string,
    deadLetterTopic: string = TOPICS.deadLetter,
  ): Promise<void> {
    const original: Record<string, string | Buffer> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) {
      if (value === undefined) continue;
      original[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const headers = {
      ...original,
      ...deadLetterHeaders({
        sourceTopic: topic,
        sourcePartition: partition,
        sourceOffset: message.offset,
        reason,
        at: new Date().toISOString(),
      }),
    };
    await this.producer.send([
      { topic: deadLetterTopic, messages: [{ key: message.key, value: message.value, headers }] },
    ]);
  }
}
