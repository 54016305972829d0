import { TopicWatcher, uniqueName, waitFor } from '@tracker/testing';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { ConsumedMessage, ConsumerRunner } from './consumer-runner';
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

  describe('with handleBatch', () => {
    const valueOf = ({ message }: ConsumedMessage) => message.value?.toString() ?? '';

    /** A topic holding `values` before the runner starts, so that one fetch returns them all. */
    async function filledTopic(label: string, values: string[]): Promise<string> {
      const topic = uniqueName(label);
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      await producer.send([
        { topic, messages: values.map((value) => ({ key: 'k', value, headers: {} })) },
      ]);
      return topic;
    }

    function batchRunner(topic: string, deadLetterTopic: string, applied: string[][]) {
      const poison = (consumed: ConsumedMessage) => valueOf(consumed).startsWith('poison');
      return new ConsumerRunner(
        kafka,
        {
          groupId: uniqueName('runner-batch-group'),
          topics: [topic],
          fromBeginning: true,
          deadLetterTopic,
          handleBatch: async (batch) => {
            if (batch.some(poison)) throw new Error('a poison message in the batch');
            applied.push(batch.map(valueOf));
          },
          handle: async (consumed) => {
            if (poison(consumed)) throw Object.assign(new Error('poison'), { retriable: false });
            applied.push([valueOf(consumed)]);
          },
        },
        new DeadLetterPublisher(producer),
        silent,
      );
    }

    it('applies a fetched batch at once', async () => {
      const topic = await filledTopic('runner-batch', ['a', 'b', 'c']);
      const applied: string[][] = [];
      const consumer = batchRunner(topic, uniqueName('runner-batch-dlq'), applied);
      consumer.start();
      await waitFor('the batch applied', () => applied.flat().length === 3);
      expect(applied).toEqual([['a', 'b', 'c']]);
      await consumer.stop();
    });

    it('falls back to one by one when the batch fails: the poison is dead-lettered alone', async () => {
      const topic = await filledTopic('runner-batch-poison', ['a', 'poison', 'c']);
      const dlq = uniqueName('runner-batch-dlq');
      const deadLetters = await TopicWatcher.start([dlq]);
      const applied: string[][] = [];
      const consumer = batchRunner(topic, dlq, applied);
      consumer.start();
      await waitFor('the good messages applied', () => applied.flat().length === 2);
      const [dead] = await deadLetters.waitFor('the dead letter', () => true);
      expect(applied).toEqual([['a'], ['c']]);
      expect(dead.value?.toString()).toBe('poison');
      await consumer.stop();
      await deadLetters.stop();
    });
  });
});
