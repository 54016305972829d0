import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { ProtocolDecodeError, Reader } from '../protocol/reader';
import {
  BATCH_HEADER_SIZE,
  CompressionCodec,
  parseRecordBatches,
  readRecordHead,
  TimestampType,
  type PartitionLog,
  type RecordBatchInfo,
} from '../storage';

const gunzipAsync = promisify(gunzip);

/**
 * Largest inflated gzip batch a lookup will walk. Compression ratios are unbounded, so a small
 * stored batch could otherwise inflate to gigabytes; past this the batch answer stands.
 */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

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
  try {
    return walkRecords(new Reader(records), batch, timestamp) ?? batchMatch;
  } catch (error) {
    // Records the client framed wrongly cannot be walked; the batch-level answer still holds.
    if (error instanceof ProtocolDecodeError) return batchMatch;
    throw error;
  }
}

/** The first record at or after `timestamp`; a record whose length is impossible ends the walk. */
function walkRecords(
  reader: Reader,
  batch: RecordBatchInfo,
  timestamp: number,
): TimestampedOffset | undefined {
  for (let i = 0; i < batch.recordCount && reader.remaining > 0; i++) {
    const record = readRecordHead(reader);
    const recordTimestamp = batch.baseTimestamp + record.timestampDelta;
    if (recordTimestamp >= timestamp) {
      return { offset: batch.baseOffset + record.offsetDelta, timestamp: recordTimestamp };
    }
  }
  return undefined;
}

async function recordBytes(blob: Buffer, batch: RecordBatchInfo): Promise<Buffer | undefined> {
  const records = blob.subarray(batch.position + BATCH_HEADER_SIZE, batch.position + batch.size);
  switch (batch.compression) {
    case CompressionCodec.None:
      return records;
    case CompressionCodec.Gzip:
      return gunzipAsync(records, { maxOutputLength: MAX_INFLATED_BYTES }).catch(() => undefined);
    case CompressionCodec.Snappy:
    case CompressionCodec.Lz4:
    case CompressionCodec.Zstd:
      return undefined;
  }
}
