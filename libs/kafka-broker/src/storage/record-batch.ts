import { crc32c } from '@node-rs/crc32';
import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';
import { ProtocolDecodeError, Reader } from '../protocol/reader';

/**
 * RecordBatch v2 ("magic 2") header layout, from Apache Kafka's DefaultRecordBatch:
 *
 * | field                | type | at |
 * |----------------------|------|----|
 * | baseOffset           | i64  |  0 |
 * | batchLength          | i32  |  8 | bytes after this field (total size = batchLength + 12)
 * | partitionLeaderEpoch | i32  | 12 |
 * | magic                | i8   | 16 |
 * | crc                  | u32  | 17 | CRC-32C of bytes 21..end of the batch
 * | attributes           | i16  | 21 |
 * | lastOffsetDelta      | i32  | 23 |
 * | baseTimestamp        | i64  | 27 |
 * | maxTimestamp         | i64  | 35 |
 * | producerId           | i64  | 43 |
 * | producerEpoch        | i16  | 51 |
 * | baseSequence         | i32  | 53 |
 * | recordCount          | i32  | 57 |
 * | records              | ...  | 61 | compressed as one blob when the codec is not 0
 *
 * baseOffset and partitionLeaderEpoch sit before the CRC'd range, which is why a broker can
 * assign offsets without recomputing the checksum.
 */
export const BATCH_HEADER_SIZE = 61;
/** baseOffset + batchLength: the bytes not counted by batchLength. */
export const LOG_OVERHEAD = 12;
const MAGIC_V2 = 2;

const OFFSET_BATCH_LENGTH = 8;
const OFFSET_LEADER_EPOCH = 12;
const OFFSET_MAGIC = 16;
const OFFSET_CRC = 17;
const OFFSET_ATTRIBUTES = 21;
const OFFSET_LAST_OFFSET_DELTA = 23;
const OFFSET_BASE_TIMESTAMP = 27;
const OFFSET_MAX_TIMESTAMP = 35;
const OFFSET_PRODUCER_ID = 43;
const OFFSET_PRODUCER_EPOCH = 51;
const OFFSET_BASE_SEQUENCE = 53;
const OFFSET_RECORD_COUNT = 57;

const COMPRESSION_MASK = 0x07;
const TIMESTAMP_TYPE_MASK = 0x08;
const TRANSACTIONAL_MASK = 0x10;
const CONTROL_MASK = 0x20;
const TWO_POW_32 = 0x1_0000_0000;

export enum CompressionCodec {
  None = 0,
  Gzip = 1,
  Snappy = 2,
  Lz4 = 3,
  Zstd = 4,
}

export enum TimestampType {
  CreateTime = 0,
  LogAppendTime = 1,
}

/** What one batch of a records blob says about itself; positions are relative to the blob. */
export interface RecordBatchInfo {
  /** Byte position of the batch in the blob it was parsed from. */
  position: number;
  /** Total size in bytes, header included (batchLength + 12). */
  size: number;
  baseOffset: number;
  partitionLeaderEpoch: number;
  lastOffsetDelta: number;
  recordCount: number;
  attributes: number;
  compression: CompressionCodec;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
}

/** Reads a signed 64-bit big-endian integer as a number (exact below 2^53). */
export function readInt64(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * TWO_POW_32 + buf.readUInt32BE(at + 4);
}

function writeInt64(buf: Buffer, at: number, value: number): void {
  buf.writeInt32BE(Math.floor(value / TWO_POW_32), at);
  buf.writeUInt32BE((value % TWO_POW_32) >>> 0, at + 4);
}

function corrupt(reason: string): KafkaProtocolError {
  return new KafkaProtocolError(ErrorCode.CORRUPT_MESSAGE, reason);
}

function invalid(reason: string): KafkaProtocolError {
  return new KafkaProtocolError(ErrorCode.INVALID_RECORD, reason);
}

/**
 * Size of the batch starting at `at`, checked against the bytes available up to `end`.
 * Throws CORRUPT_MESSAGE when the length is impossible or the batch is cut short.
 */
export function batchSizeAt(buf: Buffer, at: number, end: number = buf.length): number {
  if (end - at < LOG_OVERHEAD) {
    throw corrupt(`truncated batch header at byte ${at}: ${end - at} bytes left`);
  }
  const batchLength = buf.readInt32BE(at + OFFSET_BATCH_LENGTH);
  if (batchLength < BATCH_HEADER_SIZE - LOG_OVERHEAD) {
    throw corrupt(`batch at byte ${at} declares length ${batchLength}, below the v2 header size`);
  }
  const size = batchLength + LOG_OVERHEAD;
  if (at + size > end) {
    throw corrupt(`truncated batch at byte ${at}: needs ${size} bytes, ${end - at} left`);
  }
  return size;
}

/** Last offset of the (stored) batch starting at `at`: baseOffset + lastOffsetDelta. */
export function lastOffsetAt(buf: Buffer, at: number): number {
  return readInt64(buf, at) + buf.readInt32BE(at + OFFSET_LAST_OFFSET_DELTA);
}

/** Max timestamp of the batch starting at `at`. */
export function maxTimestampAt(buf: Buffer, at: number): number {
  return readInt64(buf, at + OFFSET_MAX_TIMESTAMP);
}

/** True when the stored CRC-32C matches bytes 21..end of the batch at `at` of `size` bytes. */
export function hasValidCrc(buf: Buffer, at: number, size: number): boolean {
  const stored = buf.readUInt32BE(at + OFFSET_CRC);
  return crc32c(buf.subarray(at + OFFSET_ATTRIBUTES, at + size)) === stored;
}

function readInfo(buf: Buffer, at: number, size: number): RecordBatchInfo {
  const attributes = buf.readInt16BE(at + OFFSET_ATTRIBUTES);
  return {
    position: at,
    size,
    baseOffset: readInt64(buf, at),
    partitionLeaderEpoch: buf.readInt32BE(at + OFFSET_LEADER_EPOCH),
    lastOffsetDelta: buf.readInt32BE(at + OFFSET_LAST_OFFSET_DELTA),
    recordCount: buf.readInt32BE(at + OFFSET_RECORD_COUNT),
    attributes,
    compression: attributes & COMPRESSION_MASK,
    timestampType:
      (attributes & TIMESTAMP_TYPE_MASK) !== 0
        ? TimestampType.LogAppendTime
        : TimestampType.CreateTime,
    isTransactional: (attributes & TRANSACTIONAL_MASK) !== 0,
    isControl: (attributes & CONTROL_MASK) !== 0,
    baseTimestamp: readInt64(buf, at + OFFSET_BASE_TIMESTAMP),
    maxTimestamp: readInt64(buf, at + OFFSET_MAX_TIMESTAMP),
    producerId: readInt64(buf, at + OFFSET_PRODUCER_ID),
    producerEpoch: buf.readInt16BE(at + OFFSET_PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(at + OFFSET_BASE_SEQUENCE),
  };
}

/**
 * Parses the batches of a records blob, checking structure only: lengths (CORRUPT_MESSAGE),
 * magic 2 (INVALID_RECORD, as Kafka's ProduceRequest.validateRecords) and the CRC-32C
 * (CORRUPT_MESSAGE, as Kafka's log append). No policy about what a client may write.
 */
export function parseRecordBatches(blob: Buffer): RecordBatchInfo[] {
  const batches: RecordBatchInfo[] = [];
  let at = 0;
  while (at < blob.length) {
    const size = batchSizeAt(blob, at);
    const magic = blob.readInt8(at + OFFSET_MAGIC);
    if (magic !== MAGIC_V2) {
      throw invalid(`batch at byte ${at} has magic ${magic}; only RecordBatch v2 is accepted`);
    }
    if (!hasValidCrc(blob, at, size)) {
      throw corrupt(`CRC-32C mismatch in batch at byte ${at}`);
    }
    batches.push(readInfo(blob, at, size));
    at += size;
  }
  return batches;
}

/**
 * Everything a produce request's records blob must satisfy before it is appended: the
 * structural checks of {@link parseRecordBatches} plus the rules Kafka's LogValidator applies to
 * client writes. Refusals and why these codes:
 * - no batch at all, offset range inconsistent with recordCount, unknown codec, idempotent batch
 *   with a negative sequence → INVALID_RECORD (Kafka's InvalidRecordException);
 * - control batch → INVALID_RECORD: Kafka refuses control records from clients with exactly that
 *   ("Clients are not allowed to write control records");
 * - transactional batch → INVALID_TXN_STATE: this broker never has an ongoing transaction, and
 *   Kafka answers a transactional batch outside an ongoing transaction with InvalidTxnStateException
 *   ("Record was not part of an ongoing transaction"). The producer sees a non-retriable error
 *   instead of data silently appended outside any transaction.
 */
export function validateProducedBatches(blob: Buffer): RecordBatchInfo[] {
  const batches = parseRecordBatches(blob);
  if (batches.length === 0) {
    throw invalid('produce request carries no record batch for the partition');
  }
  for (const batch of batches) {
    validateClientBatch(batch);
    if (batch.compression === CompressionCodec.None) checkRecordFraming(blob, batch);
  }
  return batches;
}

/**
 * Walks the records of an uncompressed batch as Kafka's LogValidator does: every record length
 * is non-negative and the `recordCount` records fill the batch exactly. Without this a batch
 * with a valid CRC but garbage records would be stored and served to every consumer. Compressed
 * batches are stored as produced: inflating them on the produce path would cost more than the
 * rest of the append.
 */
function checkRecordFraming(blob: Buffer, batch: RecordBatchInfo): void {
  const start = batch.position + BATCH_HEADER_SIZE;
  const reader = new Reader(blob.subarray(start, batch.position + batch.size));
  let index = 0;
  try {
    for (; index < batch.recordCount; index++) reader.skip(reader.varint());
  } catch (error) {
    if (!(error instanceof ProtocolDecodeError)) throw error;
    throw invalid(`batch at byte ${batch.position}: record ${index} overruns the batch`);
  }
  if (reader.remaining !== 0) {
    throw invalid(
      `batch at byte ${batch.position}: ${reader.remaining} bytes follow its ${batch.recordCount} records`,
    );
  }
}

function validateClientBatch(batch: RecordBatchInfo): void {
  const at = batch.position;
  if (batch.lastOffsetDelta < 0 || batch.recordCount !== batch.lastOffsetDelta + 1) {
    throw invalid(
      `batch at byte ${at}: lastOffsetDelta ${batch.lastOffsetDelta} disagrees with recordCount ${batch.recordCount}`,
    );
  }
  if (batch.compression > CompressionCodec.Zstd) {
    throw invalid(`batch at byte ${at} uses unknown compression codec ${batch.compression}`);
  }
  if (batch.isControl) {
    throw invalid(`batch at byte ${at} is a control batch; clients may not write control records`);
  }
  if (batch.isTransactional) {
    throw new KafkaProtocolError(
      ErrorCode.INVALID_TXN_STATE,
      `batch at byte ${at} is transactional; this broker does not support transactions`,
    );
  }
  if (batch.producerId >= 0 && batch.baseSequence < 0) {
    throw invalid(
      `batch at byte ${at} has producerId ${batch.producerId} but sequence ${batch.baseSequence}`,
    );
  }
}

/**
 * Rewrites, in place, the baseOffset of the batch at `position` and sets its
 * partitionLeaderEpoch to 0. Both fields lie outside the CRC'd range: the checksum stays valid.
 */
export function rewriteBaseOffset(blob: Buffer, position: number, baseOffset: number): void {
  writeInt64(blob, position, baseOffset);
  blob.writeInt32BE(0, position + OFFSET_LEADER_EPOCH);
}

/**
 * Assigns consecutive offsets in place to every batch of a blob, starting at `firstOffset`
 * (see {@link rewriteBaseOffset}), and updates the infos to match. Returns the offset after the
 * last record, i.e. the new log end offset.
 */
export function assignOffsets(
  blob: Buffer,
  batches: readonly RecordBatchInfo[],
  firstOffset: number,
): number {
  let next = firstOffset;
  for (const batch of batches) {
    rewriteBaseOffset(blob, batch.position, next);
    batch.baseOffset = next;
    batch.partitionLeaderEpoch = 0;
    next += batch.lastOffsetDelta + 1;
  }
  return next;
}
