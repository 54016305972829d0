import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';

export interface OffsetCommitPartition {
  readonly partition: number;
  readonly offset: number;
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
 * read and dropped: retention of committed offsets is the broker's own policy.
 */
export function decodeOffsetCommitRequest(reader: Reader, version: number): OffsetCommitRequest {
  const groupId = reader.string();
  const generationId = version >= 1 ? reader.int32() : -1;
  const memberId = version >= 1 ? reader.string() : '';
  const groupInstanceId = version >= 7 ? reader.nullableString() : null;
  if (version >= 2 && version <= 4) reader.int64();
  const topics = reader.array((t) => ({
    name: t.string(),
    partitions: t.array((p) => decodePartition(p, version)),
  }));
  return { groupId, generationId, memberId, groupInstanceId, topics };
}

function decodePartition(reader: Reader, version: number): OffsetCommitPartition {
  const partition = reader.int32();
  const offset = reader.int64();
  if (version >= 6) reader.int32();
  if (version === 1) reader.int64();
  const metadata = reader.nullableString();
  return { partition, offset, metadata };
}

export function encodeOffsetCommitResponse(
  writer: Writer,
  version: number,
  topics: readonly OffsetCommitTopicResponse[],
): void {
  if (version >= 3) writer.int32(0);
  writer.array(topics, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (pw, p) => pw.int32(p.partition).int16(p.errorCode));
  });
}
