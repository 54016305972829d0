import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Producer, RetryOptions } from 'kafkajs';
import { freePort, uniqueName, waitFor } from '@tracker/testing';
import { BrokerProcess } from '../src/testing/broker-process';
import { KafkaTestKit } from '../src/testing/kafka-test-kit';
import { MessageCollector } from '../src/testing/message-collector';

/** Enough retrying to ride out a broker restart (a few seconds), no more. */
const RIDE_OUT_RESTART: RetryOptions = { initialRetryTime: 100, maxRetryTime: 1000, retries: 30 };
const BATCH = 20;

/** Sends numbered batches with acks=-1 until stopped, remembering which sends resolved. */
class AckedProducer {
  readonly acked = new Set<string>();
  readonly failures: string[] = [];
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    for (let next = 0; !this.stopped; next += BATCH) {
      const values = Array.from({ length: BATCH }, (_, i) => `${next + i}`);
      try {
        await this.producer.send({
          topic: this.topic,
          acks: -1,
          messages: values.map((value) => ({ key: `key-${Number(value) % 13}`, value })),
        });
        for (const value of values) this.acked.add(value);
      } catch (error) {
        this.failures.push((error as Error).message);
      }
    }
  }
}

describe('a broker process killed with SIGKILL mid-stream', () => {
  let dataDir: string;
  let port: number;
  let broker: BrokerProcess | undefined;
  let kit: KafkaTestKit;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kafka-broker-crash-'));
    port = await freePort();
    broker = await BrokerProcess.start({ port, dataDir });
    kit = new KafkaTestKit([`127.0.0.1:${port}`], { retry: RIDE_OUT_RESTART });
  });

  afterAll(async () => {
    try {
      await kit?.disconnectAll();
      await broker?.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('loses no acknowledged message: producer and consumer carry on after the restart', async () => {
    const topic = uniqueName('crash');
    const admin = kit.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    await kit.disconnect(admin);

    const collector = new MessageCollector();
    const consumer = kit.consumer({ groupId: uniqueName('crash-group'), retry: RIDE_OUT_RESTART });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: collector.eachMessage });
    const producer = kit.producer({ retry: RIDE_OUT_RESTART, allowAutoTopicCreation: false });
    await producer.connect();
    const producing = new AckedProducer(producer, topic);
    producing.start();

    await waitFor(
      'traffic before the crash',
      () => producing.acked.size >= 1000 && collector.messages.length >= 300,
    );
    await broker!.kill();
    const ackedBeforeCrash = producing.acked.size;
    broker = await BrokerProcess.start({ port, dataDir });

    await waitFor(
      'the producer to carry on',
      () => producing.acked.size >= ackedBeforeCrash + 1000,
      {
        timeoutMs: 30_000,
      },
    );
    await producing.stop();
    const notConsumed = (): string[] => {
      const consumed = new Set(collector.messages.map((message) => message.value));
      return [...producing.acked].filter((value) => !consumed.has(value));
    };
    await waitFor('every acknowledged message consumed', () => notConsumed().length === 0, {
      timeoutMs: 30_000,
    }).catch((error: Error) => {
      const lost = notConsumed();
      throw new Error(`${error.message}: ${lost.length} lost, e.g. ${lost.slice(0, 10).join(',')}`);
    });
    expect(producing.failures).toEqual([]);
    expect(broker.alive).toBe(true);
  });
});
