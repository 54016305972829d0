import { performance } from 'node:perf_hooks';
import type { Kafka } from 'kafkajs';
import { uniqueName } from '@tracker/testing';

export interface LatencyShape {
  readonly topic: string;
  readonly valueBytes: number;
  readonly messagesPerSecond: number;
  readonly durationMs: number;
  /** Sent first at the same rate and not counted: JIT, metadata and connection warm-up. */
  readonly warmupMs: number;
}

/** Sends go out every TICK_MS, each carrying the messages due by then. */
const TICK_MS = 10;

/**
 * Produce-to-consume latency at a steady, moderate rate: every message carries its send time
 * (this process's monotonic clock) and the consumer records now − send time on arrival.
 */
export async function latencySamples(kafka: Kafka, shape: LatencyShape): Promise<number[]> {
  const samples: number[] = [];
  let measureFrom = Number.POSITIVE_INFINITY;
  const padding = 'x'.repeat(Math.max(0, shape.valueBytes - 20));
  const consumer = kafka.consumer({ groupId: uniqueName('bench-latency'), maxWaitTimeInMs: 500 });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await Promise.all([consumer.connect(), producer.connect()]);
  try {
    await consumer.subscribe({ topics: [shape.topic], fromBeginning: false });
    const joined = new Promise<void>((done) =>
      consumer.on(consumer.events.GROUP_JOIN, () => done()),
    );
    await consumer.run({
      eachMessage: async ({ message }) => {
        const sentAt = Number(message.value!.toString().split(' ')[0]);
        if (sentAt >= measureFrom) samples.push(performance.now() - sentAt);
      },
    });
    await joined;
    const perTick = Math.max(1, Math.round((shape.messagesPerSecond * TICK_MS) / 1000));
    const send = async (count: number): Promise<void> => {
      const now = performance.now().toFixed(3);
      const messages = Array.from({ length: count }, () => ({ value: `${now} ${padding}` }));
      await producer.send({ topic: shape.topic, acks: 1, messages });
    };
    const count = (ms: number): number => Math.round((shape.messagesPerSecond * ms) / 1000);
    await paced(count(shape.warmupMs), perTick, send);
    measureFrom = performance.now();
    const total = count(shape.durationMs);
    await paced(total, perTick, send);
    await untilCount(samples, total, 10_000);
    return samples;
  } finally {
    await Promise.all([consumer.disconnect(), producer.disconnect()]);
  }
}

/** Calls `send` every TICK_MS with `perTick` messages (not waiting for the previous send). */
async function paced(
  total: number,
  perTick: number,
  send: (count: number) => Promise<void>,
): Promise<void> {
  const sends: Promise<void>[] = [];
  let sent = 0;
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const count = Math.min(perTick, total - sent);
      sent += count;
      sends.push(send(count));
      if (sent >= total) {
        clearInterval(timer);
        done();
      }
    }, TICK_MS);
  });
  await Promise.all(sends);
}

function untilCount(samples: number[], count: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  return new Promise((done, fail) => {
    const check = (): void => {
      if (samples.length >= count) done();
      else if (performance.now() > deadline) fail(new Error(`${samples.length}/${count} arrived`));
      else setTimeout(check, 5);
    };
    check();
  });
}
