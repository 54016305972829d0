import { ErrorCode } from '../error-codes';
import {
  kafkajsDecode,
  kafkajsParse,
  kafkajsBody,
  versions,
} from '@tracker/kafka-broker/testing/kafkajs-wire';
import { BatchField, LOG_OVERHEAD, MAGIC_V2 } from '@tracker/kafka-broker/storage/record-batch';
import { decodeProduceRequest, encodeProduceResponse } from './produce.codec';

describe('Produce codec', () => {
  it.each(versions(3, 7))(
    'reads topics, acks and a RecordBatch v2 from kafkajs v%i',
    async (version) => {
      const reader = await kafkajsBody('produce', version, {
        acks: -1,
        timeout: 30000,
        topicData: [
          {
            topic: 'orders',
            partitions: [
              { partition: 1, messages: [{ key: 'k', value: 'v', headers: { h: '1' } }] },
            ],
          },
        ],
      });
      const request = decodeProduceRequest(reader);
      expect(reader.remaining).toBe(0);
      expect(request).toMatchObject({ transactionalId: null, acks: -1, timeoutMs: 30000 });
      expect(request.topics).toHaveLength(1);
      expect(request.topics[0].name).toBe('orders');
      const records = request.topics[0].partitions[0].records!;
      expect(request.topics[0].partitions[0].partition).toBe(1);
      expect(records.readInt8(BatchField.magic)).toBe(MAGIC_V2);
      expect(records.readInt32BE(BatchField.batchLength) + LOG_OVERHEAD).toBe(records.length);
    },
  );

  it.each(versions(3, 7))('writes a v%i response kafkajs parses', async (version) => {
    const parsed = await kafkajsParse<{
      topics: { topicName: string; partitions: Record<string, unknown>[] }[];
    }>('produce', version, (w) =>
      encodeProduceResponse(w, version, [
        {
          name: 'orders',
          partitions: [
            { partition: 1, errorCode: 0, baseOffset: 41, logAppendTimeMs: -1, logStartOffset: 3 },
          ],
        },
      ]),
    );
    expect(parsed.topics[0].topicName).toBe('orders');
    expect(parsed.topics[0].partitions[0]).toMatchObject({
      partition: 1,
      errorCode: 0,
      baseOffset: '41',
      logAppendTime: '-1',
      ...(version >= 5 ? { logStartOffset: '3' } : {}),
    });
  });

  it('carries a per-partition error code to the client', async () => {
    const decoded = await kafkajsDecode<{ topics: { partitions: { errorCode: number }[] }[] }>(
      'produce',
      7,
      (w) =>
        encodeProduceResponse(w, 7, [
          {
            name: 'orders',
            partitions: [
              {
                partition: 0,
                errorCode: ErrorCode.MESSAGE_TOO_LARGE,
                baseOffset: -1,
                logAppendTimeMs: -1,
                logStartOffset: -1,
              },
            ],
          },
        ]),
    );
    expect(decoded.topics[0].partitions[0].errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
  });
});
