import { ErrorCode } from '../protocol/error-codes';
import {
  aCommit,
  formStableGroup,
  TEST_GROUP,
  TEST_INITIAL_DELAY_MS,
  useFakeTimedCoordinator,
} from '../testing/group-coordinator.fixture';

describe('GroupCoordinator administration', () => {
  const fixture = useFakeTimedCoordinator({ initialRebalanceDelayMs: TEST_INITIAL_DELAY_MS });
  const { settleJoinPhase } = fixture;
  const member = (name: string) => fixture.member(name, { clientHost: `/10.0.0.${name.length}` });
  const commitFromOutside = (groupId: string) =>
    fixture.coordinator.commitOffsets({
      groupId,
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1,
      topics: [{ name: 'orders', partitions: [aCommit(0, 1)] }],
    });

  it('reports an unknown group as Dead without an error, as Kafka does', () => {
    expect(fixture.coordinator.describeGroups(['never-seen'])).toEqual([
      {
        groupId: 'never-seen',
        errorCode: ErrorCode.NONE,
        state: 'Dead',
        protocolType: '',
        protocolName: '',
        members: [],
      },
    ]);
  });

  it('hides metadata and assignments of a group that is not Stable', async () => {
    const a = member('a');
    await fixture.joinTogether([a]);
    expect(fixture.coordinator.describeGroups([TEST_GROUP])[0]).toMatchObject({
      state: 'CompletingRebalance',
      protocolName: '',
      members: [{ memberId: a.memberId, metadata: Buffer.alloc(0), assignment: Buffer.alloc(0) }],
    });
  });

  it('lists every group with its protocol type and state', async () => {
    await formStableGroup([member('a')], settleJoinPhase);
    await commitFromOutside('tooling');
    expect(fixture.coordinator.listGroups()).toEqual([
      { groupId: TEST_GROUP, protocolType: 'consumer', state: 'Stable' },
      { groupId: 'tooling', protocolType: '', state: 'Empty' },
    ]);
  });

  it('deletes only Empty groups, together with their committed offsets', async () => {
    await formStableGroup([member('a')], settleJoinPhase);
    await commitFromOutside('tooling');

    expect(await fixture.coordinator.deleteGroups([TEST_GROUP, 'tooling', 'never-seen'])).toEqual([
      { groupId: TEST_GROUP, errorCode: ErrorCode.NON_EMPTY_GROUP },
      { groupId: 'tooling', errorCode: ErrorCode.NONE },
      { groupId: 'never-seen', errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
    ]);
    expect(fixture.offsets.groups()).toEqual([]);
    expect(fixture.coordinator.listGroups().map((group) => group.groupId)).toEqual([TEST_GROUP]);
    expect(fixture.coordinator.describeGroups(['tooling'])[0].state).toBe('Dead');
  });

  it('deletes a group whose members all left', async () => {
    const a = member('a');
    await formStableGroup([a], settleJoinPhase);
    await a.commit('orders', 0, 10);
    a.leave();

    expect(await fixture.coordinator.deleteGroups([TEST_GROUP])).toEqual([
      { groupId: TEST_GROUP, errorCode: ErrorCode.NONE },
    ]);
    expect(fixture.coordinator.fetchOffsets(TEST_GROUP, null)).toEqual([]);
  });
});
