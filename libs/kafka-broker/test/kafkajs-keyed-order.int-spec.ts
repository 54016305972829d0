import type { Message } from 'kafkajs';
import { uniqueName } from '@tracker/testing';
import { MessageCollector, type ConsumedMessage } from '../src/testing/message-collector';
import { useTestBroker } from '../src/testing/use-test-broker';

const MESSAGES = 10_000;
const KEYS = 100;
const PARTITIONS = 6;
const BATCH = 500;

describe('kafkajs keyed messages over a multi-partition topic', () => {
  const suite = useTestBroker();

  it('delivers 10,000 keyed messages exactly once and in order per key', async () => {
    const topic = uniqueName('keyed');
    const admin = suite.kit.admin();
    await admin.connect();
    await expect(
      admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] }),
    ).resolves.toBe(true);

    const collector = new MessageCollector();
    const consumer = suite.kit.consumer({ groupId: uniqueName('keyed-group') });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: collector.eachMessage });

    const producer = suite.kit.producer();
    await producer.connect();
    const sent: Message[] = Array.from({ length: MESSAGES }, (_, seq) => ({
      key: `key-${seq % KEYS}`,
      value: `${seq}`,
    }));
    for (let start = 0; start < MESSAGES; start += BATCH) {
      await producer.send({ topic, acks: -1, messages: sent.slice(start, start + BATCH) });
    }
    // One end marker per partition: a duplicate redelivery of earlier offsets would arrive
    // before it, so once every marker is in, the count below is final.
    await producer.send({
      topic,
      messages: Array.from({ length: PARTITIONS }, (_, partition) => ({
        partition,
        value: 'end',
      })),
    });
    await collector.waitForCount(MESSAGES + PARTITIONS, 60_000);

    const data = collector.messages.filter((message) => message.value !== 'end');
    expect(data).toHaveLength(MESSAGES);
    expect(new Set(data.map((message) => message.value)).size).toBe(MESSAGES);
    expectOrderPerKey(data);
    expectDenseOffsetsPerPartition(collector);
  });
});

function expectOrderPerKey(messages: ConsumedMessage[]): void {
  const lastSeqByKey = new Map<string, number>();
  const partitionsByKey = new Map<string, Set<number>>();
  const outOfOrder: string[] = [];
  for (const { key, value, partition } of messages) {
    const seq = Number(value);
    const last = lastSeqByKey.get(key!) ?? -1;
    if (seq <= last) outOfOrder.push(`${key}: ${seq} after ${last}`);
    lastSeqByKey.set(key!, seq);
    partitionsByKey.set(key!, (partitionsByKey.get(key!) ?? new Set()).add(partition));
  }
  expect(outOfOrder).toEqual([]);
  expect(lastSeqByKey.size).toBe(KEYS);
  const keysOnSeveralPartitions = [...partitionsByKey].filter(([, set]) => set.size > 1);
  expect(keysOnSeveralPartitions).toEqual([]);
}

/** Offsets are assigned by the broker: 0, 1, 2, … per partition, each delivered once, in order. */
function expectDenseOffsetsPerPartition(collector: MessageCollector): void {
  const byPartition = collector.offsetsByPartition();
  expect([...byPartition.keys()].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  for (const offsets of byPartition.values()) {
    expect(offsets).toEqual(offsets.map((_, index) => index));
  }
}
