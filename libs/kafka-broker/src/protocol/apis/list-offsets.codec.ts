import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';

/** ListOffsets timestamp sentinels. */
export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;

export interface ListOffsetsPartitionRequest {
  readonly partition: number;
  readonly timestamp: number;
}

export interface ListOffsetsTopicRequest {
  readonly name: string;
  readonly partitions: readonly ListOffsetsPartitionRequest[];
}

export interface ListOffsetsRequest {
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

export function decodeListOffsetsRequest(reader: Reader, version: number): ListOffsetsRequest {
  reader.int32(); // replica_id
  if (version >= 2) reader.int8(); // isolation_level: LSO = HW without transactions
  const topics = reader.array((t) => ({
    name: t.string(),
    partitions: t.array((p) => {
      const partition = p.int32();
      const timestamp = p.int64();
      if (version === 0) p.int32(); // max_num_offsets: v0 answers with at most one offset
      return { partition, timestamp };
    }),
  }));
  return { topics };
}

/** v0 answers with `old_style_offsets[]` (empty when not found); v1+ with one timestamp/offset. */
export function encodeListOffsetsResponse(
  writer: Writer,
  version: number,
  topics: readonly ListOffsetsTopicResponse[],
): void {
  if (version >= 2) writer.int32(0);
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
