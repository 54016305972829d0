import { ErrorCode } from '../protocol/error-codes';
import type { OffsetCommitEntry } from './committed-offset-store';
import type { OffsetCommitPartition } from '../protocol/apis/offset-commit.codec';
import type { OffsetCommitRequest } from './group-coordinator.types';
import {
  aCommit,
  formStableGroup,
  isPending,
  TEST_GROUP,
  TEST_INITIAL_DELAY_MS,
  useFakeTimedCoordinator,
} from '../testing/group-coordinator.fixture';
import { InMemoryOffsetStore } from './in-memory-offset-store';
import { OffsetStoreFailedError } from './offset-store.errors';

/** Lets a test decide when (and whether) a commit becomes durable. */
class ControlledOffsetStore extends InMemoryOffsetStore {
  readonly held: { resolve: () => void; reject: (error: Error) => void }[] = [];

  override commit(groupId: string, entries: readonly OffsetCommitEntry[]): Promise<void> {
    return new Promise<void>((resolve, reject) => this.held.push({ resolve, reject })).then(() =>
      super.commit(groupId, entries),
    );
  }
}

function simpleCommit(
  groupId: string,
  offset: number,
  more: OffsetCommitPartition[] = [],
): OffsetCommitRequest {
  return {
    groupId,
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    retentionTimeMs: -1,
    topics: [{ name: 'orders', partitions: [aCommit(0, offset, 'admin'), ...more] }],
  };
}

describe('GroupCoordinator offsets', () => {
  const fixture = useFakeTimedCoordinator({ initialRebalanceDelayMs: TEST_INITIAL_DELAY_MS });
  const { settleJoinPhase, member } = fixture;
  const errorCodes = (results: { errorCode: ErrorCode }[]) => results.map((r) => r.errorCode);

  it('reports -1 and empty metadata for partitions nothing was committed to', () => {
    expect(
      fixture.coordinator.fetchOffsets(TEST_GROUP, [{ topic: 'orders', partition: 3 }]),
    ).toEqual([
      { topic: 'orders', partition: 3, offset: -1, metadata: '', errorCode: ErrorCode.NONE },
    ]);
    expect(fixture.coordinator.fetchOffsets(TEST_GROUP, null)).toEqual([]);
  });

  it('returns what a member committed, and every committed partition for a null list', async () => {
    const a = member('a');
    await formStableGroup([a], settleJoinPhase);
    const results = await fixture.coordinator.commitOffsets({
      groupId: TEST_GROUP,
      generationId: a.generationId,
      memberId: a.memberId,
      groupInstanceId: null,
      retentionTimeMs: -1,
      topics: [
        {
          name: 'orders',
          partitions: [aCommit(1, 42, 'note'), aCommit(0, 7)],
        },
      ],
    });
    expect(errorCodes(results)).toEqual([0, 0]);

    expect(
      fixture.coordinator.fetchOffsets(TEST_GROUP, [{ topic: 'orders', partition: 1 }]),
    ).toEqual([{ topic: 'orders', partition: 1, offset: 42, metadata: 'note', errorCode: 0 }]);
    expect(fixture.coordinator.fetchOffsets(TEST_GROUP, null)).toEqual([
      { topic: 'orders', partition: 0, offset: 7, metadata: '', errorCode: 0 },
      { topic: 'orders', partition: 1, offset: 42, metadata: 'note', errorCode: 0 },
    ]);
  });

  it('accepts a simple commit for an unknown group and creates the group Empty', async () => {
    expect(errorCodes(await fixture.coordinator.commitOffsets(simpleCommit('tooling', 5)))).toEqual(
      [0],
    );
    expect(fixture.coordinator.listGroups()).toEqual([
      { groupId: 'tooling', protocolType: '', state: 'Empty' },
    ]);
    expect(fixture.coordinator.fetchOffsets('tooling', null)[0]).toMatchObject({ offset: 5 });
    expect(errorCodes(await fixture.coordinator.commitOffsets(simpleCommit('tooling', 9)))).toEqual(
      [0],
    );
  });

  it('refuses a simple commit and a non-member commit while the group has members', async () => {
    const a = member('a');
    await formStableGroup([a], settleJoinPhase);
    expect(
      errorCodes(await fixture.coordinator.commitOffsets(simpleCommit(TEST_GROUP, 5))),
    ).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    const stranger = { ...simpleCommit(TEST_GROUP, 5), generationId: 1, memberId: 'stranger' };
    expect(errorCodes(await fixture.coordinator.commitOffsets(stranger))).toEqual([
      ErrorCode.UNKNOWN_MEMBER_ID,
    ]);
    expect(fixture.coordinator.fetchOffsets(TEST_GROUP, null)).toEqual([]);
  });

  it('accepts commits while a rebalance is being prepared', async () => {
    const a = member('a');
    await formStableGroup([a], settleJoinPhase);
    void member('newcomer').join();
    expect(a.heartbeat()).toBe(ErrorCode.REBALANCE_IN_PROGRESS);

    expect(errorCodes(await a.commit('orders', 0, 11))).toEqual([ErrorCode.NONE]);
    expect(fixture.coordinator.fetchOffsets(TEST_GROUP, null)[0]).toMatchObject({ offset: 11 });
  });

  it('answers REBALANCE_IN_PROGRESS to commits while the rebalance completes', async () => {
    const a = member('a');
    await fixture.joinTogether([a]);
    expect(errorCodes(await a.commit('orders', 0, 11))).toEqual([ErrorCode.REBALANCE_IN_PROGRESS]);
  });

  it('answers ILLEGAL_GENERATION to a stale generation and to an unknown group', async () => {
    const a = member('a');
    await formStableGroup([a], settleJoinPhase);
    a.generationId = 0;
    expect(errorCodes(await a.commit('orders', 0, 1))).toEqual([ErrorCode.ILLEGAL_GENERATION]);
    const unknown = { ...simpleCommit('unknown', 1), generationId: 3, memberId: 'm' };
    expect(errorCodes(await fixture.coordinator.commitOffsets(unknown))).toEqual([
      ErrorCode.ILLEGAL_GENERATION,
    ]);
  });

  it('refuses metadata longer than the limit, partition by partition', async () => {
    const request = simpleCommit('tooling', 1, [aCommit(1, 2, 'x'.repeat(4097))]);
    expect(errorCodes(await fixture.coordinator.commitOffsets(request))).toEqual([
      ErrorCode.NONE,
      ErrorCode.OFFSET_METADATA_TOO_LARGE,
    ]);
    expect(fixture.coordinator.fetchOffsets('tooling', null)).toHaveLength(1);
  });

  it('answers a commit only once the offset store has made it durable', async () => {
    const store = new ControlledOffsetStore();
    fixture.restart(store);

    const committing = fixture.coordinator.commitOffsets(simpleCommit('tooling', 5));
    expect(await isPending(committing)).toBe(true);
    store.held[0].resolve();
    expect(errorCodes(await committing)).toEqual([0]);
  });

  it('answers COORDINATOR_NOT_AVAILABLE when the offset store fails', async () => {
    const store = new ControlledOffsetStore();
    fixture.restart(store);

    const committing = fixture.coordinator.commitOffsets(simpleCommit('tooling', 5));
    store.held[0].reject(new Error('disk full'));
    expect(errorCodes(await committing)).toEqual([ErrorCode.COORDINATOR_NOT_AVAILABLE]);
  });

  it('answers UNKNOWN_SERVER_ERROR once the offset store refuses every further write', async () => {
    const store = new ControlledOffsetStore();
    fixture.restart(store);

    const committing = fixture.coordinator.commitOffsets(simpleCommit('tooling', 5));
    store.held[0].reject(new OffsetStoreFailedError(new Error('truncate failed')));
    expect(errorCodes(await committing)).toEqual([ErrorCode.UNKNOWN_SERVER_ERROR]);
  });

  it('knows groups by their committed offsets alone, as after a restart', async () => {
    await fixture.offsets.commit('restarted', [
      { topic: 'orders', partition: 0, offset: 3, metadata: null },
    ]);
    fixture.restart(fixture.offsets);

    expect(fixture.coordinator.listGroups()).toEqual([
      { groupId: 'restarted', protocolType: '', state: 'Empty' },
    ]);
    expect(fixture.coordinator.describeGroups(['restarted'])[0]).toMatchObject({ state: 'Empty' });
    const oldMember = {
      groupId: 'restarted',
      generationId: 4,
      memberId: 'before-restart',
      groupInstanceId: null,
    };
    expect(fixture.coordinator.heartbeat(oldMember)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(fixture.coordinator.fetchOffsets('restarted', null)[0]).toMatchObject({ offset: 3 });
  });
});
