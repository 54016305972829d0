import type { Consumer } from 'kafkajs';
import { uniqueName } from '@tracker/testing';
import { KafkaTestKit } from '../src/testing/kafka-test-kit';
import { MessageCollector } from '../src/testing/message-collector';
import { useTestBroker } from '../src/testing/use-test-broker';

const PARTITIONS = 3;
const MESSAGES = 600;

describe('a consumer that stops and restarts', () => {
  const suite = useTestBroker({}, 'test');

  it('resumes from its committed offsets: no message twice, none skipped', async () => {
    const { topic, groupId } = await produceTopic(suite.kit);
    const first = await consumeUntilStopped(suite.kit, topic, groupId);
    const committed = await committedOffsets(suite.kit, topic, groupId);
    expect(committed).toEqual(nextOffsetsAfter(first));

    const second = await consumeRest(suite.kit, topic, groupId, first);
    expectResumedExactly(first, second, committed);
  });

  it('resumes from its committed offsets after the broker restarts', async () => {
    const { topic, groupId } = await produceTopic(suite.kit);
    const first = await consumeUntilStopped(suite.kit, topic, groupId);
    await suite.restartBroker();

    const committed = await committedOffsets(suite.kit, topic, groupId);
    expect(committed).toEqual(nextOffsetsAfter(first));
    const second = await consumeRest(suite.kit, topic, groupId, first);
    expectResumedExactly(first, second, committed);
  });
});

async function produceTopic(kit: KafkaTestKit): Promise<{ topic: string; groupId: string }> {
  const topic = uniqueName('resume');
  const admin = kit.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] });
  const producer = kit.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: Array.from({ length: MESSAGES }, (_, i) => ({ key: `key-${i}`, value: `${i}` })),
  });
  return { topic, groupId: uniqueName('resume-group') };
}

/**
 * Consumes (kafkajs auto-commit) until half the topic is processed, pauses there so the stop
 * lands mid-stream rather than after the last message, then disconnects.
 */
async function consumeUntilStopped(
  kit: KafkaTestKit,
  topic: string,
  groupId: string,
): Promise<MessageCollector> {
  const collector = new MessageCollector();
  const consumer = kit.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async (payload) => {
      await collector.eachMessage(payload);
      if (collector.messages.length >= MESSAGES / 2) consumer.pause([{ topic }]);
    },
  });
  await collector.waitForCount(MESSAGES / 2);
  await kit.disconnect(consumer);
  expect(collector.messages.length).toBeLessThan(MESSAGES);
  return collector;
}

async function consumeRest(
  kit: KafkaTestKit,
  topic: string,
  groupId: string,
  first: MessageCollector,
): Promise<MessageCollector> {
  const collector = new MessageCollector();
  await subscribe(kit, topic, groupId, collector);
  await collector.waitForCount(MESSAGES - first.messages.length);
  // An end marker per partition: anything re-delivered would arrive before it.
  const producer = kit.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, value: 'end' })),
  });
  await collector.waitForCount(MESSAGES - first.messages.length + PARTITIONS);
  return collector;
}

async function subscribe(
  kit: KafkaTestKit,
  topic: string,
  groupId: string,
  collector: MessageCollector,
): Promise<Consumer> {
  const consumer = kit.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachMessage: collector.eachMessage });
  return consumer;
}

async function committedOffsets(
  kit: KafkaTestKit,
  topic: string,
  groupId: string,
): Promise<Record<number, number>> {
  const admin = kit.admin();
  await admin.connect();
  const [{ partitions }] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return Object.fromEntries(partitions.map((p) => [p.partition, Number(p.offset)]));
}

/** Per partition, the offset after the last one processed (-1 where nothing was). */
function nextOffsetsAfter(collector: MessageCollector): Record<number, number> {
  const next: Record<number, number> = {};
  for (let partition = 0; partition < PARTITIONS; partition += 1) {
    const offsets = collector.offsetsByPartition().get(partition) ?? [];
    next[partition] = offsets.length > 0 ? Math.max(...offsets) + 1 : -1;
  }
  return next;
}

function expectResumedExactly(
  first: MessageCollector,
  second: MessageCollector,
  committed: Record<number, number>,
): void {
  const data = second.messages.filter((message) => message.value !== 'end');
  for (const [partition, offsets] of second.offsetsByPartition()) {
    const start = Math.max(committed[partition], 0);
    expect(offsets[0]).toBe(start);
  }
  const values = [...first.messages, ...data].map((message) => Number(message.value));
  expect(values.sort((a, b) => a - b)).toEqual(Array.from({ length: MESSAGES }, (_, i) => i));
}
