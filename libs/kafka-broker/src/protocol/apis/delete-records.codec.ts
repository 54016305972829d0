import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_DeleteRecords). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   DeleteRecords Request (Version: 0-1) => [topics] timeout_ms
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index offset
 *         partition_index => INT32
 *         offset => INT64
 *     timeout_ms => INT32
 *
 *   DeleteRecords Response (Version: 0-1) => throttle_time_ms [topics]
 *     throttle_time_ms => INT32
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index low_watermark error_code
 *         partition_index => INT32
 *         low_watermark => INT64
 *         error_code => INT16
 *
 * An offset of -1 deletes up to the high watermark.
 */

export interface DeleteRecordsPartition {
  readonly partition: number;
  /** Records below this offset go; -1 means the high watermark. */
  readonly offset: number;
}

export interface DeleteRecordsTopic {
  readonly name: string;
  readonly partitions: readonly DeleteRecordsPartition[];
}

export interface DeleteRecordsRequest {
  readonly topics: readonly DeleteRecordsTopic[];
  /** How long Kafka waits for followers; a single node answers once the start is stored. */
  readonly timeoutMs: number;
}

export interface DeleteRecordsPartitionResult {
  readonly partition: number;
  /** The log start offset after the request; -1 with an error. */
  readonly lowWatermark: number;
  readonly errorCode: ErrorCode;
}

export interface DeleteRecordsTopicResult {
  readonly name: string;
  readonly partitions: readonly DeleteRecordsPartitionResult[];
}

export function decodeDeleteRecordsRequest(reader: Reader): DeleteRecordsRequest {
  const topics = reader.array((t) => ({
    name: t.string(),
    partitions: t.array((p) => ({ partition: p.int32(), offset: p.int64() })),
  }));
  return { topics, timeoutMs: reader.int32() };
}

export function encodeDeleteRecordsResponse(
  writer: Writer,
  topics: readonly DeleteRecordsTopicResult[],
): void {
  writer.int32(NO_THROTTLE_MS);
  writer.array(topics, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (pw, p) => {
      pw.int32(p.partition).int64(p.lowWatermark).int16(p.errorCode);
    });
  });
}
