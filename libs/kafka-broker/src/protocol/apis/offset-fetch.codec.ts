import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_OffsetFetch). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   OffsetFetch Request (Version: 0-1) => group_id [topics]
 *     group_id => STRING
 *     topics => name [partition_indexes]
 *       name => STRING
 *       partition_indexes => INT32
 *   OffsetFetch Request (Version: 2-5) => group_id [topics]
 *     topics => (nullable: null asks for every committed offset of the group)
 *
 *   OffsetFetch Response (Version: 0-1) => [topics]
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index committed_offset metadata error_code
 *         partition_index => INT32
 *         committed_offset => INT64
 *         metadata => NULLABLE_STRING
 *         error_code => INT16
 *   OffsetFetch Response (Version: 2) => [topics] error_code
 *     error_code => INT16
 *   OffsetFetch Response (Version: 3-4) => throttle_time_ms [topics] error_code
 *     throttle_time_ms => INT32
 *   OffsetFetch Response (Version: 5) => throttle_time_ms [topics] error_code
 *     topics => name [partitions]
 *       partitions => partition_index committed_offset committed_leader_epoch metadata
 *           error_code
 *         committed_leader_epoch => INT32
 */

/** Leader epochs are not tracked with commits: a single node has one epoch. */
const NO_LEADER_EPOCH = -1;

export interface OffsetFetchTopicRequest {
  readonly name: string;
  readonly partitions: readonly number[];
}

export interface OffsetFetchRequest {
  readonly groupId: string;
  /** Null (v2+) asks for every committed offset of the group. */
  readonly topics: readonly OffsetFetchTopicRequest[] | null;
}

export interface OffsetFetchPartitionResponse {
  readonly partition: number;
  /** -1 when nothing was committed. */
  readonly offset: number;
  readonly metadata: string | null;
  readonly errorCode: ErrorCode;
}

export interface OffsetFetchTopicResponse {
  readonly name: string;
  readonly partitions: readonly OffsetFetchPartitionResponse[];
}

export interface OffsetFetchResponse {
  readonly topics: readonly OffsetFetchTopicResponse[];
  readonly errorCode: ErrorCode;
}

export function decodeOffsetFetchRequest(reader: Reader, version: number): OffsetFetchRequest {
  const groupId = reader.string();
  const readTopic = (t: Reader): OffsetFetchTopicRequest => ({
    name: t.string(),
    partitions: t.int32Array(),
  });
  const topics = version >= 2 ? reader.nullableArray(readTopic) : reader.array(readTopic);
  return { groupId, topics };
}

/** v2 adds the top-level error, v3 the throttle time, v5 the leader epoch (always -1 here). */
export function encodeOffsetFetchResponse(
  writer: Writer,
  version: number,
  response: OffsetFetchResponse,
): void {
  if (version >= 3) writer.int32(NO_THROTTLE_MS);
  writer.array(response.topics, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (pw, p) => {
      pw.int32(p.partition).int64(p.offset);
      if (version >= 5) pw.int32(NO_LEADER_EPOCH);
      pw.nullableString(p.metadata).int16(p.errorCode);
    });
  });
  if (version >= 2) writer.int16(response.errorCode);
}
