import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_ListOffsets). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   ListOffsets Request (Version: 0) => replica_id [topics]
 *     replica_id => INT32
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index timestamp max_num_offsets
 *         partition_index => INT32
 *         timestamp => INT64
 *         max_num_offsets => INT32
 *   ListOffsets Request (Version: 1) => replica_id [topics]
 *     topics => name [partitions]
 *       partitions => partition_index timestamp
 *   ListOffsets Request (Version: 2-3) => replica_id isolation_level [topics]
 *     isolation_level => INT8
 *
 *   ListOffsets Response (Version: 0) => [topics]
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index error_code [old_style_offsets]
 *         partition_index => INT32
 *         error_code => INT16
 *         old_style_offsets => INT64
 *   ListOffsets Response (Version: 1) => [topics]
 *     topics => name [partitions]
 *       partitions => partition_index error_code timestamp offset
 *         timestamp => INT64
 *         offset => INT64
 *   ListOffsets Response (Version: 2-3) => throttle_time_ms [topics]
 *     throttle_time_ms => INT32
 */

/** ListOffsets timestamp sentinels. */
export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;

export interface ListOffsetsPartitionRequest {
  readonly partition: number;
  readonly timestamp: number;
  /** v0 only: how many offsets to return; the broker answers with at most one. */
  readonly maxNumOffsets: number;
}

export interface ListOffsetsTopicRequest {
  readonly name: string;
  readonly partitions: readonly ListOffsetsPartitionRequest[];
}

export interface ListOffsetsRequest {
  /** -1 from a consumer. */
  readonly replicaId: number;
  /** v2+; 0 before. Without transactions both levels see the same last stable offset. */
  readonly isolationLevel: number;
  readonly topics: readonly ListOffsetsTopicRequest[];
}

export interface ListOffsetsPartitionResponse {
  readonly partition: number;
  readonly errorCode: ErrorCode;
  readonly timestamp: number;
  /** -1 when no record has a timestamp at or after the requested one. */
  readonly offset: number;
}

export interface ListOffsetsTopicResponse {
  readonly name: string;
  readonly partitions: readonly ListOffsetsPartitionResponse[];
}

/** v1+ ask for one offset per partition; v0's max_num_offsets reads as 1 for them. */
const ONE_OFFSET = 1;

export function decodeListOffsetsRequest(reader: Reader, version: number): ListOffsetsRequest {
  const replicaId = reader.int32();
  const isolationLevel = version >= 2 ? reader.int8() : 0;
  const topics = reader.array((t) => ({
    name: t.string(),
    partitions: t.array((p) => {
      const partition = p.int32();
      const timestamp = p.int64();
      const maxNumOffsets = version === 0 ? p.int32() : ONE_OFFSET;
      return { partition, timestamp, maxNumOffsets };
    }),
  }));
  return { replicaId, isolationLevel, topics };
}

/** v0 answers with `old_style_offsets[]` (empty when not found); v1+ with one timestamp/offset. */
export function encodeListOffsetsResponse(
  writer: Writer,
  version: number,
  topics: readonly ListOffsetsTopicResponse[],
): void {
  if (version >= 2) writer.int32(NO_THROTTLE_MS);
  writer.array(topics, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (pw, p) => {
      pw.int32(p.partition).int16(p.errorCode);
      if (version === 0) {
        pw.array(p.offset >= 0 ? [p.offset] : [], (ow, offset) => ow.int64(offset));
      } else {
        pw.int64(p.timestamp).int64(p.offset);
      }
    });
  });
}
