import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';

export interface ProducePartitionData {
  readonly partition: number;
  /** RecordBatch v2 bytes, a view on the request frame (no copy). */
  readonly records: Buffer | null;
}

export interface ProduceTopicData {
  readonly name: string;
  readonly partitions: readonly ProducePartitionData[];
}

export interface ProduceRequest {
  readonly transactionalId: string | null;
  /** 0: the client expects no response at all; 1 and -1: respond after the append. */
  readonly acks: number;
  readonly timeoutMs: number;
  readonly topics: readonly ProduceTopicData[];
}

export interface ProducePartitionResponse {
  readonly partition: number;
  readonly errorCode: ErrorCode;
  readonly baseOffset: number;
  readonly logStartOffset: number;
}

export interface ProduceTopicResponse {
  readonly name: string;
  readonly partitions: readonly ProducePartitionResponse[];
}

/** Versions 3–7 share one request layout (v3 added transactional_id). */
export function decodeProduceRequest(reader: Reader): ProduceRequest {
  const transactionalId = reader.nullableString();
  const acks = reader.int16();
  const timeoutMs = reader.int32();
  const topics = reader.array((t) => ({
    name: t.string(),
    partitions: t.array((p) => ({ partition: p.int32(), records: p.nullableBytes() })),
  }));
  return { transactionalId, acks, timeoutMs, topics };
}

/** log_append_time is always -1: topics use CreateTime. throttle_time comes last in Produce. */
export function encodeProduceResponse(
  writer: Writer,
  version: number,
  topics: readonly ProduceTopicResponse[],
): void {
  writer.array(topics, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (pw, p) => {
      pw.int32(p.partition).int16(p.errorCode).int64(p.baseOffset).int64(-1);
      if (version >= 5) pw.int64(p.logStartOffset);
    });
  });
  writer.int32(0);
}
