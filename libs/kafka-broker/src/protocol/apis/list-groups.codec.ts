import type { ErrorCode } from '../error-codes';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_ListGroups). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   ListGroups Request (Version: 0-2) =>
 *
 *   ListGroups Response (Version: 0) => error_code [groups]
 *     error_code => INT16
 *     groups => group_id protocol_type
 *       group_id => STRING
 *       protocol_type => STRING
 *   ListGroups Response (Version: 1-2) => throttle_time_ms error_code [groups]
 *     throttle_time_ms => INT32
 */

export interface ListedGroup {
  readonly groupId: string;
  readonly protocolType: string;
}

/** The request body of versions 0–2 is empty. v1 adds the throttle time. */
export function encodeListGroupsResponse(
  writer: Writer,
  version: number,
  errorCode: ErrorCode,
  groups: readonly ListedGroup[],
): void {
  if (version >= 1) writer.int32(NO_THROTTLE_MS);
  writer.int16(errorCode);
  writer.array(groups, (w, group) => w.string(group.groupId).string(group.protocolType));
}
