import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_JoinGroup). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   JoinGroup Request (Version: 0) => group_id session_timeout_ms member_id protocol_type
 *       [protocols]
 *     group_id => STRING
 *     session_timeout_ms => INT32
 *     member_id => STRING
 *     protocol_type => STRING
 *     protocols => name metadata
 *       name => STRING
 *       metadata => BYTES
 *   JoinGroup Request (Version: 1-4) => group_id session_timeout_ms rebalance_timeout_ms
 *       member_id protocol_type [protocols]
 *     rebalance_timeout_ms => INT32
 *   JoinGroup Request (Version: 5) => group_id session_timeout_ms rebalance_timeout_ms
 *       member_id group_instance_id protocol_type [protocols]
 *     group_instance_id => NULLABLE_STRING
 *
 *   JoinGroup Response (Version: 0-1) => error_code generation_id protocol_name leader
 *       member_id [members]
 *     error_code => INT16
 *     generation_id => INT32
 *     protocol_name => STRING
 *     leader => STRING
 *     member_id => STRING
 *     members => member_id metadata
 *       member_id => STRING
 *       metadata => BYTES
 *   JoinGroup Response (Version: 2-4) => throttle_time_ms error_code generation_id
 *       protocol_name leader member_id [members]
 *     throttle_time_ms => INT32
 *   JoinGroup Response (Version: 5) => throttle_time_ms error_code generation_id
 *       protocol_name leader member_id [members]
 *     members => member_id group_instance_id metadata
 *       group_instance_id => NULLABLE_STRING
 */

export interface JoinGroupProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

export interface JoinGroupRequest {
  readonly groupId: string;
  readonly sessionTimeoutMs: number;
  /** v0 has no rebalance timeout: the session timeout stands in for it, as in Apache Kafka. */
  readonly rebalanceTimeoutMs: number;
  /** Empty string for a member that has no id yet. */
  readonly memberId: string;
  /** KIP-345 static membership id (v5+), null for dynamic members. */
  readonly groupInstanceId: string | null;
  readonly protocolType: string;
  readonly protocols: readonly JoinGroupProtocol[];
}

export interface JoinGroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly metadata: Buffer;
}

export interface JoinGroupResponse {
  readonly errorCode: ErrorCode;
  readonly generationId: number;
  readonly protocolName: string;
  readonly leader: string;
  readonly memberId: string;
  /** Filled for the leader only; followers get []. */
  readonly members: readonly JoinGroupMember[];
}

export function decodeJoinGroupRequest(reader: Reader, version: number): JoinGroupRequest {
  const groupId = reader.string();
  const sessionTimeoutMs = reader.int32();
  const rebalanceTimeoutMs = version >= 1 ? reader.int32() : sessionTimeoutMs;
  const memberId = reader.string();
  const groupInstanceId = version >= 5 ? reader.nullableString() : null;
  const protocolType = reader.string();
  const protocols = reader.array((p) => ({ name: p.string(), metadata: copy(p.bytes()) }));
  return {
    groupId,
    sessionTimeoutMs,
    rebalanceTimeoutMs,
    memberId,
    groupInstanceId,
    protocolType,
    protocols,
  };
}

/** Group state outlives the request frame, so its bytes are copied out of it. */
function copy(bytes: Buffer): Buffer {
  return Buffer.from(bytes);
}

export function encodeJoinGroupResponse(
  writer: Writer,
  version: number,
  response: JoinGroupResponse,
): void {
  if (version >= 2) writer.int32(NO_THROTTLE_MS);
  writer.int16(response.errorCode).int32(response.generationId);
  writer.string(response.protocolName).string(response.leader).string(response.memberId);
  writer.array(response.members, (w, member) => {
    w.string(member.memberId);
    if (version >= 5) w.nullableString(member.groupInstanceId);
    w.bytes(member.metadata);
  });
}
