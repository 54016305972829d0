import { ErrorCode } from '../protocol/error-codes';
import type {
  DescribedGroup,
  JoinGroupProtocol,
  GroupStateName,
  JoinGroupMember,
  JoinGroupResult,
  SyncGroupResult,
} from './group-coordinator.types';
import { type Member, NO_BYTES } from './member';

/** A JoinGroup answer that carries only an error (generation -1, no leader, no members). */
export function joinError(errorCode: ErrorCode, memberId: string): JoinGroupResult {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    memberId,
    members: [],
  };
}

/** A SyncGroup answer that carries only an error. */
export function syncError(errorCode: ErrorCode): SyncGroupResult {
  return { errorCode, assignment: NO_BYTES, protocolType: null, protocolName: null };
}

/**
 * One classic group: its state, generation, members and the bookkeeping of the rebalance in
 * progress. It changes state only when told to; timers and transitions live in the Rebalancer.
 */
export class Group {
  state: GroupStateName = 'Empty';
  generationId = 0;
  /** Set by the first member to join; kept while the group is Empty, as Kafka does. */
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  /** Insertion-ordered: the oldest remaining member takes over when the leader goes. */
  readonly members = new Map<string, Member>();
  /** KIP-394 member ids handed out with MEMBER_ID_REQUIRED, each with its expiry timer. */
  readonly pendingMembers = new Map<string, NodeJS.Timeout>();
  /** Members of the current generation that have not sent their SyncGroup yet. */
  readonly pendingSync = new Set<string>();
  /** Ends the join phase: the rebalance timeout, or the initial delay of a group that was Empty. */
  joinTimer: NodeJS.Timeout | undefined;
  /** Removes members that never sync within the rebalance timeout. */
  syncTimer: NodeJS.Timeout | undefined;
  /** Non-null while the initial rebalance delay of a group that was Empty is running. */
  initialDelay: { newMemberAdded: boolean; remainingMs: number } | null = null;
  private readonly staticMembers = new Map<string, string>();

  constructor(readonly groupId: string) {}

  member(memberId: string): Member | undefined {
    return this.members.get(memberId);
  }

  /** The member id currently registered for a KIP-345 group instance id. */
  staticMemberId(groupInstanceId: string): string | undefined {
    return this.staticMembers.get(groupInstanceId);
  }

  /**
   * Kafka's validateCurrentMember: the member must belong to the group and, when it names a
   * static instance id, that id must be registered to this very member id.
   */
  checkMember(memberId: string, groupInstanceId: string | null): Member | ErrorCode {
    if (groupInstanceId !== null) {
      const current = this.staticMembers.get(groupInstanceId);
      if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (current !== memberId) return ErrorCode.FENCED_INSTANCE_ID;
    }
    return this.members.get(memberId) ?? ErrorCode.UNKNOWN_MEMBER_ID;
  }

  add(member: Member): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.members.set(member.memberId, member);
    if (member.groupInstanceId !== null) {
      this.staticMembers.set(member.groupInstanceId, member.memberId);
    }
    this.leaderId ??= member.memberId;
  }

  remove(memberId: string): void {
    const member = this.members.get(memberId);
    if (!member) return;
    this.members.delete(memberId);
    if (member.groupInstanceId !== null) this.staticMembers.delete(member.groupInstanceId);
    this.pendingSync.delete(memberId);
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value ?? null;
  }

  /** KIP-345: a restarted static member takes over its predecessor's place and assignment. */
  replaceStaticMember(previous: Member, replacement: Member): void {
    replacement.assignment = previous.assignment;
    this.members.delete(previous.memberId);
    this.members.set(replacement.memberId, replacement);
    if (replacement.groupInstanceId !== null) {
      this.staticMembers.set(replacement.groupInstanceId, replacement.memberId);
    }
    if (this.pendingSync.delete(previous.memberId)) this.pendingSync.add(replacement.memberId);
    if (this.leaderId === previous.memberId) this.leaderId = replacement.memberId;
  }

  /**
   * Kafka's `supportsProtocols`: a joining member must use the group's protocol type and share at
   * least one protocol with every other member, so the group always keeps a common protocol.
   */
  acceptsProtocols(
    protocolType: string,
    protocols: readonly JoinGroupProtocol[],
    memberId: string,
  ): boolean {
    if (protocolType === '' || protocols.length === 0) return false;
    if (this.members.size === 0) return true;
    if (protocolType !== this.protocolType) return false;
    const others = [...this.members.values()].filter((member) => member.memberId !== memberId);
    return protocols.some((protocol) => others.every((member) => member.supports(protocol.name)));
  }

  /** True when every member has a JoinGroup parked and no KIP-394 id is still outstanding. */
  allMembersJoined(): boolean {
    if (this.pendingMembers.size > 0) return false;
    return [...this.members.values()].every((member) => member.isAwaitingJoin);
  }

  /** The group's rebalance timeout: the largest of its members'. */
  rebalanceTimeoutMs(): number {
    let timeout = 0;
    for (const member of this.members.values()) {
      timeout = Math.max(timeout, member.rebalanceTimeoutMs);
    }
    return timeout;
  }

  /** Starts the next generation once the join phase is over (Kafka's `initNextGeneration`). */
  initNextGeneration(): void {
    this.generationId += 1;
    this.pendingSync.clear();
    if (this.members.size === 0) {
      this.state = 'Empty';
      this.protocolName = null;
      return;
    }
    this.protocolName = this.selectProtocol();
    this.state = 'CompletingRebalance';
    for (const memberId of this.members.keys()) this.pendingSync.add(memberId);
  }

  /**
   * Each member votes for its most preferred protocol among those every member supports; the
   * most voted wins, ties going to the leader's preference.
   */
  selectProtocol(): string | null {
    const members = [...this.members.values()];
    const leader = this.leaderId === null ? members[0] : this.members.get(this.leaderId);
    const preference = (leader ?? members[0]).protocols.map((protocol) => protocol.name);
    const candidates = new Set(preference.filter((name) => members.every((m) => m.supports(name))));
    const votes = new Map<string, number>();
    for (const member of members) {
      const choice = member.vote(candidates);
      if (choice !== undefined) votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let selected: string | null = null;
    for (const name of candidates) {
      if (selected === null || (votes.get(name) ?? 0) > (votes.get(selected) ?? 0)) selected = name;
    }
    return selected;
  }

  /**
   * The successful JoinGroup answer for a member of the current generation. The member list goes
   * only to the member named as leader; `leader` differs from the real leader id only for a static
   * member replaced while Stable (see GroupCoordinator.join).
   */
  joinResult(member: Member, leader: string = this.leaderId ?? ''): JoinGroupResult {
    return {
      errorCode: ErrorCode.NONE,
      generationId: this.generationId,
      protocolType: this.protocolType,
      protocolName: this.protocolName,
      leader,
      memberId: member.memberId,
      members: member.memberId === leader ? this.memberList() : [],
    };
  }

  syncResult(member: Member): SyncGroupResult {
    return {
      errorCode: ErrorCode.NONE,
      assignment: member.assignment,
      protocolType: this.protocolType,
      protocolName: this.protocolName,
    };
  }

  /** Kafka's group summary: metadata and assignments only for a Stable group. */
  describe(): DescribedGroup {
    const stable = this.state === 'Stable';
    return {
      groupId: this.groupId,
      errorCode: ErrorCode.NONE,
      state: this.state,
      protocolType: this.protocolType ?? '',
      protocolName: stable ? (this.protocolName ?? '') : '',
      members: [...this.members.values()].map((member) => ({
        memberId: member.memberId,
        groupInstanceId: member.groupInstanceId,
        clientId: member.clientId,
        clientHost: member.clientHost,
        metadata: stable ? member.metadataFor(this.protocolName) : NO_BYTES,
        assignment: stable ? member.assignment : NO_BYTES,
      })),
    };
  }

  private memberList(): JoinGroupMember[] {
    return [...this.members.values()].map((member) => ({
      memberId: member.memberId,
      groupInstanceId: member.groupInstanceId,
      metadata: member.metadataFor(this.protocolName),
    }));
  }
}
