import { decodeProduceRequest } from '../protocol/apis/produce.codec';
import type { PartitionLog } from '../storage';
import { BatchField, CompressionCodec } from '../storage/record-batch';
import { kafkajsBody } from '../testing/kafkajs-wire';
import { resealRecordBatch } from '../testing/record-batch.builder';
import { exactOffsetForTimestamp } from './record-timestamp-lookup';

const GZIP = CompressionCodec.Gzip;

/** One stored batch of four records, timestamps 1000, 2000, 3000, 4000, at base offset 10. */
async function storedBatch(compression: number): Promise<Buffer> {
  const reader = await kafkajsBody('produce', 7, {
    acks: 1,
    timeout: 1000,
    compression,
    topicData: [
      {
        topic: 't',
        partitions: [
          {
            partition: 0,
            messages: [1000, 2000, 3000, 4000].map((timestamp) => ({
              value: `at ${timestamp}`,
              timestamp: String(timestamp),
            })),
          },
        ],
      },
    ],
  });
  const batch = Buffer.from(decodeProduceRequest(reader).topics[0].partitions[0].records!);
  batch.writeUInt32BE(10, 4);
  return batch;
}

function logHolding(batch: Buffer): PartitionLog {
  return { read: async () => batch } as unknown as PartitionLog;
}

describe(exactOffsetForTimestamp.name, () => {
  const batchMatch = { offset: 10, timestamp: 4000 };

  it.each([
    [0, 1000, 10],
    [0, 1500, 11],
    [0, 3000, 12],
    [0, 3999, 13],
    [GZIP, 2500, 12],
  ])(
    'finds the first record at or after the timestamp (codec %i, ts %i → offset %i)',
    async (codec, ts, offset) => {
      const log = logHolding(await storedBatch(codec));
      await expect(exactOffsetForTimestamp(log, batchMatch, ts)).resolves.toEqual({
        offset,
        timestamp: Math.ceil(ts / 1000) * 1000,
      });
    },
  );

  it('keeps the batch answer for a codec the broker cannot decompress', async () => {
    const batch = await storedBatch(0);
    // Mark it snappy-compressed and re-sign it (the CRC covers the attributes) so it still parses.
    const attributes = batch.readInt16BE(BatchField.attributes);
    batch.writeInt16BE(attributes | CompressionCodec.Snappy, BatchField.attributes);
    resealRecordBatch(batch);
    await expect(exactOffsetForTimestamp(logHolding(batch), batchMatch, 2500)).resolves.toEqual(
      batchMatch,
    );
  });

  it('keeps the batch answer when a record claims a negative length', async () => {
    const batch = await storedBatch(0);
    // The first record's length varint (zig-zag 0x01 = -1) sits right after the batch header.
    batch.writeUInt8(0x01, BatchField.records);
    resealRecordBatch(batch);
    await expect(exactOffsetForTimestamp(logHolding(batch), batchMatch, 2500)).resolves.toEqual(
      batchMatch,
    );
  });
});
