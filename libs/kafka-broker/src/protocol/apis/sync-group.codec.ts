import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_SyncGroup). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   SyncGroup Request (Version: 0-2) => group_id generation_id member_id [assignments]
 *     group_id => STRING
 *     generation_id => INT32
 *     member_id => STRING
 *     assignments => member_id assignment
 *       member_id => STRING
 *       assignment => BYTES
 *   SyncGroup Request (Version: 3) => group_id generation_id member_id group_instance_id
 *       [assignments]
 *     group_instance_id => NULLABLE_STRING
 *
 *   SyncGroup Response (Version: 0) => error_code assignment
 *     error_code => INT16
 *     assignment => BYTES
 *   SyncGroup Response (Version: 1-3) => throttle_time_ms error_code assignment
 *     throttle_time_ms => INT32
 */

export interface SyncGroupAssignment {
  readonly memberId: string;
  /** Opaque to the broker: never interpreted, handed back to the member as is. */
  readonly assignment: Buffer;
}

export interface SyncGroupRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** Only the leader sends assignments; followers send []. */
  readonly assignments: readonly SyncGroupAssignment[];
}

export interface SyncGroupResponse {
  readonly errorCode: ErrorCode;
  readonly assignment: Buffer;
}

export function decodeSyncGroupRequest(reader: Reader, version: number): SyncGroupRequest {
  const groupId = reader.string();
  const generationId = reader.int32();
  const memberId = reader.string();
  const groupInstanceId = version >= 3 ? reader.nullableString() : null;
  const assignments = reader.array((a) => ({
    memberId: a.string(),
    assignment: Buffer.from(a.bytes()),
  }));
  return { groupId, generationId, memberId, groupInstanceId, assignments };
}

export function encodeSyncGroupResponse(
  writer: Writer,
  version: number,
  response: SyncGroupResponse,
): void {
  if (version >= 1) writer.int32(NO_THROTTLE_MS);
  writer.int16(response.errorCode).bytes(response.assignment);
}
