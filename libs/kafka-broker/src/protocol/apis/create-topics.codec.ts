import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_CreateTopics). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   CreateTopics Request (Version: 0) => [topics] timeout_ms
 *     topics => name num_partitions replication_factor [assignments] [configs]
 *       name => STRING
 *       num_partitions => INT32
 *       replication_factor => INT16
 *       assignments => partition_index [broker_ids]
 *         partition_index => INT32
 *         broker_ids => INT32
 *       configs => name value
 *         name => STRING
 *         value => NULLABLE_STRING
 *     timeout_ms => INT32
 *   CreateTopics Request (Version: 1-4) => [topics] timeout_ms validate_only
 *     validate_only => BOOLEAN
 *
 *   CreateTopics Response (Version: 0) => [topics]
 *     topics => name error_code
 *       name => STRING
 *       error_code => INT16
 *   CreateTopics Response (Version: 1) => [topics]
 *     topics => name error_code error_message
 *       error_message => NULLABLE_STRING
 *   CreateTopics Response (Version: 2-4) => throttle_time_ms [topics]
 *     throttle_time_ms => INT32
 */

export interface CreatableTopic {
  readonly name: string;
  /** -1 means the broker default (kafkajs sends -1 unless the caller sets a count). */
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly assignments: readonly { partition: number; brokerIds: number[] }[];
  readonly configs: Readonly<Record<string, string | null>>;
}

export interface CreateTopicsRequest {
  readonly topics: readonly CreatableTopic[];
  readonly timeoutMs: number;
  readonly validateOnly: boolean;
}

export interface CreateTopicResult {
  readonly name: string;
  readonly errorCode: ErrorCode;
  readonly errorMessage: string | null;
}

/** Versions 0–4 share a layout; v1 adds validate_only. */
export function decodeCreateTopicsRequest(reader: Reader, version: number): CreateTopicsRequest {
  const topics = reader.array((t) => ({
    name: t.string(),
    numPartitions: t.int32(),
    replicationFactor: t.int16(),
    assignments: t.array((a) => ({ partition: a.int32(), brokerIds: a.int32Array() })),
    configs: Object.fromEntries(t.array((c) => [c.string(), c.nullableString()] as const)),
  }));
  const timeoutMs = reader.int32();
  const validateOnly = version >= 1 ? reader.boolean() : false;
  return { topics, timeoutMs, validateOnly };
}

/** v1 adds error_message, v2 the throttle time. */
export function encodeCreateTopicsResponse(
  writer: Writer,
  version: number,
  results: readonly CreateTopicResult[],
): void {
  if (version >= 2) writer.int32(NO_THROTTLE_MS);
  writer.array(results, (w, result) => {
    w.string(result.name).int16(result.errorCode);
    if (version >= 1) w.nullableString(result.errorMessage);
  });
}
