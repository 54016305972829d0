import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';

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
  if (version >= 3) writer.int32(0);
  writer.array(response.topics, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (pw, p) => {
      pw.int32(p.partition).int64(p.offset);
      if (version >= 5) pw.int32(-1);
      pw.nullableString(p.metadata).int16(p.errorCode);
    });
  });
  if (version >= 2) writer.int16(response.errorCode);
}
