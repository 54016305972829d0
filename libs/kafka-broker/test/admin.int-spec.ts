import type { Admin } from 'kafkajs';
import { uniqueName, waitFor } from '@tracker/testing';
import { MessageCollector } from '../src/testing/message-collector';
import { useTestBroker } from '../src/testing/use-test-broker';

describe('the kafkajs admin client', () => {
  const suite = useTestBroker({ autoCreateTopics: false });
  let admin: Admin;

  beforeAll(async () => {
    admin = suite.kit.admin();
    await admin.connect();
  });

  async function createTopic(partitions: number): Promise<string> {
    const topic = uniqueName('admin');
    await expect(
      admin.createTopics({ topics: [{ topic, numPartitions: partitions }] }),
    ).resolves.toBe(true);
    return topic;
  }

  it('creates a topic once and describes its partitions led by the broker', async () => {
    const topic = await createTopic(4);
    await expect(admin.createTopics({ topics: [{ topic, numPartitions: 4 }] })).resolves.toBe(
      false,
    );
    await expect(admin.listTopics()).resolves.toContain(topic);

    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const { brokers } = await admin.describeCluster();
    const nodeId = brokers[0].nodeId;
    expect(topics).toEqual([
      {
        name: topic,
        partitions: [0, 1, 2, 3].map((partitionId): unknown =>
          expect.objectContaining({
            partitionId,
            partitionErrorCode: 0,
            leader: nodeId,
            replicas: [nodeId],
            isr: [nodeId],
          }),
        ),
      },
    ]);
  });

  it('refuses metadata for a topic that does not exist when auto-creation is off', async () => {
    await expect(
      admin.fetchTopicMetadata({ topics: [uniqueName('missing')] }),
    ).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });

  it('reports the low and high offsets of every partition', async () => {
    const topic = await createTopic(2);
    const producer = suite.kit.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        ...Array.from({ length: 5 }, () => ({ partition: 0, value: 'p0' })),
        ...Array.from({ length: 3 }, () => ({ partition: 1, value: 'p1' })),
      ],
    });

    const offsets = await admin.fetchTopicOffsets(topic);
    expect(sortByPartition(offsets)).toEqual([
      { partition: 0, offset: '5', high: '5', low: '0' },
      { partition: 1, offset: '3', high: '3', low: '0' },
    ]);
  });

  it('finds the first offset at or after a timestamp', async () => {
    const topic = await createTopic(1);
    const base = Date.now() - 60_000;
    const producer = suite.kit.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [0, 10_000, 20_000, 30_000].map((delta) => ({
        value: `${delta}`,
        timestamp: `${base + delta}`,
      })),
    });

    const at = (timestamp: number): Promise<{ partition: number; offset: string }[]> =>
      admin.fetchTopicOffsetsByTimestamp(topic, timestamp);
    await expect(at(base)).resolves.toEqual([{ partition: 0, offset: '0' }]);
    await expect(at(base + 15_000)).resolves.toEqual([{ partition: 0, offset: '2' }]);
    await expect(at(base + 30_000)).resolves.toEqual([{ partition: 0, offset: '3' }]);
    // Past the last record the broker answers -1 and kafkajs substitutes the high watermark.
    await expect(at(base + 40_000)).resolves.toEqual([{ partition: 0, offset: '4' }]);
  });

  it('lists and describes a consumer group and fetches its committed offsets', async () => {
    const topic = await createTopic(2);
    const groupId = uniqueName('admin-group');
    const producer = suite.kit.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: Array.from({ length: 10 }, (_, i) => ({ partition: i % 2, value: `${i}` })),
    });
    const collector = new MessageCollector();
    const consumer = suite.kit.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: collector.eachMessage });
    await collector.waitForCount(10);

    const { groups } = await admin.listGroups();
    expect(groups).toContainEqual({ groupId, protocolType: 'consumer' });
    const stable = await waitFor('the group to be stable', async () => {
      const described = await admin.describeGroups([groupId]);
      const group = described.groups[0];
      return group.state === 'Stable' && group;
    });
    expect(stable).toMatchObject({ groupId, protocolType: 'consumer', errorCode: 0 });
    expect(stable.members).toHaveLength(1);

    await suite.kit.disconnect(consumer);
    const afterLeave = await admin.describeGroups([groupId]);
    expect(afterLeave.groups[0]).toMatchObject({ groupId, state: 'Empty', members: [] });
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(sortByPartition(committed.partitions)).toEqual([
      expect.objectContaining({ partition: 0, offset: '5' }),
      expect.objectContaining({ partition: 1, offset: '5' }),
    ]);
  });

  it('sets the offsets of an idle group from outside the group', async () => {
    const topic = await createTopic(1);
    const groupId = uniqueName('admin-set');
    // kafkajs commits through a consumer that pauses every partition and stops after its first
    // fetch cycle, which with nothing to fetch sleeps maxWaitTime (5 s): slow by kafkajs design.
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '7' }] });
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed.partitions).toEqual([expect.objectContaining({ partition: 0, offset: '7' })]);
  });

  it('deletes topics', async () => {
    const kept = await createTopic(1);
    const deleted = await createTopic(3);
    await admin.deleteTopics({ topics: [deleted] });

    const topics = await admin.listTopics();
    expect(topics).toContain(kept);
    expect(topics).not.toContain(deleted);
    await expect(admin.fetchTopicMetadata({ topics: [deleted] })).rejects.toMatchObject({
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
    });
  });
});

function sortByPartition<T extends { partition: number }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.partition - b.partition);
}
