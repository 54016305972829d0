import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_LeaveGroup). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   LeaveGroup Request (Version: 0-2) => group_id member_id
 *     group_id => STRING
 *     member_id => STRING
 *   LeaveGroup Request (Version: 3) => group_id [members]
 *     members => member_id group_instance_id
 *       group_instance_id => NULLABLE_STRING
 *
 *   LeaveGroup Response (Version: 0) => error_code
 *     error_code => INT16
 *   LeaveGroup Response (Version: 1-2) => throttle_time_ms error_code
 *     throttle_time_ms => INT32
 *   LeaveGroup Response (Version: 3) => throttle_time_ms error_code [members]
 *     members => member_id group_instance_id error_code
 */

/** v0–2 name one member by id; v3 may name a static member by its instance id alone. */
export interface LeavingMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export interface LeaveGroupRequest {
  readonly groupId: string;
  /** v0–2 name one member; v3 (KIP-345) carries a batch. */
  readonly members: readonly LeavingMember[];
}

export interface LeaveGroupMemberResponse extends LeavingMember {
  readonly errorCode: ErrorCode;
}

/**
 * As Kafka answers: the top-level error covers the group (e.g. COORDINATOR_NOT_AVAILABLE) and
 * each member carries its own. v0–2 have only the top-level field, so their handler reports the
 * single member's error there when the top-level one is NONE.
 */
export interface LeaveGroupResponse {
  readonly errorCode: ErrorCode;
  readonly members: readonly LeaveGroupMemberResponse[];
}

export function decodeLeaveGroupRequest(reader: Reader, version: number): LeaveGroupRequest {
  const groupId = reader.string();
  if (version < 3)
    return { groupId, members: [{ memberId: reader.string(), groupInstanceId: null }] };
  const members = reader.array((m) => ({
    memberId: m.string(),
    groupInstanceId: m.nullableString(),
  }));
  return { groupId, members };
}

export function encodeLeaveGroupResponse(
  writer: Writer,
  version: number,
  response: LeaveGroupResponse,
): void {
  if (version >= 1) writer.int32(NO_THROTTLE_MS);
  writer.int16(response.errorCode);
  if (version < 3) return;
  writer.array(response.members, (w, member) => {
    w.string(member.memberId).nullableString(member.groupInstanceId).int16(member.errorCode);
  });
}
