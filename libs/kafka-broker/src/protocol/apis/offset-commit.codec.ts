import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_OffsetCommit). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   OffsetCommit Request (Version: 0) => group_id [topics]
 *     group_id => STRING
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index committed_offset committed_metadata
 *         partition_index => INT32
 *         committed_offset => INT64
 *         committed_metadata => NULLABLE_STRING
 *   OffsetCommit Request (Version: 1) => group_id generation_id member_id [topics]
 *     generation_id => INT32
 *     member_id => STRING
 *     topics => name [partitions]
 *       partitions => partition_index committed_offset commit_timestamp committed_metadata
 *         commit_timestamp => INT64
 *   OffsetCommit Request (Version: 2-4) => group_id generation_id member_id retention_time_ms
 *       [topics]
 *     retention_time_ms => INT64
 *     topics => name [partitions]
 *       partitions => partition_index committed_offset committed_metadata
 *   OffsetCommit Request (Version: 5) => group_id generation_id member_id [topics]
 *   OffsetCommit Request (Version: 6) => group_id generation_id member_id [topics]
 *     topics => name [partitions]
 *       partitions => partition_index committed_offset committed_leader_epoch
 *           committed_metadata
 *         committed_leader_epoch => INT32
 *   OffsetCommit Request (Version: 7) => group_id generation_id member_id group_instance_id
 *       [topics]
 *     group_instance_id => NULLABLE_STRING
 *
 *   OffsetCommit Response (Version: 0-2) => [topics]
 *     topics => name [partitions]
 *       name => STRING
 *       partitions => partition_index error_code
 *         partition_index => INT32
 *         error_code => INT16
 *   OffsetCommit Response (Version: 3-7) => throttle_time_ms [topics]
 *     throttle_time_ms => INT32
 */

/** What a version without the field means (Kafka's message definitions). */
const DEFAULT_RETENTION_TIME_MS = -1;
const DEFAULT_COMMIT_TIMESTAMP = -1;
const NO_LEADER_EPOCH = -1;

export interface OffsetCommitPartition {
  readonly partition: number;
  readonly offset: number;
  /** v6+ (KIP-320); -1 before. Kept by Kafka for fencing; a single node has one epoch. */
  readonly leaderEpoch: number;
  /** v1 only; -1 elsewhere. Kafka once derived retention from it. */
  readonly commitTimestamp: number;
  readonly metadata: string | null;
}

export interface OffsetCommitTopic {
  readonly name: string;
  readonly partitions: readonly OffsetCommitPartition[];
}

export interface OffsetCommitRequest {
  readonly groupId: string;
  /** -1 for v0 and for commits from outside a group (admin tools). */
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** v2–4; -1 (the broker's own retention) elsewhere. */
  readonly retentionTimeMs: number;
  readonly topics: readonly OffsetCommitTopic[];
}

export interface OffsetCommitPartitionResponse {
  readonly partition: number;
  readonly errorCode: ErrorCode;
}

export interface OffsetCommitTopicResponse {
  readonly name: string;
  readonly partitions: readonly OffsetCommitPartitionResponse[];
}

/**
 * Versions 0–7. The v1 commit timestamp, the v2–4 retention time and the v6 leader epoch are
 * decoded but not used: retention of committed offsets is the broker's own policy.
 */
export function decodeOffsetCommitRequest(reader: Reader, version: number): OffsetCommitRequest {
  const groupId = reader.string();
  const generationId = version >= 1 ? reader.int32() : -1;
  const memberId = version >= 1 ? reader.string() : '';
  const groupInstanceId = version >= 7 ? reader.nullableString() : null;
  const retentionTimeMs = version >= 2 && version <= 4 ? reader.int64() : DEFAULT_RETENTION_TIME_MS;
  const topics = reader.array((t) => ({
    name: t.string(),
    partitions: t.array((p) => decodePartition(p, version)),
  }));
  return { groupId, generationId, memberId, groupInstanceId, retentionTimeMs, topics };
}

function decodePartition(reader: Reader, version: number): OffsetCommitPartition {
  const partition = reader.int32();
  const offset = reader.int64();
  const leaderEpoch = version >= 6 ? reader.int32() : NO_LEADER_EPOCH;
  const commitTimestamp = version === 1 ? reader.int64() : DEFAULT_COMMIT_TIMESTAMP;
  const metadata = reader.nullableString();
  return { partition, offset, leaderEpoch, commitTimestamp, metadata };
}

export function encodeOffsetCommitResponse(
  writer: Writer,
  version: number,
  topics: readonly OffsetCommitTopicResponse[],
): void {
  if (version >= 3) writer.int32(NO_THROTTLE_MS);
  writer.array(topics, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (pw, p) => pw.int32(p.partition).int16(p.errorCode));
  });
}
