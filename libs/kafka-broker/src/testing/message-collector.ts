import type { EachMessagePayload, IHeaders } from 'kafkajs';
import { waitFor } from '@tracker/testing';

/** A consumed message with its coordinates, key and value decoded as UTF-8. */
export interface ConsumedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: IHeaders;
}

/** Records what an `eachMessage` consumer receives, in arrival order. */
export class MessageCollector {
  readonly messages: ConsumedMessage[] = [];

  /** Pass as `consumer.run({ eachMessage: collector.eachMessage })`. */
  readonly eachMessage = async ({
    topic,
    partition,
    message,
  }: EachMessagePayload): Promise<void> => {
    this.messages.push({
      topic,
      partition,
      offset: Number(message.offset),
      key: message.key?.toString() ?? null,
      value: message.value?.toString() ?? null,
      headers: message.headers ?? {},
    });
  };

  /** Waits until at least `count` messages arrived. */
  async waitForCount(count: number, timeoutMs = 20_000): Promise<void> {
    try {
      await waitFor(`${count} consumed messages`, () => this.messages.length >= count, {
        timeoutMs,
      });
    } catch (error) {
      throw new Error(`${(error as Error).message}; ${this.messages.length} arrived`, {
        cause: error,
      });
    }
  }

  /** Waits until a message with `value` arrived. */
  async waitForValue(value: string, timeoutMs = 20_000): Promise<ConsumedMessage> {
    return waitFor(
      `a message with value ${value}`,
      () => this.messages.find((message) => message.value === value),
      { timeoutMs },
    );
  }

  /** Offsets received per partition, in arrival order. */
  offsetsByPartition(): Map<number, number[]> {
    const offsets = new Map<number, number[]>();
    for (const message of this.messages) {
      const list = offsets.get(message.partition) ?? [];
      list.push(message.offset);
      offsets.set(message.partition, list);
    }
    return offsets;
  }
}
