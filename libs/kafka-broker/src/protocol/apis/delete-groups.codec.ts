import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_DeleteGroups). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   DeleteGroups Request (Version: 0-1) => [groups_names]
 *     groups_names => STRING
 *
 *   DeleteGroups Response (Version: 0-1) => throttle_time_ms [results]
 *     throttle_time_ms => INT32
 *     results => group_id error_code
 *       group_id => STRING
 *       error_code => INT16
 */

export interface DeleteGroupResult {
  readonly groupId: string;
  readonly errorCode: ErrorCode;
}

export function decodeDeleteGroupsRequest(reader: Reader): { groups: string[] } {
  return { groups: reader.stringArray() };
}

/** Versions 0–1 share a layout. */
export function encodeDeleteGroupsResponse(
  writer: Writer,
  results: readonly DeleteGroupResult[],
): void {
  writer.int32(NO_THROTTLE_MS);
  writer.array(results, (w, result) => w.string(result.groupId).int16(result.errorCode));
}
