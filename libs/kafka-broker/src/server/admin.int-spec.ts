import type { Admin, Producer } from 'kafkajs';
import { uniqueName, waitFor } from '@tracker/testing';
import { useTestBroker } from '../testing/use-test-broker';

describe('the kafkajs admin client against the embedded broker', () => {
  const suite = useTestBroker({ autoCreateTopics: false });
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    admin = suite.kit.admin();
    producer = suite.kit.producer();
    await Promise.all([admin.connect(), producer.connect()]);
  });

  it('creates topics, refuses duplicates and describes partitions led by the broker', async () => {
    const topic = uniqueName('created');
    await expect(admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })).resolves.toBe(true);
    await expect(admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })).resolves.toBe(
      false,
    );
    await expect(admin.listTopics()).resolves.toContain(topic);
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(topics[0].partitions.map((p) => [p.partitionId, p.leader, p.replicas, p.isr])).toEqual([
      [0, 0, [0], [0]],
      [1, 0, [0], [0]],
      [2, 0, [0], [0]],
    ]);
  });

  it('resolves a -1 partition count to the broker default and validates without creating', async () => {
    const topic = uniqueName('defaults');
    await admin.createTopics({ topics: [{ topic }], validateOnly: true, waitForLeaders: false });
    await expect(admin.listTopics()).resolves.not.toContain(topic);
    await admin.createTopics({ topics: [{ topic }] });
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(topics[0].partitions).toHaveLength(1);
  });

  it('refuses more partitions than a topic may have, up front', async () => {
    await expect(
      admin.createTopics({ topics: [{ topic: uniqueName('huge'), numPartitions: 2 ** 31 - 1 }] }),
    ).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'INVALID_PARTITIONS' })] });
  });

  it('refuses a replication factor above 1 and an illegal topic name', async () => {
    await expect(
      admin.createTopics({ topics: [{ topic: uniqueName('rf'), replicationFactor: 3 }] }),
    ).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'INVALID_REPLICATION_FACTOR' })],
    });
    await expect(admin.createTopics({ topics: [{ topic: 'bad name!' }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'INVALID_TOPIC_EXCEPTION' })],
    });
  });

  it('does not auto-create on admin metadata and reports the topic unknown', async () => {
    await expect(
      admin.fetchTopicMetadata({ topics: [uniqueName('missing')] }),
    ).rejects.toMatchObject({
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
    });
  });

  it("reports topic offsets and a group's committed offsets", async () => {
    const topic = uniqueName('offsets');
    const groupId = uniqueName('group');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await producer.send({
      topic,
      messages: [
        { value: 'a', partition: 0 },
        { value: 'b', partition: 0 },
      ],
    });
    await producer.send({ topic, messages: [{ value: 'c', partition: 1 }] });

    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.map((o) => [o.partition, o.low, o.high, o.offset])).toEqual([
      [0, '0', '2', '2'],
      [1, '0', '1', '1'],
    ]);

    const consumer = suite.kit.consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    await consumer.run({ eachMessage: async () => void (seen += 1) });
    await waitFor('three messages consumed', () => seen >= 3);
    await suite.kit.disconnect(consumer);

    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed[0].partitions.sort((a, b) => a.partition - b.partition)).toEqual([
      { partition: 0, offset: '2', metadata: null },
      { partition: 1, offset: '1', metadata: null },
    ]);
    const { groups } = await admin.listGroups();
    expect(groups.map((group) => group.groupId)).toContain(groupId);
  });

  it('adds partitions and deletes topics', async () => {
    const topic = uniqueName('doomed');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] });
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(topics[0].partitions).toHaveLength(3);
    await admin.deleteTopics({ topics: [topic] });
    await expect(admin.listTopics()).resolves.not.toContain(topic);
  });
});
