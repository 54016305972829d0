import { GroupCoordinator, type GroupCoordinatorOptions } from '../groups/group-coordinator';
import type {
  JoinGroupProtocol,
  MemberJoinRequest,
  JoinGroupResult,
  LeaveGroupResponse,
  OffsetCommitPartitionResult,
  SyncGroupResult,
} from '../groups/group-coordinator.types';
import { InMemoryOffsetStore } from '../groups/in-memory-offset-store';
import { ErrorCode } from '../protocol/error-codes';

/** Test doubles and builders for the group coordinator's specs; not used by production code. */

export const TEST_SESSION_TIMEOUT_MS = 10_000;
export const TEST_REBALANCE_TIMEOUT_MS = 30_000;
export const TEST_INITIAL_DELAY_MS = 100;
export const TEST_HEARTBEAT_MS = 3000;

export function protocol(name: string, metadata = name): JoinGroupProtocol {
  return { name, metadata: Buffer.from(metadata) };
}

/** A JoinGroup as kafkajs v5 would send it, minus the KIP-394 round trip unless asked for. */
export function aJoin(overrides: Partial<MemberJoinRequest> = {}): MemberJoinRequest {
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

/** One partition of an OffsetCommit as a current client sends it (no epoch, no timestamp). */
export function aCommit(partition: number, offset: number, metadata: string | null = null) {
  return { partition, offset, leaderEpoch: -1, commitTimestamp: -1, metadata };
}

/** The group id every {@link aJoin} targets unless overridden. */
export const TEST_GROUP = aJoin().groupId;

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
    private readonly request: MemberJoinRequest = aJoin(),
  ) {}

  get groupId(): string {
    return this.request.groupId;
  }

  get groupInstanceId(): string | null {
    return this.request.groupInstanceId;
  }

  async join(overrides: Partial<MemberJoinRequest> = {}): Promise<JoinGroupResult> {
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

  leave(): LeaveGroupResponse {
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
      retentionTimeMs: -1,
      topics: [{ name: topic, partitions: [aCommit(partition, offset)] }],
    });
  }
}

/** True while the promise has neither resolved nor rejected. */
export async function isPending(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  const winner = await Promise.race([promise, Promise.resolve(marker)]);
  return winner === marker;
}

/** Sends every member's JoinGroup at once and answers them after `settleJoinPhase`. */
async function joinTogether(
  members: TestMember[],
  settleJoinPhase: () => Promise<unknown>,
): Promise<JoinGroupResult[]> {
  const joins = members.map((member) => member.join());
  await settleJoinPhase();
  return Promise.all(joins);
}

/**
 * Joins every member, lets `settleJoinPhase` run the join timers, then has the leader assign
 * `assigned:<memberId>` to each member and everyone sync. Leaves the group Stable.
 */
export async function formStableGroup(
  members: TestMember[],
  settleJoinPhase: () => Promise<unknown>,
): Promise<void> {
  const results = await joinTogether(members, settleJoinPhase);
  const leader = members.find((member) => member.memberId === results[0].leader);
  if (leader === undefined) throw new Error(`no leader among the joined members`);
  const assignments = Object.fromEntries(
    members.map((member) => [member.memberId, `assigned:${member.memberId}`]),
  );
  await Promise.all(
    members.map((member) => (member === leader ? member.sync(assignments) : member.sync())),
  );
}

/** What a spec using {@link useFakeTimedCoordinator} reaches through; valid inside tests only. */
export interface FakeTimedCoordinator {
  /** The coordinator of the current test. */
  readonly coordinator: GroupCoordinator;
  /** The offset store behind the current coordinator. */
  readonly offsets: InMemoryOffsetStore;
  /** Runs the join timers: the initial delay runs at most twice when members arrive together. */
  readonly settleJoinPhase: () => Promise<void>;
  /** Has all `members` join at once and settles the join phase; resolves to their answers. */
  readonly joinTogether: (members: TestMember[]) => Promise<JoinGroupResult[]>;
  /** A dynamic member whose client id is `name`, joining with `aJoin(overrides)`. */
  readonly member: (name: string, overrides?: Partial<MemberJoinRequest>) => TestMember;
  /** Closes the coordinator and starts a new one on `offsets`, as a broker restart would. */
  readonly restart: (offsets?: InMemoryOffsetStore) => void;
}

/**
 * Registers hooks that give every test its own coordinator under jest fake timers, on a fresh
 * in-memory offset store, and close it (and restore real timers) afterwards.
 */
export function useFakeTimedCoordinator(
  options: Omit<GroupCoordinatorOptions, 'offsets'>,
): FakeTimedCoordinator {
  let current: { coordinator: GroupCoordinator; offsets: InMemoryOffsetStore } | undefined;
  const started = () => {
    if (current === undefined) throw new Error('the coordinator exists only inside a test');
    return current;
  };
  const settleJoinPhase = () => jest.advanceTimersByTimeAsync(2 * options.initialRebalanceDelayMs);
  const start = (offsets: InMemoryOffsetStore) => {
    current = { offsets, coordinator: new GroupCoordinator({ ...options, offsets }) };
  };

  beforeEach(() => {
    jest.useFakeTimers();
    start(new InMemoryOffsetStore());
  });

  afterEach(() => {
    current?.coordinator.close();
    current = undefined;
    jest.useRealTimers();
  });

  return {
    get coordinator() {
      return started().coordinator;
    },
    get offsets() {
      return started().offsets;
    },
    settleJoinPhase,
    joinTogether: (members) => joinTogether(members, settleJoinPhase),
    member: (name, overrides = {}) =>
      new TestMember(started().coordinator, aJoin({ clientId: name, ...overrides })),
    restart: (offsets = new InMemoryOffsetStore()) => {
      started().coordinator.close();
      start(offsets);
    },
  };
}
