import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Admin, Producer } from 'kafkajs';
import { uniqueName } from '@tracker/testing';
import { kafkajsDecode, kafkajsFrame } from '../src/testing/kafkajs-wire';
import { MessageCollector } from '../src/testing/message-collector';
import { RawConnection } from '../src/testing/raw-connection';
import { useTestBroker } from '../src/testing/use-test-broker';

const OFFSET_OUT_OF_RANGE = 1;

interface FetchedPartitions {
  /** kafkajs decodes log_start_offset as `lastStartOffset`. */
  responses: { partitions: { errorCode: number; lastStartOffset: string }[] }[];
}

describe('DeleteRecords through the kafkajs admin client', () => {
  const suite = useTestBroker();
  let admin: Admin;
  let producer: Producer;

  /** New clients on the current broker: at the start and after each restart. */
  async function connectClients(): Promise<void> {
    [admin, producer] = [suite.kit.admin(), suite.kit.producer()];
    await Promise.all([admin.connect(), producer.connect()]);
  }

  beforeAll(connectClients);

  /** A topic of `count` records, one batch each, in segments of about two batches. */
  async function topicWithRecords(count: number): Promise<string> {
    const topic = uniqueName('delete-records');
    const configEntries = [{ name: 'segment.bytes', value: '200' }];
    await admin.createTopics({ topics: [{ topic, configEntries }] });
    for (let i = 0; i < count; i++) {
      await producer.send({ topic, messages: [{ value: `record ${i}`.padEnd(40, '.') }] });
    }
    // kafkajs looks the partition leader up in the admin's metadata, which the topic must be in.
    await admin.fetchTopicMetadata({ topics: [topic] });
    return topic;
  }

  const lowWatermark = async (topic: string): Promise<string> =>
    (await admin.fetchTopicOffsets(topic))[0].low;

  async function segmentFiles(topic: string): Promise<string[]> {
    const dir = join(suite.broker.dataDir, 'topics', `${topic}-0`);
    return (await readdir(dir)).filter((name) => name.endsWith('.log')).sort();
  }

  async function fetchAt(topic: string, fetchOffset: number): Promise<FetchedPartitions> {
    const connection = await RawConnection.open(suite.broker.port);
    try {
      const frame = await kafkajsFrame('fetch', 11, {
        replicaId: -1,
        maxWaitTime: 0,
        minBytes: 1,
        maxBytes: 1 << 20,
        topics: [
          {
            topic,
            partitions: [{ partition: 0, fetchOffset: String(fetchOffset), maxBytes: 1 << 20 }],
          },
        ],
      });
      connection.write(frame);
      return await kafkajsDecode<FetchedPartitions>(
        'fetch',
        11,
        (await connection.response()).body,
      );
    } finally {
      await connection.close();
    }
  }

  it('moves the low watermark, serves consumers from it and refuses fetches below it', async () => {
    const topic = await topicWithRecords(10);
    const before = await segmentFiles(topic);

    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '6' }] });

    await expect(lowWatermark(topic)).resolves.toBe('6');
    expect((await fetchAt(topic, 5)).responses[0].partitions[0].errorCode).toBe(
      OFFSET_OUT_OF_RANGE,
    );
    expect((await fetchAt(topic, 6)).responses[0].partitions[0]).toMatchObject({
      errorCode: 0,
      lastStartOffset: '6',
    });
    const after = await segmentFiles(topic);
    expect(after.length).toBeLessThan(before.length);
    expect(Number(after[0].slice(0, 20))).toBeLessThanOrEqual(6);
    expect(Number(after[0].slice(0, 20))).toBeGreaterThan(0);

    const collector = new MessageCollector();
    const consumer = suite.kit.consumer({ groupId: uniqueName('after-delete') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: collector.eachMessage });
    await collector.waitForCount(4);
    expect(collector.messages.map((message) => message.offset)).toEqual([6, 7, 8, 9]);
  });

  it('keeps the moved start across a restart', async () => {
    const topic = await topicWithRecords(4);
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '3' }] });

    await suite.restartBroker();
    await connectClients();

    await expect(lowWatermark(topic)).resolves.toBe('3');
  });

  it('deletes up to the high watermark for offset -1', async () => {
    const topic = await topicWithRecords(3);

    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '-1' }] });

    await expect(admin.fetchTopicOffsets(topic)).resolves.toEqual([
      expect.objectContaining({ low: '3', high: '3' }),
    ]);
  });

  it('refuses an offset past the high watermark with OFFSET_OUT_OF_RANGE', async () => {
    const topic = await topicWithRecords(2);
    const outOfRange: unknown = expect.objectContaining({ type: 'OFFSET_OUT_OF_RANGE' });

    await expect(
      admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '9' }] }),
    ).rejects.toMatchObject({
      // kafkajs wraps the per-partition errors of a non-retriable failure in its cause.
      cause: {
        partitions: [expect.objectContaining({ error: outOfRange })],
      },
    });
    await expect(lowWatermark(topic)).resolves.toBe('0');
  });
});
