import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/error-codes';
import { type Group, joinError } from './group';
import type { MemberJoinRequest, JoinGroupResult } from './group-coordinator.types';
import type { GroupRegistry } from './group-registry';
import { Member } from './member';
import type { Rebalancer } from './rebalancer';

type JoinWaiter = (result: JoinGroupResult) => void;

/**
 * The JoinGroup rules (Kafka's doNewMemberJoinGroup / doCurrentMemberJoinGroup /
 * doStaticMemberJoinGroup) for requests that passed the coordinator's basic checks.
 */
export class GroupJoiner {
  constructor(
    private readonly registry: GroupRegistry,
    private readonly rebalancer: Rebalancer,
  ) {}

  join(request: MemberJoinRequest, resolve: JoinWaiter): void {
    if (request.memberId === '') this.joinWithoutId(request, resolve);
    else this.joinWithId(request, resolve);
  }

  private joinWithoutId(request: MemberJoinRequest, resolve: JoinWaiter): void {
    const group = this.registry.findOrNew(request.groupId);
    const instanceId = request.groupInstanceId;
    const previousId = instanceId === null ? undefined : group.staticMemberId(instanceId);
    if (!group.acceptsProtocols(request.protocolType, request.protocols, previousId ?? '')) {
      return resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, ''));
    }
    this.registry.add(group);
    const memberId = `${request.clientId}-${randomUUID()}`;
    const previous = previousId === undefined ? undefined : group.member(previousId);
    if (previous !== undefined) {
      return this.replaceStaticMember(group, previous, new Member(memberId, request), resolve);
    }
    if (request.requireKnownMemberId && instanceId === null) {
      this.rebalancer.addPendingMember(group, memberId, request.sessionTimeoutMs);
      return resolve(joinError(ErrorCode.MEMBER_ID_REQUIRED, memberId));
    }
    this.addMemberAndRebalance(group, new Member(memberId, request), resolve);
  }

  private joinWithId(request: MemberJoinRequest, resolve: JoinWaiter): void {
    const { memberId, groupInstanceId } = request;
    const group = this.registry.find(request.groupId);
    if (group === undefined) return resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
    if (!group.acceptsProtocols(request.protocolType, request.protocols, memberId)) {
      return resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, memberId));
    }
    const claimsPendingId =
      group.pendingMembers.has(memberId) &&
      (groupInstanceId === null || group.staticMemberId(groupInstanceId) === undefined);
    if (claimsPendingId) {
      this.rebalancer.removePendingMember(group, memberId, false);
      return this.addMemberAndRebalance(group, new Member(memberId, request), resolve);
    }
    const member = group.checkMember(memberId, groupInstanceId);
    if (typeof member === 'number') return resolve(joinError(member, memberId));
    const unchanged = member.hasSameProtocols(request.protocols);
    const answerAtOnce =
      (group.state === 'CompletingRebalance' && unchanged) ||
      (group.state === 'Stable' && unchanged && group.leaderId !== memberId);
    if (answerAtOnce) {
      // A retry of a join whose answer was lost, or a follower with nothing new to say. A
      // leader rejoining a Stable group always rebalances: that is how it reports new topics.
      resolve(group.joinResult(member));
      this.rebalancer.touch(group, member);
      return;
    }
    member.update(request);
    this.parkAndRebalance(group, member, resolve, `member ${memberId} rejoined`);
  }

  private addMemberAndRebalance(group: Group, member: Member, resolve: JoinWaiter): void {
    group.add(member);
    this.rebalancer.noteNewMember(group);
    this.parkAndRebalance(group, member, resolve, `member ${member.memberId} joined`);
  }

  private parkAndRebalance(
    group: Group,
    member: Member,
    resolve: JoinWaiter,
    reason: string,
  ): void {
    this.rebalancer.parkJoin(group, member, resolve);
    if (group.state === 'PreparingRebalance') this.rebalancer.maybeCompleteJoin(group);
    else this.rebalancer.prepareRebalance(group, reason);
  }

  /**
   * KIP-345: a static member that restarts (new member id, same instance id) replaces its
   * predecessor, which is fenced. In a Stable group whose selected protocol stays the same it
   * gets the current generation at once, without a rebalance; like Kafka, the answer names the
   * previous leader id, so a restarted leader does not compute assignments that a Stable group
   * would never hand out. In any other state the group rebalances.
   */
  private replaceStaticMember(
    group: Group,
    previous: Member,
    replacement: Member,
    resolve: JoinWaiter,
  ): void {
    const leaderBefore = group.leaderId ?? '';
    this.rebalancer.replaceStaticMember(group, previous, replacement);
    if (group.state === 'Stable' && group.selectProtocol() === group.protocolName) {
      resolve(group.joinResult(replacement, leaderBefore));
      this.rebalancer.touch(group, replacement);
      return;
    }
    const reason = `static member ${replacement.memberId} restarted`;
    this.parkAndRebalance(group, replacement, resolve, reason);
  }
}
