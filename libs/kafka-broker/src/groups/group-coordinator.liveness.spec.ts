import { ErrorCode } from '../protocol/error-codes';
import {
  aJoin,
  formStableGroup,
  isPending,
  TEST_GROUP,
  TEST_HEARTBEAT_MS,
  TEST_INITIAL_DELAY_MS,
  TEST_REBALANCE_TIMEOUT_MS,
  TEST_SESSION_TIMEOUT_MS,
  TestMember,
  useFakeTimedCoordinator,
} from '../testing/group-coordinator.fixture';

describe('GroupCoordinator liveness', () => {
  const fixture = useFakeTimedCoordinator({ initialRebalanceDelayMs: TEST_INITIAL_DELAY_MS });
  const { settleJoinPhase, member } = fixture;
  const describe = () => fixture.coordinator.describeGroups([TEST_GROUP])[0];

  it('removes a member that stops heartbeating once its session expires, and the rest rebalance', async () => {
    const [alive, silent] = [member('alive'), member('silent')];
    await formStableGroup([alive, silent], settleJoinPhase);

    const answers: ErrorCode[] = [];
    for (let beat = 0; beat < 4; beat += 1) {
      await jest.advanceTimersByTimeAsync(TEST_HEARTBEAT_MS);
      answers.push(alive.heartbeat());
    }
    expect(answers).toEqual([0, 0, 0, ErrorCode.REBALANCE_IN_PROGRESS]);

    const rejoined = await alive.join();
    expect(rejoined.generationId).toBe(2);
    expect(rejoined.members.map((m) => m.memberId)).toEqual([alive.memberId]);
    expect(silent.heartbeat()).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('keeps members that heartbeat or commit alive well past one session timeout', async () => {
    const [beating, committing] = [member('beating'), member('committing')];
    await formStableGroup([beating, committing], settleJoinPhase);

    for (let elapsed = 0; elapsed < 5 * TEST_SESSION_TIMEOUT_MS; elapsed += TEST_HEARTBEAT_MS) {
      await jest.advanceTimersByTimeAsync(TEST_HEARTBEAT_MS);
      expect(beating.heartbeat()).toBe(ErrorCode.NONE);
      expect((await committing.commit('orders', 0, elapsed))[0].errorCode).toBe(ErrorCode.NONE);
    }
    expect(describe()).toMatchObject({ state: 'Stable' });
    expect(describe().members).toHaveLength(2);
  });

  it('drops members that keep heartbeating but do not rejoin within the rebalance timeout', async () => {
    const [a, straggler] = [member('a'), member('straggler')];
    await formStableGroup([a, straggler], settleJoinPhase);

    const newcomer = member('newcomer');
    const joins = [newcomer.join(), a.join()];
    let elapsed = 0;
    while (elapsed + TEST_HEARTBEAT_MS < TEST_REBALANCE_TIMEOUT_MS) {
      await jest.advanceTimersByTimeAsync(TEST_HEARTBEAT_MS);
      elapsed += TEST_HEARTBEAT_MS;
      expect(straggler.heartbeat()).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    }
    expect(await isPending(joins[0])).toBe(true);

    await jest.advanceTimersByTimeAsync(TEST_REBALANCE_TIMEOUT_MS - elapsed);
    const [jn, ja] = await Promise.all(joins);
    expect([jn.generationId, ja.generationId]).toEqual([2, 2]);
    expect(ja.members.map((m) => m.memberId).sort()).toEqual(
      [a.memberId, newcomer.memberId].sort(),
    );
    expect(straggler.heartbeat()).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it("hands a killed member's partitions to its successor once the dead session expires, not at the rebalance timeout", async () => {
    const killed = member('killed');
    await formStableGroup([killed], settleJoinPhase);

    // The restarted process joins as a new member a little after the kill; the join waits for
    // the dead member, whose session keeps running while the rebalance is pending.
    await jest.advanceTimersByTimeAsync(TEST_HEARTBEAT_MS);
    const successor = member('successor');
    const joined = successor.join();
    await jest.advanceTimersByTimeAsync(TEST_SESSION_TIMEOUT_MS - TEST_HEARTBEAT_MS - 1);
    expect(await isPending(joined)).toBe(true);

    await jest.advanceTimersByTimeAsync(1);
    const answer = await joined;
    expect(TEST_SESSION_TIMEOUT_MS).toBeLessThan(TEST_REBALANCE_TIMEOUT_MS);
    expect(answer).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2 });
    expect(answer.members.map((m) => m.memberId)).toEqual([successor.memberId]);
    expect(killed.heartbeat()).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('recovers a group whose members vanished without leaving, with no client traffic', async () => {
    await formStableGroup([member('a'), member('b')], settleJoinPhase);

    await jest.advanceTimersByTimeAsync(TEST_SESSION_TIMEOUT_MS + 1);
    expect(describe()).toMatchObject({ state: 'Empty', members: [] });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('hands the group to another member when the leader never syncs', async () => {
    const [leader, follower] = [member('leader'), member('follower')];
    await fixture.joinTogether([leader, follower]);

    const parked = follower.sync();
    for (let elapsed = 0; elapsed < TEST_REBALANCE_TIMEOUT_MS; elapsed += TEST_HEARTBEAT_MS) {
      expect(leader.heartbeat()).toBe(ErrorCode.NONE);
      await jest.advanceTimersByTimeAsync(TEST_HEARTBEAT_MS);
    }
    expect((await parked).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(leader.heartbeat()).toBe(ErrorCode.UNKNOWN_MEMBER_ID);

    const rejoined = await follower.join();
    expect(rejoined).toMatchObject({ generationId: 2, leader: follower.memberId });
  });

  it('forgets a KIP-394 member id that is not used within the session timeout', async () => {
    const pending = new TestMember(fixture.coordinator, aJoin({ requireKnownMemberId: true }));
    expect((await pending.join()).errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);

    await jest.advanceTimersByTimeAsync(TEST_SESSION_TIMEOUT_MS + 1);
    expect((await pending.join()).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('holds a rebalance open until a KIP-394 member id handed out meanwhile is used', async () => {
    const leader = member('leader');
    await formStableGroup([leader], settleJoinPhase);
    const newcomer = new TestMember(fixture.coordinator, aJoin({ requireKnownMemberId: true }));
    expect((await newcomer.join()).errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);

    const leaderRejoin = leader.join();
    expect(await isPending(leaderRejoin)).toBe(true);
    const newcomerJoin = await newcomer.join();
    expect(newcomerJoin).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2 });
    expect((await leaderRejoin).members).toHaveLength(2);
  });

  it('answers parked requests with COORDINATOR_NOT_AVAILABLE and stops every timer on close', async () => {
    const [a, b] = [member('a'), member('b')];
    await fixture.joinTogether([a, b]);
    const parkedSync = b.sync();
    const parkedJoin = fixture.coordinator.join(aJoin({ groupId: 'another-group' }));

    fixture.coordinator.close();
    expect((await parkedSync).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect((await parkedJoin).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(jest.getTimerCount()).toBe(0);
    expect(a.heartbeat()).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });
});
