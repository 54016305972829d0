import { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_Fetch). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   Fetch Request (Version: 4) => replica_id max_wait_ms min_bytes max_bytes isolation_level
 *       [topics]
 *     replica_id => INT32
 *     max_wait_ms => INT32
 *     min_bytes => INT32
 *     max_bytes => INT32
 *     isolation_level => INT8
 *     topics => topic [partitions]
 *       topic => STRING
 *       partitions => partition fetch_offset partition_max_bytes
 *         partition => INT32
 *         fetch_offset => INT64
 *         partition_max_bytes => INT32
 *   Fetch Request (Version: 5-6) => replica_id max_wait_ms min_bytes max_bytes isolation_level
 *       [topics]
 *     topics => topic [partitions]
 *       partitions => partition fetch_offset log_start_offset partition_max_bytes
 *         log_start_offset => INT64
 *   Fetch Request (Version: 7-8) => replica_id max_wait_ms min_bytes max_bytes isolation_level
 *       session_id session_epoch [topics] [forgotten_topics_data]
 *     session_id => INT32
 *     session_epoch => INT32
 *     forgotten_topics_data => topic [partitions]
 *       partitions => INT32
 *   Fetch Request (Version: 9-10) => replica_id max_wait_ms min_bytes max_bytes
 *       isolation_level session_id session_epoch [topics] [forgotten_topics_data]
 *     topics => topic [partitions]
 *       partitions => partition current_leader_epoch fetch_offset log_start_offset
 *           partition_max_bytes
 *         current_leader_epoch => INT32
 *   Fetch Request (Version: 11) => replica_id max_wait_ms min_bytes max_bytes isolation_level
 *       session_id session_epoch [topics] [forgotten_topics_data] rack_id
 *     rack_id => STRING
 *
 *   Fetch Response (Version: 4) => throttle_time_ms [responses]
 *     throttle_time_ms => INT32
 *     responses => topic [partitions]
 *       topic => STRING
 *       partitions => partition_index error_code high_watermark last_stable_offset
 *           [aborted_transactions] records
 *         partition_index => INT32
 *         error_code => INT16
 *         high_watermark => INT64
 *         last_stable_offset => INT64
 *         aborted_transactions => producer_id first_offset
 *           producer_id => INT64
 *           first_offset => INT64
 *         records => RECORDS
 *   Fetch Response (Version: 5-6) => throttle_time_ms [responses]
 *     responses => topic [partitions]
 *       partitions => partition_index error_code high_watermark last_stable_offset
 *           log_start_offset [aborted_transactions] records
 *         log_start_offset => INT64
 *   Fetch Response (Version: 7-10) => throttle_time_ms error_code session_id [responses]
 *     error_code => INT16
 *     session_id => INT32
 *   Fetch Response (Version: 11) => throttle_time_ms error_code session_id [responses]
 *     responses => topic [partitions]
 *       partitions => partition_index error_code high_watermark last_stable_offset
 *           log_start_offset [aborted_transactions] preferred_read_replica records
 *         preferred_read_replica => INT32
 */

/** The defaults of fields an older version does not carry (Kafka's message definitions). */
const NO_EPOCH = -1;
const NO_LOG_START_OFFSET = -1;
/** Fetch sessions (KIP-227) are not supported: every response is a full one, session 0. */
const NO_SESSION_ID = 0;
/** The reader may fetch from this broker: it is the only replica. */
const NO_PREFERRED_READ_REPLICA = -1;
/** Without transactions there is never an aborted one to report. */
const NO_ABORTED_TRANSACTIONS: readonly never[] = [];

export interface FetchPartitionRequest {
  readonly partition: number;
  /** v9+; -1 before. The broker has one leader epoch and does not check it. */
  readonly currentLeaderEpoch: number;
  readonly fetchOffset: number;
  /** v5+, only meaningful from a follower replica; -1 before. */
  readonly logStartOffset: number;
  readonly partitionMaxBytes: number;
}

export interface FetchTopicRequest {
  readonly name: string;
  readonly partitions: readonly FetchPartitionRequest[];
}

export interface ForgottenTopic {
  readonly name: string;
  readonly partitions: readonly number[];
}

export interface FetchRequest {
  /** -1 from a consumer; a replica id from a follower, which a single node never has. */
  readonly replicaId: number;
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  /** 0 read_uncommitted, 1 read_committed: the same without transactions. */
  readonly isolationLevel: number;
  /** v7+ fetch session fields; every client sends 0 / -1 (no session) to this broker. */
  readonly sessionId: number;
  readonly sessionEpoch: number;
  readonly topics: readonly FetchTopicRequest[];
  /** v7+: partitions to drop from a fetch session; empty without sessions. */
  readonly forgottenTopics: readonly ForgottenTopic[];
  /** v11+: the consumer's rack, for follower fetching (KIP-392); '' before. */
  readonly rackId: string;
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
 * Versions 4–11. Every field is decoded; the handler ignores the session fields, the leader
 * epoch and the rack: the broker has no fetch sessions and a single replica.
 */
export function decodeFetchRequest(reader: Reader, version: number): FetchRequest {
  const replicaId = reader.int32();
  const maxWaitMs = reader.int32();
  const minBytes = reader.int32();
  const maxBytes = reader.int32();
  const isolationLevel = reader.int8();
  const sessionId = version >= 7 ? reader.int32() : NO_SESSION_ID;
  const sessionEpoch = version >= 7 ? reader.int32() : NO_EPOCH;
  const topics = reader.array((t) => ({
    name: t.string(),
    partitions: t.array((p) => decodePartition(p, version)),
  }));
  const forgottenTopics =
    version >= 7 ? reader.array((f) => ({ name: f.string(), partitions: f.int32Array() })) : [];
  const rackId = version >= 11 ? reader.string() : '';
  return {
    replicaId,
    maxWaitMs,
    minBytes,
    maxBytes,
    isolationLevel,
    sessionId,
    sessionEpoch,
    topics,
    forgottenTopics,
    rackId,
  };
}

function decodePartition(reader: Reader, version: number): FetchPartitionRequest {
  const partition = reader.int32();
  const currentLeaderEpoch = version >= 9 ? reader.int32() : NO_EPOCH;
  const fetchOffset = reader.int64();
  const logStartOffset = version >= 5 ? reader.int64() : NO_LOG_START_OFFSET;
  const partitionMaxBytes = reader.int32();
  return { partition, currentLeaderEpoch, fetchOffset, logStartOffset, partitionMaxBytes };
}

/**
 * The top-level error is always NONE (per-partition errors carry everything). Last stable
 * offset = high watermark (no transactions) and preferred read replica -1: any other replica id
 * would redirect kafkajs and make librdkafka drop the data. An empty record set is written with
 * size 0, never -1 (librdkafka rejects a negative size).
 */
export function encodeFetchResponse(
  writer: Writer,
  version: number,
  topics: readonly FetchTopicResponse[],
): void {
  writer.int32(NO_THROTTLE_MS);
  if (version >= 7) writer.int16(ErrorCode.NONE).int32(NO_SESSION_ID);
  writer.array(topics, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (pw, p) => {
      const lastStableOffset = p.highWatermark;
      pw.int32(p.partition).int16(p.errorCode).int64(p.highWatermark).int64(lastStableOffset);
      if (version >= 5) pw.int64(p.logStartOffset);
      pw.array(NO_ABORTED_TRANSACTIONS, () => undefined);
      if (version >= 11) pw.int32(NO_PREFERRED_READ_REPLICA);
      pw.bytes(p.records);
    });
  });
}
