import type { Logger } from 'pino';
import { ErrorCode } from '../protocol/error-codes';
import type {
  JoinGroupResult,
  SyncGroupAssignment,
  SyncGroupResult,
} from './group-coordinator.types';
import { type Group, joinError, syncError } from './group';
import { type Member, NO_BYTES } from './member';

/** setTimeout fires at once for delays above 2^31-1 ms; no Kafka timeout needs more. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface RebalancerOptions {
  initialRebalanceDelayMs: number;
  logger: Logger;
}

/**
 * Moves classic groups through Empty → PreparingRebalance → CompletingRebalance → Stable, and
 * owns every timer involved: member sessions, KIP-394 pending ids, the join phase (rebalance
 * timeout or initial delay) and the sync phase. Timers run whether or not clients talk, so a
 * group whose members vanished without leaving still recovers; all are unref'd so they never
 * keep the process alive.
 */
export class Rebalancer {
  constructor(private readonly options: RebalancerOptions) {}

  /**
   * Restarts the member's session timer (Kafka's completeAndScheduleNextHeartbeatExpiration).
   * A member with a parked JoinGroup or SyncGroup has none: the join and sync timers bound it.
   */
  touch(group: Group, member: Member): void {
    clearTimeout(member.sessionTimer);
    member.sessionTimer = undefined;
    if (member.isAwaitingJoin || member.isAwaitingSync) return;
    member.sessionTimer = arm(member.sessionTimeoutMs, () => {
      if (group.member(member.memberId) !== member) return;
      this.removeMember(group, member, 'session timeout expired');
    });
  }

  parkJoin(group: Group, member: Member, waiter: (result: JoinGroupResult) => void): void {
    // A second JoinGroup from the same member is a client retry; the first one gets an answer
    // rather than hanging forever.
    member.parkJoin(waiter)?.(joinError(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId));
    this.touch(group, member);
  }

  parkSync(group: Group, member: Member, waiter: (result: SyncGroupResult) => void): void {
    member.parkSync(waiter)?.(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
    this.touch(group, member);
  }

  /** Reserves a KIP-394 member id for one session timeout. */
  addPendingMember(group: Group, memberId: string, sessionTimeoutMs: number): void {
    const timer = arm(sessionTimeoutMs, () => {
      group.pendingMembers.delete(memberId);
      this.maybeCompleteJoin(group);
    });
    group.pendingMembers.set(memberId, timer);
  }

  /** Releases a pending id, because its member joined (`rebalance` false) or left. */
  removePendingMember(group: Group, memberId: string, rebalance: boolean): void {
    clearTimeout(group.pendingMembers.get(memberId));
    group.pendingMembers.delete(memberId);
    if (rebalance) this.maybeCompleteJoin(group);
  }

  /** Kafka's removeMemberAndUpdateGroup: parked requests of the member get UNKNOWN_MEMBER_ID. */
  removeMember(group: Group, member: Member, reason: string): void {
    this.options.logger.info(
      { groupId: group.groupId, memberId: member.memberId, reason },
      'removing group member',
    );
    this.forget(group, member);
    member.answerJoin(joinError(ErrorCode.UNKNOWN_MEMBER_ID, member.memberId));
    member.answerSync(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        this.prepareRebalance(group, reason);
        break;
      case 'PreparingRebalance':
        this.maybeCompleteJoin(group);
        break;
      case 'Empty':
      case 'Dead':
        break;
    }
  }

  /** KIP-345: the predecessor of a restarted static member is fenced and replaced. */
  replaceStaticMember(group: Group, previous: Member, replacement: Member): void {
    clearTimeout(previous.sessionTimer);
    previous.answerJoin(joinError(ErrorCode.FENCED_INSTANCE_ID, previous.memberId));
    previous.answerSync(syncError(ErrorCode.FENCED_INSTANCE_ID));
    group.replaceStaticMember(previous, replacement);
  }

  /**
   * Enters PreparingRebalance. A group that was Empty first waits the initial rebalance delay
   * (extended while new members keep arriving, within the rebalance timeout); any other group
   * completes the join phase once every member rejoined, or when the rebalance timeout expires.
   */
  prepareRebalance(group: Group, reason: string): void {
    if (group.state === 'CompletingRebalance') {
      for (const member of group.members.values()) {
        if (!member.isAwaitingSync) continue;
        member.answerSync(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
        this.touch(group, member);
      }
    }
    clearTimeout(group.syncTimer);
    group.syncTimer = undefined;
    group.pendingSync.clear();
    clearTimeout(group.joinTimer);
    const wasEmpty = group.state === 'Empty';
    const rebalanceTimeoutMs = group.rebalanceTimeoutMs();
    group.state = 'PreparingRebalance';
    this.options.logger.info(
      { groupId: group.groupId, generationId: group.generationId, reason },
      'preparing rebalance',
    );
    if (wasEmpty) {
      const delayMs = this.options.initialRebalanceDelayMs;
      group.initialDelay = {
        newMemberAdded: false,
        remainingMs: Math.max(rebalanceTimeoutMs - delayMs, 0),
      };
      group.joinTimer = arm(delayMs, () => this.onInitialDelayExpired(group));
      return;
    }
    group.joinTimer = arm(rebalanceTimeoutMs, () => this.completeJoin(group));
    this.maybeCompleteJoin(group);
  }

  /** A member joined during the initial delay, which therefore runs once more. */
  noteNewMember(group: Group): void {
    if (group.initialDelay !== null) group.initialDelay.newMemberAdded = true;
  }

  maybeCompleteJoin(group: Group): void {
    if (
      group.state === 'PreparingRebalance' &&
      group.initialDelay === null &&
      group.allMembersJoined()
    ) {
      this.completeJoin(group);
    }
  }

  /** Drops a member from the pending-sync set once its SyncGroup arrived. */
  markSynced(group: Group, memberId: string): void {
    group.pendingSync.delete(memberId);
    if (group.pendingSync.size === 0) {
      clearTimeout(group.syncTimer);
      group.syncTimer = undefined;
    }
  }

  /** The leader's assignments arrived: store them (missing members get empty bytes), go Stable. */
  stabilize(group: Group, assignments: readonly SyncGroupAssignment[]): void {
    const byMember = new Map(assignments.map((entry) => [entry.memberId, entry.assignment]));
    group.state = 'Stable';
    this.options.logger.info(
      { groupId: group.groupId, generationId: group.generationId, members: group.members.size },
      'group stable',
    );
    for (const member of group.members.values()) {
      member.assignment = byMember.get(member.memberId) ?? NO_BYTES;
      if (!member.isAwaitingSync) continue;
      member.answerSync(group.syncResult(member));
      this.touch(group, member);
    }
  }

  /** Stops every timer of the group and answers its parked requests with `errorCode`. */
  dispose(group: Group, errorCode: ErrorCode): void {
    group.state = 'Dead';
    clearTimeout(group.joinTimer);
    clearTimeout(group.syncTimer);
    for (const timer of group.pendingMembers.values()) clearTimeout(timer);
    group.pendingMembers.clear();
    for (const member of group.members.values()) {
      clearTimeout(member.sessionTimer);
      member.answerJoin(joinError(errorCode, member.memberId));
      member.answerSync(syncError(errorCode));
    }
  }

  private onInitialDelayExpired(group: Group): void {
    const delay = group.initialDelay;
    if (delay !== null && delay.newMemberAdded && delay.remainingMs > 0) {
      const delayMs = this.options.initialRebalanceDelayMs;
      group.initialDelay = {
        newMemberAdded: false,
        remainingMs: Math.max(delay.remainingMs - delayMs, 0),
      };
      group.joinTimer = arm(Math.min(delayMs, delay.remainingMs), () =>
        this.onInitialDelayExpired(group),
      );
      return;
    }
    this.completeJoin(group);
  }

  /**
   * Ends the join phase: dynamic members that did not rejoin are removed, a new generation
   * starts and every parked JoinGroup is answered (the member list goes to the leader only).
   * Static members that did not rejoin stay until their session expires, as in Kafka.
   */
  private completeJoin(group: Group): void {
    if (group.state !== 'PreparingRebalance') return;
    clearTimeout(group.joinTimer);
    group.joinTimer = undefined;
    group.initialDelay = null;
    for (const member of [...group.members.values()]) {
      if (member.isAwaitingJoin || member.groupInstanceId !== null) continue;
      this.options.logger.info(
        { groupId: group.groupId, memberId: member.memberId },
        'removing member that did not rejoin within the rebalance timeout',
      );
      this.forget(group, member);
    }
    const joined = [...group.members.values()].filter((member) => member.isAwaitingJoin);
    if (joined.length === 0 && group.members.size > 0) {
      group.joinTimer = arm(group.rebalanceTimeoutMs(), () => this.completeJoin(group));
      return;
    }
    const leader = group.leaderId === null ? undefined : group.member(group.leaderId);
    if (joined.length > 0 && !leader?.isAwaitingJoin) group.leaderId = joined[0].memberId;
    group.initNextGeneration();
    this.options.logger.info(
      { groupId: group.groupId, generationId: group.generationId, protocol: group.protocolName },
      'join phase complete',
    );
    if (group.members.size > 0) {
      group.syncTimer = arm(group.rebalanceTimeoutMs(), () => this.onSyncTimeout(group));
    }
    for (const member of joined) {
      member.answerJoin(group.joinResult(member));
      this.touch(group, member);
    }
  }

  /** Members that never sent SyncGroup within the rebalance timeout are removed (Kafka 3.x). */
  private onSyncTimeout(group: Group): void {
    group.syncTimer = undefined;
    if (group.state !== 'CompletingRebalance' && group.state !== 'Stable') return;
    const laggards = [...group.pendingSync].map((memberId) => group.member(memberId));
    for (const member of laggards) {
      if (member !== undefined && group.member(member.memberId) === member) {
        this.removeMember(group, member, 'did not sync within the rebalance timeout');
      }
    }
  }

  private forget(group: Group, member: Member): void {
    clearTimeout(member.sessionTimer);
    member.sessionTimer = undefined;
    group.remove(member.memberId);
  }
}

function arm(delayMs: number, fire: () => void): NodeJS.Timeout {
  return setTimeout(fire, Math.min(Math.max(delayMs, 0), MAX_TIMER_MS)).unref();
}
