import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Reader } from '../protocol/reader';
import {
  BATCH_HEADER_SIZE,
  CompressionCodec,
  parseRecordBatches,
  TimestampType,
  type PartitionLog,
  type RecordBatchInfo,
} from '../storage';

const gunzipAsync = promisify(gunzip);

export interface TimestampedOffset {
  readonly offset: number;
  readonly timestamp: number;
}

/**
 * Narrows a timestamp lookup from the batch storage found (the first batch whose max timestamp
 * reaches `timestamp`) to the exact record, as Apache Kafka answers ListOffsets: the first record
 * of that batch with a timestamp at or after `timestamp`. Uncompressed and gzip batches are
 * walked (gzip inflated off the event loop); other codecs, which the broker cannot decompress,
 * and LogAppendTime batches keep the batch answer.
 */
export async function exactOffsetForTimestamp(
  log: PartitionLog,
  batchMatch: TimestampedOffset,
  timestamp: number,
): Promise<TimestampedOffset> {
  const blob = await log.read(batchMatch.offset, 1, true);
  const [batch] = parseRecordBatches(blob);
  if (batch === undefined || batch.timestampType === TimestampType.LogAppendTime) return batchMatch;
  const records = await recordBytes(blob, batch);
  if (records === undefined) return batchMatch;
  const reader = new Reader(records);
  for (let i = 0; i < batch.recordCount && reader.remaining > 0; i++) {
    const length = reader.varint();
    const start = reader.offset;
    reader.int8(); // record attributes, unused
    const recordTimestamp = batch.baseTimestamp + reader.varlong();
    const offset = batch.baseOffset + reader.varint();
    if (recordTimestamp >= timestamp) return { offset, timestamp: recordTimestamp };
    reader.skip(length - (reader.offset - start));
  }
  return batchMatch;
}

async function recordBytes(blob: Buffer, batch: RecordBatchInfo): Promise<Buffer | undefined> {
  const records = blob.subarray(batch.position + BATCH_HEADER_SIZE, batch.position + batch.size);
  switch (batch.compression) {
    case CompressionCodec.None:
      return records;
    case CompressionCodec.Gzip:
      return gunzipAsync(records);
    case CompressionCodec.Snappy:
    case CompressionCodec.Lz4:
    case CompressionCodec.Zstd:
      return undefined;
  }
}
