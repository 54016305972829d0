import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_DeleteTopics). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   DeleteTopics Request (Version: 0-3) => [topic_names] timeout_ms
 *     topic_names => STRING
 *     timeout_ms => INT32
 *
 *   DeleteTopics Response (Version: 0) => [responses]
 *     responses => name error_code
 *       name => STRING
 *       error_code => INT16
 *   DeleteTopics Response (Version: 1-3) => throttle_time_ms [responses]
 *     throttle_time_ms => INT32
 */

export interface DeleteTopicResult {
  readonly name: string;
  readonly errorCode: ErrorCode;
}

/** Versions 0–3 share a layout. */
export function decodeDeleteTopicsRequest(reader: Reader): { names: string[]; timeoutMs: number } {
  const names = reader.stringArray();
  return { names, timeoutMs: reader.int32() };
}

/** v1 adds the throttle time; v2 and v3 change nothing on the wire. */
export function encodeDeleteTopicsResponse(
  writer: Writer,
  version: number,
  results: readonly DeleteTopicResult[],
): void {
  if (version >= 1) writer.int32(NO_THROTTLE_MS);
  writer.array(results, (w, result) => w.string(result.name).int16(result.errorCode));
}
