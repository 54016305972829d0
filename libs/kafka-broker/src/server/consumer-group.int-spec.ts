import type { Producer } from 'kafkajs';
import { uniqueName, waitFor } from '@tracker/testing';
import { useTestBroker } from '../testing/use-test-broker';

describe('a consumer group of two kafkajs members on the embedded broker', () => {
  const suite = useTestBroker({ defaultPartitions: 4 });
  let producer: Producer;

  beforeAll(async () => {
    producer = suite.kit.producer();
    await producer.connect();
  });

  it('splits 4 partitions between the members and delivers every message exactly once', async () => {
    const topic = uniqueName('shared');
    const groupId = uniqueName('group');
    // Nothing is produced before both members hold their share: a message fetched by the first
    // member before the second joined would sit on a partition it no longer holds.
    const admin = suite.kit.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 4 }] });

    const assigned = new Map<string, number[]>();
    const received: { member: string; partition: number; value: string }[] = [];
    for (const member of ['a', 'b']) {
      const consumer = suite.kit.consumer({
        groupId,
        sessionTimeout: 10_000,
        heartbeatInterval: 500,
        maxWaitTimeInMs: 200,
      });
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        assigned.set(member, payload.memberAssignment[topic] ?? []);
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) =>
          void received.push({ member, partition, value: message.value?.toString() ?? '' }),
      });
    }

    await waitFor('both members to hold two partitions each', () => {
      const a = assigned.get('a') ?? [];
      const b = assigned.get('b') ?? [];
      return a.length === 2 && b.length === 2 && new Set([...a, ...b]).size === 4;
    });

    const values = Array.from({ length: 40 }, (_, i) => `v${i}`);
    await producer.send({ topic, messages: [{ key: 'warm-up', value: 'w' }] });
    await producer.send({
      topic,
      messages: values.map((value, i) => ({ key: `key-${i}`, value })),
    });
    await waitFor('all 41 messages', () => received.length >= 41, { timeoutMs: 20_000 });

    expect(received.map((r) => r.value).sort()).toEqual([...values, 'w'].sort());
    for (const { member, partition } of received) {
      expect(assigned.get(member)).toContain(partition);
    }
    expect(new Set(received.map((r) => r.member))).toEqual(new Set(['a', 'b']));
  });
});
