import { ErrorCode } from '../protocol/error-codes';
import {
  aJoin,
  formStableGroup,
  isPending,
  protocol,
  TEST_GROUP,
  TEST_HEARTBEAT_MS,
  TEST_INITIAL_DELAY_MS,
  TEST_REBALANCE_TIMEOUT_MS,
  TEST_SESSION_TIMEOUT_MS,
  TestMember,
  useFakeTimedCoordinator,
} from '../testing/group-coordinator.fixture';

describe('GroupCoordinator static membership (KIP-345)', () => {
  const fixture = useFakeTimedCoordinator({ initialRebalanceDelayMs: TEST_INITIAL_DELAY_MS });
  const { settleJoinPhase, member: dynamicMember } = fixture;
  const staticMember = (instance: string, protocols = [protocol('range')]) =>
    fixture.member(instance, { groupInstanceId: instance, protocols, requireKnownMemberId: true });

  it('lets a restarted static member take its place without a rebalance', async () => {
    const [leader, worker] = [dynamicMember('leader'), staticMember('worker-1')];
    await formStableGroup([leader, worker], settleJoinPhase);
    const oldWorkerId = worker.memberId;

    const restarted = staticMember('worker-1');
    const rejoined = await restarted.join();
    expect(rejoined).toMatchObject({
      errorCode: ErrorCode.NONE,
      generationId: 1,
      leader: leader.memberId,
      members: [],
    });
    expect(restarted.memberId).not.toBe(oldWorkerId);
    expect(leader.heartbeat()).toBe(ErrorCode.NONE);
    expect((await restarted.sync()).assignment.toString()).toBe(`assigned:${oldWorkerId}`);
    expect(worker.heartbeat()).toBe(ErrorCode.FENCED_INSTANCE_ID);
  });

  it('rebalances when a restarted static member brings different protocols', async () => {
    const both = [protocol('range'), protocol('roundrobin')];
    const leader = new TestMember(
      fixture.coordinator,
      aJoin({ clientId: 'leader', protocols: both }),
    );
    await formStableGroup([leader, staticMember('worker-1', both)], settleJoinPhase);

    const restarted = staticMember('worker-1', [protocol('roundrobin')]);
    const rejoin = restarted.join();
    expect(await isPending(rejoin)).toBe(true);
    expect(leader.heartbeat()).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const joins = await Promise.all([leader.join(), rejoin]);
    expect(joins.map((join) => [join.generationId, join.protocolName])).toEqual([
      [2, 'roundrobin'],
      [2, 'roundrobin'],
    ]);
  });

  it('keeps a static member that misses a rebalance until its session expires', async () => {
    const [leader, worker] = [dynamicMember('leader'), staticMember('worker-1')];
    await formStableGroup([leader, worker], settleJoinPhase);

    const newcomer = dynamicMember('newcomer');
    const joins = Promise.all([leader.join(), newcomer.join()]);
    let elapsed = 0;
    for (; elapsed + TEST_HEARTBEAT_MS < TEST_REBALANCE_TIMEOUT_MS; elapsed += TEST_HEARTBEAT_MS) {
      await jest.advanceTimersByTimeAsync(TEST_HEARTBEAT_MS);
      expect(worker.heartbeat()).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    }
    await jest.advanceTimersByTimeAsync(TEST_REBALANCE_TIMEOUT_MS - elapsed);
    const [leaderJoin] = await joins;
    expect(leaderJoin.members.map((m) => m.memberId)).toContain(worker.memberId);

    const followerSync = newcomer.sync();
    await leader.sync({});
    await followerSync;
    for (elapsed = 0; elapsed <= TEST_SESSION_TIMEOUT_MS; elapsed += TEST_HEARTBEAT_MS) {
      await jest.advanceTimersByTimeAsync(TEST_HEARTBEAT_MS);
      leader.heartbeat();
      newcomer.heartbeat();
    }
    expect(worker.heartbeat()).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('fences a request that names a static instance with a superseded member id', async () => {
    const worker = staticMember('worker-1');
    await formStableGroup([worker], settleJoinPhase);
    const request = {
      groupId: TEST_GROUP,
      generationId: 1,
      memberId: 'impostor',
      groupInstanceId: 'worker-1',
    };
    expect(fixture.coordinator.heartbeat(request)).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect((await fixture.coordinator.join(aJoin({ ...request }))).errorCode).toBe(
      ErrorCode.FENCED_INSTANCE_ID,
    );
  });

  it('lets LeaveGroup v3 remove a static member by its instance id alone', async () => {
    const [leader, worker] = [dynamicMember('leader'), staticMember('worker-1')];
    await formStableGroup([leader, worker], settleJoinPhase);
    const result = fixture.coordinator.leave({
      groupId: TEST_GROUP,
      members: [{ memberId: '', groupInstanceId: 'worker-1' }],
    });
    expect(result.members[0].errorCode).toBe(ErrorCode.NONE);
    expect(worker.heartbeat()).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(leader.heartbeat()).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });
});
