import pino, { type Logger } from 'pino';
import { isRetriable } from '../errors';
import { ErrorCode } from '../protocol/error-codes';
import type { CommittedOffsetStore, OffsetCommitEntry } from './committed-offset-store';
import { Group, joinError, syncError } from './group';
import { GroupJoiner } from './group-joiner';
import { GroupRegistry } from './group-registry';
import type {
  DeletedGroup,
  DescribedGroup,
  FetchedOffset,
  HeartbeatRequest,
  MemberJoinRequest,
  JoinGroupResult,
  LeaveGroupRequest,
  LeaveGroupResponse,
  LeavingMember,
  ListedGroup,
  OffsetCommitPartitionResult,
  OffsetCommitRequest,
  SyncGroupRequest,
  SyncGroupResult,
  TopicPartition,
} from './group-coordinator.types';
import type { Member } from './member';
import { Rebalancer } from './rebalancer';

/** Kafka's group.min.session.timeout.ms and group.max.session.timeout.ms defaults. */
const DEFAULT_MIN_SESSION_TIMEOUT_MS = 6000;
const DEFAULT_MAX_SESSION_TIMEOUT_MS = 1_800_000;
/** Kafka's offset.metadata.max.bytes default. */
const DEFAULT_MAX_OFFSET_METADATA_CHARS = 4096;

export interface GroupCoordinatorOptions {
  offsets: CommittedOffsetStore;
  /** Kafka's group.initial.rebalance.delay.ms (3000 there); keep it near 0 in tests. */
  initialRebalanceDelayMs: number;
  minSessionTimeoutMs?: number;
  maxSessionTimeoutMs?: number;
  /** Longer commit metadata is refused with OFFSET_METADATA_TOO_LARGE. */
  maxOffsetMetadataChars?: number;
  logger?: Logger;
}

/**
 * The classic-protocol group coordinator (JoinGroup, SyncGroup, Heartbeat, LeaveGroup,
 * OffsetCommit, OffsetFetch, DescribeGroups, ListGroups, DeleteGroups) of a single-node broker,
 * modelled on Apache Kafka's GroupCoordinator.scala. Requests arrive decoded; metadata and
 * assignments stay opaque. Group membership lives in memory only: after a restart members get
 * UNKNOWN_MEMBER_ID and rejoin, while committed offsets come back from the offset store.
 */
export class GroupCoordinator {
  private readonly registry: GroupRegistry;
  private readonly joiner: GroupJoiner;
  private readonly rebalancer: Rebalancer;
  private readonly offsets: CommittedOffsetStore;
  private readonly logger: Logger;
  private readonly minSessionTimeoutMs: number;
  private readonly maxSessionTimeoutMs: number;
  private readonly maxOffsetMetadataChars: number;
  private closed = false;

  constructor(options: GroupCoordinatorOptions) {
    this.offsets = options.offsets;
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.minSessionTimeoutMs = options.minSessionTimeoutMs ?? DEFAULT_MIN_SESSION_TIMEOUT_MS;
    this.maxSessionTimeoutMs = options.maxSessionTimeoutMs ?? DEFAULT_MAX_SESSION_TIMEOUT_MS;
    this.maxOffsetMetadataChars =
      options.maxOffsetMetadataChars ?? DEFAULT_MAX_OFFSET_METADATA_CHARS;
    this.rebalancer = new Rebalancer({
      initialRebalanceDelayMs: options.initialRebalanceDelayMs,
      logger: this.logger,
    });
    this.registry = new GroupRegistry(this.offsets);
    this.joiner = new GroupJoiner(this.registry, this.rebalancer);
  }

  /**
   * JoinGroup. Resolves when the join phase ends, which may take up to the group's rebalance
   * timeout. A v4+ join without a member id (and without a group instance id) is answered at
   * once with MEMBER_ID_REQUIRED and the id to rejoin with (KIP-394).
   */
  join(request: MemberJoinRequest): Promise<JoinGroupResult> {
    return new Promise((resolve) => {
      const error = this.checkJoin(request);
      if (error !== undefined) resolve(joinError(error, request.memberId));
      else this.joiner.join(request, resolve);
    });
  }

  /** SyncGroup. Followers wait for the leader's assignments; a new rebalance answers them 27. */
  sync(request: SyncGroupRequest): Promise<SyncGroupResult> {
    return new Promise((resolve) => {
      const { error, group, member } = this.locateMember(request);
      if (error !== undefined) return resolve(syncError(error));
      this.rebalancer.touch(group, member);
      switch (group.state) {
        case 'PreparingRebalance':
          return resolve(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
        case 'CompletingRebalance':
          this.rebalancer.parkSync(group, member, resolve);
          this.rebalancer.markSynced(group, member.memberId);
          if (group.leaderId === member.memberId) {
            this.rebalancer.stabilize(group, request.assignments);
          }
          return;
        case 'Stable':
          this.rebalancer.markSynced(group, member.memberId);
          return resolve(group.syncResult(member));
        case 'Empty':
        case 'Dead':
          return resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
      }
    });
  }

  /** Heartbeat; returns the error code. It keeps the member's session alive whatever the state. */
  heartbeat(request: HeartbeatRequest): ErrorCode {
    const { error, group, member } = this.locateMember(request);
    if (error !== undefined) return error;
    this.rebalancer.touch(group, member);
    switch (group.state) {
      case 'PreparingRebalance':
        return ErrorCode.REBALANCE_IN_PROGRESS;
      case 'CompletingRebalance':
      case 'Stable':
        return ErrorCode.NONE;
      case 'Empty':
      case 'Dead':
        return ErrorCode.UNKNOWN_MEMBER_ID;
    }
  }

  /** LeaveGroup; v3 clients may name static members by group instance id only. */
  leave(request: LeaveGroupRequest): LeaveGroupResponse {
    const topLevel = this.closed
      ? ErrorCode.COORDINATOR_NOT_AVAILABLE
      : request.groupId === ''
        ? ErrorCode.INVALID_GROUP_ID
        : undefined;
    if (topLevel !== undefined) {
      return {
        errorCode: topLevel,
        members: request.members.map((m) => ({ ...m, errorCode: topLevel })),
      };
    }
    const group = this.registry.find(request.groupId);
    return {
      errorCode: ErrorCode.NONE,
      members: request.members.map((leaving) => ({
        ...leaving,
        errorCode: group ? this.leaveOne(group, leaving) : ErrorCode.UNKNOWN_MEMBER_ID,
      })),
    };
  }

  /**
   * OffsetCommit. Resolves once the accepted offsets are durable in the offset store. A commit
   * with generation -1 and no member id comes from outside group management and is accepted
   * only while the group has no members (creating it Empty if needed).
   */
  async commitOffsets(request: OffsetCommitRequest): Promise<OffsetCommitPartitionResult[]> {
    const error = this.checkCommit(request);
    const tooLarge = (metadata: string | null): boolean =>
      metadata !== null && metadata.length > this.maxOffsetMetadataChars;
    const offsets: OffsetCommitEntry[] = request.topics.flatMap((topic) =>
      topic.partitions.map(({ partition, offset, metadata }) => ({
        topic: topic.name,
        partition,
        offset,
        metadata,
      })),
    );
    const accepted = offsets.filter((offset) => !tooLarge(offset.metadata));
    let stored: ErrorCode = error;
    if (error === ErrorCode.NONE && accepted.length > 0) {
      stored = await this.offsets.commit(request.groupId, accepted).then(
        () => ErrorCode.NONE,
        (cause: unknown) => {
          this.logger.error({ err: cause, groupId: request.groupId }, 'offset commit failed');
          return storeFailureCode(cause);
        },
      );
    }
    return offsets.map(({ topic, partition, metadata }) => ({
      topic,
      partition,
      errorCode:
        error === ErrorCode.NONE && tooLarge(metadata)
          ? ErrorCode.OFFSET_METADATA_TOO_LARGE
          : stored,
    }));
  }

  /** OffsetFetch: -1 and "" for partitions without a commit; `null` means every committed one. */
  fetchOffsets(groupId: string, partitions: TopicPartition[] | null): FetchedOffset[] {
    const errorCode = this.closed ? ErrorCode.COORDINATOR_NOT_AVAILABLE : ErrorCode.NONE;
    const wanted = partitions ?? (this.closed ? [] : this.offsets.list(groupId));
    return wanted.map(({ topic, partition }) => {
      const committed = this.closed ? undefined : this.offsets.get(groupId, topic, partition);
      return {
        topic,
        partition,
        offset: committed?.offset ?? -1,
        metadata: committed?.metadata ?? '',
        errorCode,
      };
    });
  }

  /** DescribeGroups; an unknown group is reported as Dead with no error, as Kafka does. */
  describeGroups(groupIds: string[]): DescribedGroup[] {
    return groupIds.map((groupId) => {
      const group = this.closed ? undefined : this.registry.find(groupId);
      if (group !== undefined) return group.describe();
      return {
        groupId,
        errorCode: this.closed ? ErrorCode.COORDINATOR_NOT_AVAILABLE : ErrorCode.NONE,
        state: 'Dead',
        protocolType: '',
        protocolName: '',
        members: [],
      };
    });
  }

  /** ListGroups: live groups and groups known only by their committed offsets. */
  listGroups(): ListedGroup[] {
    return this.closed ? [] : this.registry.list();
  }

  /** DeleteGroups: only Empty groups go, together with their committed offsets. */
  deleteGroups(groupIds: string[]): Promise<DeletedGroup[]> {
    return Promise.all(
      groupIds.map(async (groupId) => ({ groupId, errorCode: await this.deleteGroup(groupId) })),
    );
  }

  /**
   * Stops every timer and answers parked JoinGroup/SyncGroup requests with
   * COORDINATOR_NOT_AVAILABLE; later calls get the same error. The offset store stays open: its
   * owner closes it.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const group of this.registry.drain()) {
      this.rebalancer.dispose(group, ErrorCode.COORDINATOR_NOT_AVAILABLE);
    }
  }

  private checkJoin(request: MemberJoinRequest): ErrorCode | undefined {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (request.groupId === '') return ErrorCode.INVALID_GROUP_ID;
    if (
      request.sessionTimeoutMs < this.minSessionTimeoutMs ||
      request.sessionTimeoutMs > this.maxSessionTimeoutMs
    ) {
      return ErrorCode.INVALID_SESSION_TIMEOUT;
    }
    return undefined;
  }

  private leaveOne(group: Group, leaving: LeavingMember): ErrorCode {
    // LeaveGroup v3 may name a static member by its instance id alone (KIP-345).
    const memberId =
      leaving.memberId === '' && leaving.groupInstanceId !== null
        ? (group.staticMemberId(leaving.groupInstanceId) ?? '')
        : leaving.memberId;
    if (group.pendingMembers.has(memberId)) {
      this.rebalancer.removePendingMember(group, memberId, true);
      return ErrorCode.NONE;
    }
    const member = group.checkMember(memberId, leaving.groupInstanceId);
    if (typeof member === 'number') return member;
    this.rebalancer.removeMember(group, member, 'member left the group');
    return ErrorCode.NONE;
  }

  /**
   * Which OffsetCommit is accepted in which group state (the "Groups" compatibility notes in the
   * broker README); touches the committing member's session on success.
   */
  private checkCommit(request: OffsetCommitRequest): ErrorCode {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (request.groupId === '') return ErrorCode.INVALID_GROUP_ID;
    const group = this.registry.find(request.groupId);
    if (group === undefined) {
      if (request.generationId >= 0) return ErrorCode.ILLEGAL_GENERATION;
      this.registry.add(new Group(request.groupId));
      return ErrorCode.NONE;
    }
    const fromOutside =
      request.generationId < 0 && request.memberId === '' && request.groupInstanceId === null;
    if (fromOutside) return group.state === 'Empty' ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
    const { error, member } = this.locateMember(request);
    if (error !== undefined) return error;
    switch (group.state) {
      case 'CompletingRebalance':
        return ErrorCode.REBALANCE_IN_PROGRESS;
      case 'PreparingRebalance':
      case 'Stable':
        this.rebalancer.touch(group, member);
        return ErrorCode.NONE;
      case 'Empty':
        return ErrorCode.NONE;
      case 'Dead':
        return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    }
  }

  /**
   * Common checks of Heartbeat, SyncGroup and OffsetCommit: the group exists, the member (and
   * its static instance id) belongs to it and the generation is current.
   */
  private locateMember(request: {
    groupId: string;
    generationId: number;
    memberId: string;
    groupInstanceId: string | null;
  }):
    | { error: ErrorCode; group?: undefined; member?: undefined }
    | { error: undefined; group: Group; member: Member } {
    if (this.closed) return { error: ErrorCode.COORDINATOR_NOT_AVAILABLE };
    if (request.groupId === '') return { error: ErrorCode.INVALID_GROUP_ID };
    const group = this.registry.find(request.groupId);
    if (group === undefined) return { error: ErrorCode.UNKNOWN_MEMBER_ID };
    const member = group.checkMember(request.memberId, request.groupInstanceId);
    if (typeof member === 'number') return { error: member };
    if (request.generationId !== group.generationId) return { error: ErrorCode.ILLEGAL_GENERATION };
    return { error: undefined, group, member };
  }

  private async deleteGroup(groupId: string): Promise<ErrorCode> {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const group = this.registry.find(groupId);
    if (group === undefined) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (group.state !== 'Empty') return ErrorCode.NON_EMPTY_GROUP;
    this.rebalancer.dispose(group, ErrorCode.UNKNOWN_MEMBER_ID);
    this.registry.delete(groupId);
    return this.offsets.deleteGroup(groupId).then(
      () => ErrorCode.NONE,
      (cause: unknown) => {
        this.logger.error({ err: cause, groupId }, 'deleting committed offsets failed');
        return storeFailureCode(cause);
      },
    );
  }
}

/**
 * What a client is told when the offset store fails: COORDINATOR_NOT_AVAILABLE makes it retry
 * (as Kafka answers a failed append to its offsets topic), while a store that refuses every
 * further write answers UNKNOWN_SERVER_ERROR, so clients stop retrying what cannot succeed.
 */
function storeFailureCode(cause: unknown): ErrorCode {
  return isRetriable(cause) ? ErrorCode.COORDINATOR_NOT_AVAILABLE : ErrorCode.UNKNOWN_SERVER_ERROR;
}
