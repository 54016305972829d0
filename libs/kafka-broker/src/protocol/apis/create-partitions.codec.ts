import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_CreatePartitions). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   CreatePartitions Request (Version: 0-1) => [topics] timeout_ms validate_only
 *     topics => name count [assignments]
 *       name => STRING
 *       count => INT32
 *       assignments => [broker_ids]
 *         broker_ids => INT32
 *     timeout_ms => INT32
 *     validate_only => BOOLEAN
 *
 *   CreatePartitions Response (Version: 0-1) => throttle_time_ms [results]
 *     throttle_time_ms => INT32
 *     results => name error_code error_message
 *       name => STRING
 *       error_code => INT16
 *       error_message => NULLABLE_STRING
 */

export interface CreatePartitionsTopic {
  readonly name: string;
  /** The new total partition count. */
  readonly count: number;
  /** Broker ids per new partition; null (or empty, as kafkajs sends it) lets the broker choose. */
  readonly assignments: readonly number[][] | null;
}

export interface CreatePartitionsRequest {
  readonly topics: readonly CreatePartitionsTopic[];
  readonly timeoutMs: number;
  readonly validateOnly: boolean;
}

export interface CreatePartitionsResult {
  readonly name: string;
  readonly errorCode: ErrorCode;
  readonly errorMessage: string | null;
}

/** Versions 0–1 share a layout. */
export function decodeCreatePartitionsRequest(reader: Reader): CreatePartitionsRequest {
  const topics = reader.array((t) => {
    const name = t.string();
    const count = t.int32();
    const assignments = t.nullableArray((a) => a.int32Array());
    return { name, count, assignments };
  });
  const timeoutMs = reader.int32();
  return { topics, timeoutMs, validateOnly: reader.boolean() };
}

export function encodeCreatePartitionsResponse(
  writer: Writer,
  results: readonly CreatePartitionsResult[],
): void {
  writer.int32(NO_THROTTLE_MS);
  writer.array(results, (w, result) => {
    w.string(result.name).int16(result.errorCode).nullableString(result.errorMessage);
  });
}
