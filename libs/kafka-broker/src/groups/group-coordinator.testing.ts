import { ErrorCode } from '../protocol/error-codes';
import type { GroupCoordinator } from './group-coordinator';
import type {
  GroupProtocol,
  JoinGroupRequest,
  JoinGroupResult,
  LeaveGroupResult,
  OffsetCommitPartitionResult,
  SyncGroupResult,
} from './group-coordinator.types';

/** Test doubles and builders for the group coordinator's specs; not used by production code. */

export const TEST_SESSION_TIMEOUT_MS = 10_000;
export const TEST_REBALANCE_TIMEOUT_MS = 30_000;

export function protocol(name: string, metadata = name): GroupProtocol {
  return { name, metadata: Buffer.from(metadata) };
}

/** A JoinGroup as kafkajs v5 would send it, minus the KIP-394 round trip unless asked for. */
export function aJoin(overrides: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId: 'orders-projection',
    memberId: '',
    groupInstanceId: null,
    sessionTimeoutMs: TEST_SESSION_TIMEOUT_MS,
    rebalanceTimeoutMs: TEST_REBALANCE_TIMEOUT_MS,
    protocolType: 'consumer',
    protocols: [protocol('range')],
    clientId: 'consumer',
    clientHost: '/127.0.0.1',
    requireKnownMemberId: false,
    ...overrides,
  };
}

/**
 * Plays one group member the way a client does: it remembers the member id and generation it
 * was given and sends them with every later request.
 */
export class TestMember {
  memberId = '';
  generationId = -1;
  lastJoin: JoinGroupResult | undefined;

  constructor(
    private readonly coordinator: GroupCoordinator,
    private readonly request: JoinGroupRequest = aJoin(),
  ) {}

  get groupId(): string {
    return this.request.groupId;
  }

  get groupInstanceId(): string | null {
    return this.request.groupInstanceId;
  }

  async join(overrides: Partial<JoinGroupRequest> = {}): Promise<JoinGroupResult> {
    const result = await this.coordinator.join({
      ...this.request,
      memberId: this.memberId,
      ...overrides,
    });
    this.lastJoin = result;
    if (result.memberId !== '') this.memberId = result.memberId;
    if (result.errorCode === ErrorCode.NONE) this.generationId = result.generationId;
    return result;
  }

  sync(assignments: Record<string, string> = {}): Promise<SyncGroupResult> {
    return this.coordinator.sync({
      groupId: this.groupId,
      generationId: this.generationId,
      memberId: this.memberId,
      groupInstanceId: this.groupInstanceId,
      assignments: Object.entries(assignments).map(([memberId, assignment]) => ({
        memberId,
        assignment: Buffer.from(assignment),
      })),
    });
  }

  heartbeat(): ErrorCode {
    return this.coordinator.heartbeat({
      groupId: this.groupId,
      generationId: this.generationId,
      memberId: this.memberId,
      groupInstanceId: this.groupInstanceId,
    });
  }

  leave(): LeaveGroupResult {
    return this.coordinator.leave({
      groupId: this.groupId,
      members: [{ memberId: this.memberId, groupInstanceId: this.groupInstanceId }],
    });
  }

  commit(topic: string, partition: number, offset: number): Promise<OffsetCommitPartitionResult[]> {
    return this.coordinator.commitOffsets({
      groupId: this.groupId,
      generationId: this.generationId,
      memberId: this.memberId,
      groupInstanceId: this.groupInstanceId,
      offsets: [{ topic, partition, offset, metadata: null }],
    });
  }
}

/** True while the promise has neither resolved nor rejected. */
export async function isPending(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  const winner = await Promise.race([promise, Promise.resolve(marker)]);
  return winner === marker;
}

/**
 * Joins every member, lets `settleJoinPhase` run the join timers, then has the leader assign
 * `assigned:<memberId>` to each member and everyone sync. Leaves the group Stable.
 */
export async function formStableGroup(
  members: TestMember[],
  settleJoinPhase: () => Promise<unknown>,
): Promise<void> {
  const joins = members.map((member) => member.join());
  await settleJoinPhase();
  const results = await Promise.all(joins);
  const leader = members.find((member) => member.memberId === results[0].leader);
  if (leader === undefined) throw new Error(`no leader among the joined members`);
  const assignments = Object.fromEntries(
    members.map((member) => [member.memberId, `assigned:${member.memberId}`]),
  );
  await Promise.all(
    members.map((member) => (member === leader ? member.sync(assignments) : member.sync())),
  );
}
