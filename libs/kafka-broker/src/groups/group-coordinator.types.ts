import type { ErrorCode } from '../protocol/error-codes';

/** Group states, spelled exactly as Kafka's DescribeGroups and ListGroups report them. */
export type GroupStateName =
  'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/** One entry of a JoinGroup `protocols` array; the metadata bytes are opaque to the broker. */
export interface GroupProtocol {
  name: string;
  metadata: Buffer;
}

/** A decoded JoinGroup request (all versions). */
export interface JoinGroupRequest {
  groupId: string;
  /** Empty string for a member that has no id yet. */
  memberId: string;
  /** KIP-345 static membership id (v5+), null for dynamic members. */
  groupInstanceId: string | null;
  sessionTimeoutMs: number;
  /** v0 has no rebalance timeout: the caller passes the session timeout instead. */
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
  clientId: string;
  clientHost: string;
  /** True for JoinGroup v4+ (KIP-394): an empty member id is answered with MEMBER_ID_REQUIRED. */
  requireKnownMemberId: boolean;
}

/** One entry of the member list that only the leader receives. */
export interface JoinGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface JoinGroupResult {
  errorCode: ErrorCode;
  generationId: number;
  /** JoinGroup v7+ field; older versions ignore it. */
  protocolType: string | null;
  /** Null on errors; versions before v7 encode it as an empty string. */
  protocolName: string | null;
  leader: string;
  memberId: string;
  members: JoinGroupMember[];
}

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** Sent by the leader only; followers send an empty array. */
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface SyncGroupResult {
  errorCode: ErrorCode;
  assignment: Buffer;
  /** SyncGroup v5+ fields; older versions ignore them. */
  protocolType: string | null;
  protocolName: string | null;
}

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

/** An identity in a LeaveGroup request: v0–2 send one member id, v3 a batch (static members may send an empty member id). */
export interface LeavingMember {
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeaveGroupRequest {
  groupId: string;
  members: LeavingMember[];
}

/**
 * As Kafka answers: the top-level error covers the group (e.g. COORDINATOR_NOT_AVAILABLE) and
 * each member carries its own. LeaveGroup v0–2 have only the top-level field, so a v0–2 encoder
 * should send the single member's error when the top-level one is NONE.
 */
export interface LeaveGroupResult {
  errorCode: ErrorCode;
  members: (LeavingMember & { errorCode: ErrorCode })[];
}

export interface OffsetCommitRequest {
  groupId: string;
  /** -1 together with an empty member id marks a "simple" commit from outside group management. */
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  offsets: { topic: string; partition: number; offset: number; metadata: string | null }[];
}

export interface OffsetCommitPartitionResult {
  topic: string;
  partition: number;
  errorCode: ErrorCode;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface FetchedOffset {
  topic: string;
  partition: number;
  /** -1 when nothing was committed. */
  offset: number;
  metadata: string;
  errorCode: ErrorCode;
}

export interface DescribedMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** The member's metadata for the selected protocol; empty unless the group is Stable (as Kafka does). */
  metadata: Buffer;
  /** Empty unless the group is Stable. */
  assignment: Buffer;
}

export interface DescribedGroup {
  groupId: string;
  errorCode: ErrorCode;
  state: GroupStateName;
  protocolType: string;
  /** The selected protocol when Stable, otherwise an empty string (Kafka's "NoProtocol"). */
  protocolName: string;
  members: DescribedMember[];
}

export interface ListedGroup {
  groupId: string;
  /** Empty string for groups that only ever received simple commits. */
  protocolType: string;
  state: GroupStateName;
}

export interface DeletedGroup {
  groupId: string;
  errorCode: ErrorCode;
}
