import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';

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
  if (version >= 2) writer.int32(0);
  writer.int16(response.errorCode).int32(response.generationId);
  writer.string(response.protocolName).string(response.leader).string(response.memberId);
  writer.array(response.members, (w, member) => {
    w.string(member.memberId);
    if (version >= 5) w.nullableString(member.groupInstanceId);
    w.bytes(member.metadata);
  });
}
