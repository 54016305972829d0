import { performance } from 'node:perf_hooks';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { uniqueName } from '@tracker/testing';
import type { Rate } from './rate';

export interface LoadShape {
  readonly topic: string;
  readonly valueBytes: number;
  /** Messages per `send()`. */
  readonly batchSize: number;
  /** Concurrent `send()` calls kept outstanding. */
  readonly inFlight: number;
  readonly durationMs: number;
}

/** Produces keyless messages with acks=1 for `durationMs`; counts acknowledged messages. */
export async function produceFor(kafka: Kafka, shape: LoadShape): Promise<Rate> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const value = Buffer.alloc(shape.valueBytes, 'x');
  const messages = Array.from({ length: shape.batchSize }, () => ({ value }));
  let acked = 0;
  const start = performance.now();
  const lane = async (): Promise<void> => {
    while (performance.now() - start < shape.durationMs) {
      await producer.send({ topic: shape.topic, acks: 1, messages });
      acked += messages.length;
    }
  };
  try {
    await Promise.all(Array.from({ length: shape.inFlight }, lane));
    const seconds = (performance.now() - start) / 1000;
    return { messages: acked, bytes: acked * shape.valueBytes, seconds };
  } finally {
    await producer.disconnect();
  }
}

/** A consumer that counts what it gets (eachBatch, nothing else) and reports when it has `n`. */
class CountingConsumer {
  messages = 0;
  bytes = 0;
  private target = Number.POSITIVE_INFINITY;
  private reached: () => void = () => undefined;

  constructor(readonly consumer: Consumer) {}

  readonly eachBatch = async ({ batch }: EachBatchPayload): Promise<void> => {
    this.messages += batch.messages.length;
    for (const message of batch.messages) this.bytes += message.value?.length ?? 0;
    if (this.messages >= this.target) this.reached();
  };

  until(target: number, timeoutMs: number): Promise<void> {
    this.target = target;
    return new Promise((done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`consumed ${this.messages} of ${target} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.reached = () => {
        clearTimeout(timer);
        done();
      };
      if (this.messages >= target) this.reached();
    });
  }
}

/** Subscribes a fresh group from the beginning and resolves once it has joined. */
async function joinedCounter(kafka: Kafka, topic: string): Promise<CountingConsumer> {
  const consumer = kafka.consumer({ groupId: uniqueName('bench'), maxWaitTimeInMs: 100 });
  const counter = new CountingConsumer(consumer);
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const joined = new Promise<void>((done) => consumer.on(consumer.events.GROUP_JOIN, () => done()));
  await consumer.run({ eachBatch: counter.eachBatch });
  await joined;
  return counter;
}

/** Reads `expected` already-stored messages from the beginning, timing from join to last. */
export async function consumeAll(kafka: Kafka, topic: string, expected: number): Promise<Rate> {
  const start = performance.now();
  const counter = await joinedCounter(kafka, topic);
  try {
    await counter.until(expected, 60_000);
    const seconds = (performance.now() - start) / 1000;
    return { messages: counter.messages, bytes: counter.bytes, seconds };
  } finally {
    await counter.consumer.disconnect();
  }
}

/**
 * Producer and consumer at once: from the first send until the consumer has every acknowledged
 * message. This is the rate a pipeline through the broker sustains.
 */
export async function endToEnd(kafka: Kafka, shape: LoadShape): Promise<Rate> {
  const counter = await joinedCounter(kafka, shape.topic);
  try {
    const start = performance.now();
    const produced = await produceFor(kafka, shape);
    await counter.until(produced.messages, 60_000);
    const seconds = (performance.now() - start) / 1000;
    return { messages: produced.messages, bytes: produced.bytes, seconds };
  } finally {
    await counter.consumer.disconnect();
  }
}
