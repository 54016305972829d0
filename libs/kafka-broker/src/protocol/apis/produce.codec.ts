import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_Produce). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   Produce Request (Version: 3-7) => transactional_id acks timeout_ms [topic_data]
 *     transactional_id => NULLABLE_STRING
 *     acks => INT16
 *     timeout_ms => INT32
 *     topic_data => name [partition_data]
 *       name => STRING
 *       partition_data => index records
 *         index => INT32
 *         records => RECORDS
 *
 *   Produce Response (Version: 3-4) => [responses] throttle_time_ms
 *     responses => name [partition_responses]
 *       name => STRING
 *       partition_responses => index error_code base_offset log_append_time_ms
 *         index => INT32
 *         error_code => INT16
 *         base_offset => INT64
 *         log_append_time_ms => INT64
 *     throttle_time_ms => INT32
 *   Produce Response (Version: 5-7) => [responses] throttle_time_ms
 *     responses => name [partition_responses]
 *       partition_responses => index error_code base_offset log_append_time_ms log_start_offset
 *         log_start_offset => INT64
 *
 * RECORDS is a NULLABLE_BYTES holding RecordBatch v2 batches (see storage/record-batch.ts).
 */

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
  /** The broker's append time on a LogAppendTime topic; -1 on a CreateTime topic or an error. */
  readonly logAppendTimeMs: number;
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

/** throttle_time_ms comes last in Produce, unlike in every other response. */
export function encodeProduceResponse(
  writer: Writer,
  version: number,
  topics: readonly ProduceTopicResponse[],
): void {
  writer.array(topics, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (pw, p) => {
      pw.int32(p.partition).int16(p.errorCode).int64(p.baseOffset).int64(p.logAppendTimeMs);
      if (version >= 5) pw.int64(p.logStartOffset);
    });
  });
  writer.int32(NO_THROTTLE_MS);
}
