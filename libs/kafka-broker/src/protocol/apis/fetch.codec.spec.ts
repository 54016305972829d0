import { kafkajsParse, kafkajsBody, versions } from '@tracker/kafka-broker/testing/kafkajs-wire';
import { decodeFetchRequest, encodeFetchResponse } from './fetch.codec';
import { Writer } from '../writer';
import { decodeProduceRequest } from './produce.codec';

interface DecodedFetch {
  responses: {
    topicName: string;
    partitions: {
      partition: number;
      errorCode: number;
      highWatermark: string;
      lastStableOffset: string;
      preferredReadReplica?: number;
      messages: { key: Buffer; value: Buffer; offset: string; headers: Record<string, Buffer> }[];
    }[];
  }[];
}

/** A real RecordBatch v2 as kafkajs produces it. */
async function kafkajsBatch(): Promise<Buffer> {
  const reader = await kafkajsBody('produce', 7, {
    acks: 1,
    timeout: 1000,
    topicData: [
      {
        topic: 't',
        partitions: [
          {
            partition: 0,
            messages: [
              { key: 'k1', value: 'v1', headers: { trace: 'abc' } },
              { key: 'k2', value: 'v2' },
            ],
          },
        ],
      },
    ],
  });
  return Buffer.from(decodeProduceRequest(reader).topics[0].partitions[0].records!);
}

describe('Fetch codec', () => {
  it.each(versions(4, 11))(
    'reads wait, byte limits and offsets from kafkajs v%i',
    async (version) => {
      const reader = await kafkajsBody('fetch', version, {
        replicaId: -1,
        maxWaitTime: 5000,
        minBytes: 1,
        maxBytes: 10485760,
        topics: [
          { topic: 'orders', partitions: [{ partition: 2, fetchOffset: '17', maxBytes: 1048576 }] },
        ],
      });
      expect(decodeFetchRequest(reader, version)).toEqual({
        replicaId: -1,
        maxWaitMs: 5000,
        minBytes: 1,
        maxBytes: 10485760,
        isolationLevel: 1,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          {
            name: 'orders',
            partitions: [
              {
                partition: 2,
                currentLeaderEpoch: -1,
                fetchOffset: 17,
                logStartOffset: -1,
                partitionMaxBytes: 1048576,
              },
            ],
          },
        ],
        forgottenTopics: [],
        rackId: '',
      });
      expect(reader.remaining).toBe(0);
    },
  );

  it.each(versions(4, 11))(
    'writes a v%i response whose batches kafkajs decodes into messages',
    async (version) => {
      const batch = await kafkajsBatch();
      batch.writeInt32BE(0, 0);
      batch.writeUInt32BE(40, 4); // stored base offset 40
      const parsed = await kafkajsParse<DecodedFetch>('fetch', version, (w) =>
        encodeFetchResponse(w, version, [
          {
            name: 'orders',
            partitions: [
              { partition: 0, errorCode: 0, highWatermark: 42, logStartOffset: 0, records: batch },
              {
                partition: 1,
                errorCode: 0,
                highWatermark: 0,
                logStartOffset: 0,
                records: Buffer.alloc(0),
              },
            ],
          },
        ]),
      );
      const [withData, empty] = parsed.responses[0].partitions;
      expect(withData).toMatchObject({ partition: 0, highWatermark: '42', lastStableOffset: '42' });
      expect(
        withData.messages.map((m) => [m.offset, m.key.toString(), m.value.toString()]),
      ).toEqual([
        ['40', 'k1', 'v1'],
        ['41', 'k2', 'v2'],
      ]);
      expect(withData.messages[0].headers.trace.toString()).toBe('abc');
      expect(empty.messages).toEqual([]);
      if (version >= 11) expect(withData.preferredReadReplica).toBe(-1);
    },
  );

  it('writes an empty record set with size 0, never -1 (librdkafka rejects a negative size)', () => {
    const writer = new Writer();
    encodeFetchResponse(writer, 11, [
      {
        name: 't',
        partitions: [
          {
            partition: 0,
            errorCode: 0,
            highWatermark: 0,
            logStartOffset: 0,
            records: Buffer.alloc(0),
          },
        ],
      },
    ]);
    const body = writer.toBuffer();
    expect([...body.subarray(body.length - 4)]).toEqual([0, 0, 0, 0]);
  });
});
