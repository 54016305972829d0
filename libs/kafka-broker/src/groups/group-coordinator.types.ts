import type { JoinGroupRequest, JoinGroupResponse } from '../protocol/apis/join-group.codec';
import type { SyncGroupResponse } from '../protocol/apis/sync-group.codec';
import type { ErrorCode } from '../protocol/error-codes';

/** Group states, spelled exactly as Kafka's DescribeGroups and ListGroups report them. */
export type GroupStateName =
  'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/**
 * The coordinator takes requests as their codecs decode them: the wire types are declared once,
 * in protocol/apis, and only what the connection adds is declared here.
 */
export type { HeartbeatRequest } from '../protocol/apis/heartbeat.codec';
export type { JoinGroupMember, JoinGroupProtocol } from '../protocol/apis/join-group.codec';
export type {
  LeaveGroupMemberResponse,
  LeaveGroupRequest,
  LeaveGroupResponse,
  LeavingMember,
} from '../protocol/apis/leave-group.codec';
export type { OffsetCommitRequest } from '../protocol/apis/offset-commit.codec';
export type { SyncGroupAssignment, SyncGroupRequest } from '../protocol/apis/sync-group.codec';

/** A decoded JoinGroup (all versions) with what only the member's connection knows. */
export interface MemberJoinRequest extends JoinGroupRequest {
  readonly clientId: string;
  readonly clientHost: string;
  /** True for JoinGroup v4+ (KIP-394): an empty member id is answered with MEMBER_ID_REQUIRED. */
  readonly requireKnownMemberId: boolean;
}

export interface JoinGroupResult extends Omit<JoinGroupResponse, 'protocolName'> {
  /** JoinGroup v7+ field; older versions ignore it. */
  protocolType: string | null;
  /** Null on errors; versions before v7 encode it as an empty string. */
  protocolName: string | null;
}

export interface SyncGroupResult extends SyncGroupResponse {
  /** SyncGroup v5+ fields; older versions ignore them. */
  protocolType: string | null;
  protocolName: string | null;
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
