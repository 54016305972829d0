import { uniqueName, waitFor } from '@tracker/testing';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { ConsumerRunner } from './consumer-runner';
import { DeadLetterPublisher } from './dead-letter.publisher';
import { EventProducer } from './event-producer';

const silent = pino({ level: 'silent' });

describe(ConsumerRunner.name, () => {
  const kafka = new Kafka({
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    logLevel: logLevel.NOTHING,
  });
  const producer = new EventProducer(kafka);
  const admin = kafka.admin();

  beforeAll(() => admin.connect());

  afterAll(async () => {
    await admin.disconnect();
    await producer.onApplicationShutdown();
  });

  function runner(topic: string, groupId: string): ConsumerRunner {
    return new ConsumerRunner(
      kafka,
      { groupId, topics: [topic], fromBeginning: true, handle: async () => undefined },
      new DeadLetterPublisher(producer),
      silent,
    );
  }

  async function members(groupId: string): Promise<number> {
    const { groups } = await admin.describeGroups([groupId]);
    return groups[0]?.members.length ?? 0;
  }

  it('leaves no member behind when stopped while it is still joining its group', async () => {
    const topic = uniqueName('runner-stop');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const groupId = uniqueName('runner-stop-group');
    const early = runner(topic, groupId);
    early.start();
    await new Promise((resolve) => setImmediate(resolve));
    await early.stop();

    // Were a member left (kafkajs resumes a consumer stopped mid-join), a second one would share
    // the group with it; alone, it holds the partition.
    const later = runner(topic, groupId);
    later.start();
    await waitFor('the second runner to join', () => later.ready);
    expect(await members(groupId)).toBe(1);
    await later.stop();
    await waitFor('the group to be empty', async () => (await members(groupId)) === 0);
  });
});
