import { crc32c } from '@node-rs/crc32';
import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';
import { readInt64, writeInt64 } from '../protocol/int64';
import { ProtocolDecodeError, Reader } from '../protocol/reader';

/**
 * RecordBatch v2 ("magic 2") header layout, from Apache Kafka's DefaultRecordBatch (also in the
 * protocol guide, https://kafka.apache.org/documentation/#recordbatch):
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
export const BatchField = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordCount: 57,
  records: 61,
} as const;

/** The fixed header, up to the first record. */
export const BATCH_HEADER_SIZE = BatchField.records;
/** baseOffset + batchLength: the bytes not counted by batchLength. */
export const LOG_OVERHEAD = BatchField.batchLength + 4;
/** Bytes from the start of a batch through lastOffsetDelta: what {@link lastOffsetAt} reads. */
export const LAST_OFFSET_DELTA_END = BatchField.lastOffsetDelta + 4;
/** Bytes from the start of a batch through maxTimestamp: what {@link maxTimestampAt} reads. */
export const MAX_TIMESTAMP_END = BatchField.maxTimestamp + 8;
/** The magic byte of RecordBatch v2, the only format this broker stores. */
export const MAGIC_V2 = 2;

/** Attribute bits (Kafka's DefaultRecordBatch). */
const COMPRESSION_MASK = 0x07;
const TIMESTAMP_TYPE_MASK = 0x08;
const TRANSACTIONAL_MASK = 0x10;
const CONTROL_MASK = 0x20;
/** Set on control batches (transaction markers), which clients may not write. */
export const CONTROL_ATTRIBUTE = CONTROL_MASK;

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
  const batchLength = buf.readInt32BE(at + BatchField.batchLength);
  if (batchLength < BATCH_HEADER_SIZE - LOG_OVERHEAD) {
    throw corrupt(`batch at byte ${at} declares length ${batchLength}, below the v2 header size`);
  }
  const size = batchLength + LOG_OVERHEAD;
  if (at + size > end) {
    throw corrupt(`truncated batch at byte ${at}: needs ${size} bytes, ${end - at} left`);
  }
  return size;
}

/**
 * Total size of the batch starting at `at` as its header declares it (batchLength + 12),
 * unchecked: for batches already stored, which were checked on append and on recovery.
 */
export function declaredSizeAt(buf: Buffer, at: number): number {
  return buf.readInt32BE(at + BatchField.batchLength) + LOG_OVERHEAD;
}

/** Base offset of the batch starting at `at`. */
export function baseOffsetAt(buf: Buffer, at: number): number {
  return readInt64(buf, at + BatchField.baseOffset);
}

/** Last offset of the (stored) batch starting at `at`: baseOffset + lastOffsetDelta. */
export function lastOffsetAt(buf: Buffer, at: number): number {
  return baseOffsetAt(buf, at) + buf.readInt32BE(at + BatchField.lastOffsetDelta);
}

/** Max timestamp of the batch starting at `at`. */
export function maxTimestampAt(buf: Buffer, at: number): number {
  return readInt64(buf, at + BatchField.maxTimestamp);
}

/** The CRC-32C a batch of `size` bytes at `at` must carry: over attributes..end. */
export function computeCrc(buf: Buffer, at: number, size: number): number {
  return crc32c(buf.subarray(at + BatchField.attributes, at + size));
}

/** True when the stored CRC-32C matches bytes 21..end of the batch at `at` of `size` bytes. */
export function hasValidCrc(buf: Buffer, at: number, size: number): boolean {
  return computeCrc(buf, at, size) === buf.readUInt32BE(at + BatchField.crc);
}

function readInfo(buf: Buffer, at: number, size: number): RecordBatchInfo {
  const attributes = buf.readInt16BE(at + BatchField.attributes);
  return {
    position: at,
    size,
    baseOffset: baseOffsetAt(buf, at),
    partitionLeaderEpoch: buf.readInt32BE(at + BatchField.partitionLeaderEpoch),
    lastOffsetDelta: buf.readInt32BE(at + BatchField.lastOffsetDelta),
    recordCount: buf.readInt32BE(at + BatchField.recordCount),
    attributes,
    compression: attributes & COMPRESSION_MASK,
    timestampType:
      (attributes & TIMESTAMP_TYPE_MASK) !== 0
        ? TimestampType.LogAppendTime
        : TimestampType.CreateTime,
    isTransactional: (attributes & TRANSACTIONAL_MASK) !== 0,
    isControl: (attributes & CONTROL_MASK) !== 0,
    baseTimestamp: readInt64(buf, at + BatchField.baseTimestamp),
    maxTimestamp: maxTimestampAt(buf, at),
    producerId: readInt64(buf, at + BatchField.producerId),
    producerEpoch: buf.readInt16BE(at + BatchField.producerEpoch),
    baseSequence: buf.readInt32BE(at + BatchField.baseSequence),
  };
}

/** What a record (Kafka's DefaultRecord) says about itself before its key, value and headers. */
export interface RecordHead {
  /** Bytes of the record after its own length varint. */
  readonly length: number;
  /** Reserved by Kafka: always 0 so far. */
  readonly attributes: number;
  /** Add the batch's baseTimestamp for the record's timestamp. */
  readonly timestampDelta: number;
  /** Add the batch's baseOffset for the record's offset. */
  readonly offsetDelta: number;
}

/**
 * Reads the head of the record at `reader` (positioned inside a batch's uncompressed records)
 * and moves past the whole record.
 * @throws ProtocolDecodeError when the record's length is impossible or overruns the data
 */
export function readRecordHead(reader: Reader): RecordHead {
  const length = reader.varint();
  const start = reader.offset;
  const attributes = reader.int8();
  const timestampDelta = reader.varlong();
  const offsetDelta = reader.varint();
  reader.skip(length - (reader.offset - start));
  return { length, attributes, timestampDelta, offsetDelta };
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
    const magic = blob.readInt8(at + BatchField.magic);
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
  writeInt64(blob, position + BatchField.baseOffset, baseOffset);
  blob.writeInt32BE(0, position + BatchField.partitionLeaderEpoch);
}

/**
 * Marks the batch at `position` LogAppendTime with `appendTime` as its max timestamp, as Kafka
 * does for LogAppendTime topics: consumers then read that time for every record of the batch.
 * Both fields lie inside the CRC'd range, so the CRC is recomputed.
 */
export function stampLogAppendTime(blob: Buffer, batch: RecordBatchInfo, appendTime: number): void {
  const at = batch.position;
  blob.writeInt16BE(batch.attributes | TIMESTAMP_TYPE_MASK, at + BatchField.attributes);
  writeInt64(blob, at + BatchField.maxTimestamp, appendTime);
  blob.writeUInt32BE(computeCrc(blob, at, batch.size), at + BatchField.crc);
  batch.attributes |= TIMESTAMP_TYPE_MASK;
  batch.timestampType = TimestampType.LogAppendTime;
  batch.maxTimestamp = appendTime;
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
