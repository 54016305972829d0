import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';

export interface FetchPartitionRequest {
  readonly partition: number;
  readonly fetchOffset: number;
  readonly partitionMaxBytes: number;
}

export interface FetchTopicRequest {
  readonly name: string;
  readonly partitions: readonly FetchPartitionRequest[];
}

export interface FetchRequest {
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly isolationLevel: number;
  readonly topics: readonly FetchTopicRequest[];
}

export interface FetchPartitionResponse {
  readonly partition: number;
  readonly errorCode: ErrorCode;
  readonly highWatermark: number;
  readonly logStartOffset: number;
  /** Whole RecordBatch v2 batches as stored; empty when there is nothing to return. */
  readonly records: Buffer;
}

export interface FetchTopicResponse {
  readonly name: string;
  readonly partitions: readonly FetchPartitionResponse[];
}

/**
 * Versions 4–11. Fetch-session fields (v7+: session id/epoch, forgotten topics), the leader
 * epoch (v9+) and the rack (v11) are read and ignored: the broker has no sessions and one replica.
 */
export function decodeFetchRequest(reader: Reader, version: number): FetchRequest {
  reader.int32(); // replica_id: always -1 from a consumer
  const maxWaitMs = reader.int32();
  const minBytes = reader.int32();
  const maxBytes = reader.int32();
  const isolationLevel = reader.int8();
  if (version >= 7) {
    reader.int32();
    reader.int32();
  }
  const topics = reader.array((t) => ({
    name: t.string(),
    partitions: t.array((p) => decodePartition(p, version)),
  }));
  if (version >= 7) reader.array((f) => ({ topic: f.string(), partitions: f.int32Array() }));
  if (version >= 11) reader.string();
  return { maxWaitMs, minBytes, maxBytes, isolationLevel, topics };
}

function decodePartition(reader: Reader, version: number): FetchPartitionRequest {
  const partition = reader.int32();
  if (version >= 9) reader.int32();
  const fetchOffset = reader.int64();
  if (version >= 5) reader.int64();
  const partitionMaxBytes = reader.int32();
  return { partition, fetchOffset, partitionMaxBytes };
}

/**
 * Last stable offset = high watermark (no transactions), aborted transactions empty, session id 0
 * and preferred read replica -1: any other replica id would redirect kafkajs and make librdkafka
 * drop the data. An empty record set is written with size 0, never -1 (librdkafka rejects it).
 */
export function encodeFetchResponse(
  writer: Writer,
  version: number,
  topics: readonly FetchTopicResponse[],
): void {
  writer.int32(0);
  if (version >= 7) writer.int16(0).int32(0);
  writer.array(topics, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (pw, p) => {
      pw.int32(p.partition).int16(p.errorCode).int64(p.highWatermark).int64(p.highWatermark);
      if (version >= 5) pw.int64(p.logStartOffset);
      pw.int32(0);
      if (version >= 11) pw.int32(-1);
      pw.bytes(p.records);
    });
  });
}
