import { kafkajsBody, kafkajsParse, versions } from '@tracker/kafka-broker/testing/kafkajs-wire';
import { ErrorCode } from '../error-codes';
import { decodeDeleteRecordsRequest, encodeDeleteRecordsResponse } from './delete-records.codec';

const request = { topics: [{ topic: 'orders', partitions: [{ partition: 1, offset: '42' }] }] };

describe('DeleteRecords codec', () => {
  it.each(versions(0, 1))('reads DeleteRecords v%i as kafkajs sends it', async (version) => {
    const reader = await kafkajsBody('deleteRecords', version, { ...request, timeout: 3000 });
    expect(decodeDeleteRecordsRequest(reader)).toEqual({
      topics: [{ name: 'orders', partitions: [{ partition: 1, offset: 42 }] }],
      timeoutMs: 3000,
    });
    expect(reader.remaining).toBe(0);
  });

  it.each(versions(0, 1))('writes a DeleteRecords v%i response kafkajs parses', async (version) => {
    const parsed = await kafkajsParse<{ topics: { partitions: object[] }[] }>(
      'deleteRecords',
      version,
      (w) =>
        encodeDeleteRecordsResponse(w, [
          {
            name: 'orders',
            partitions: [{ partition: 1, lowWatermark: 42, errorCode: ErrorCode.NONE }],
          },
        ]),
      request,
    );
    expect(parsed.topics[0].partitions).toEqual([
      { partition: 1, lowWatermark: 42n, errorCode: 0 },
    ]);
  });

  it('writes a refusal that kafkajs reports per partition', async () => {
    const parsing = kafkajsParse(
      'deleteRecords',
      1,
      (w) =>
        encodeDeleteRecordsResponse(w, [
          {
            name: 'orders',
            partitions: [
              { partition: 1, lowWatermark: -1, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE },
            ],
          },
        ]),
      request,
    );
    await expect(parsing).rejects.toMatchObject({
      name: 'KafkaJSDeleteTopicRecordsError',
      partitions: [expect.objectContaining({ partition: 1, offset: '42' })],
    });
  });
});
