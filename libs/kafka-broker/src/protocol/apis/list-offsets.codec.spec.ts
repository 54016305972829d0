import { kafkajsParse, kafkajsBody, versions } from '@tracker/kafka-broker/testing/kafkajs-wire';
import { decodeListOffsetsRequest, encodeListOffsetsResponse } from './list-offsets.codec';

describe('ListOffsets codec', () => {
  it.each(versions(0, 3))('reads partitions and timestamps from kafkajs v%i', async (version) => {
    const reader = await kafkajsBody('listOffsets', version, {
      replicaId: -1,
      isolationLevel: 1,
      topics: [{ topic: 'orders', partitions: [{ partition: 0, timestamp: -2 }] }],
    });
    expect(decodeListOffsetsRequest(reader, version)).toEqual({
      replicaId: -1,
      isolationLevel: version >= 2 ? 1 : 0,
      topics: [{ name: 'orders', partitions: [{ partition: 0, timestamp: -2, maxNumOffsets: 1 }] }],
    });
    expect(reader.remaining).toBe(0);
  });

  it('answers v0 with old-style offsets[] holding the one offset found', async () => {
    const parsed = await kafkajsParse<{ responses: { partitions: { offsets: string[] }[] }[] }>(
      'listOffsets',
      0,
      (w) =>
        encodeListOffsetsResponse(w, 0, [
          {
            name: 'orders',
            partitions: [{ partition: 0, errorCode: 0, timestamp: -1, offset: 12 }],
          },
        ]),
    );
    expect(parsed.responses[0].partitions[0].offsets).toEqual(['12']);
  });

  it.each(versions(1, 3))(
    'answers v%i with one timestamp and offset kafkajs parses',
    async (version) => {
      const parsed = await kafkajsParse<{
        responses: { topic: string; partitions: Record<string, unknown>[] }[];
      }>('listOffsets', version, (w) =>
        encodeListOffsetsResponse(w, version, [
          {
            name: 'orders',
            partitions: [{ partition: 3, errorCode: 0, timestamp: 1700, offset: 12 }],
          },
        ]),
      );
      expect(parsed.responses[0].topic).toBe('orders');
      expect(parsed.responses[0].partitions[0]).toMatchObject({
        partition: 3,
        errorCode: 0,
        timestamp: '1700',
        offset: '12',
      });
    },
  );
});
