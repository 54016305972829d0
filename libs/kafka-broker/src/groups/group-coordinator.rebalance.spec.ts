import { ErrorCode } from '../protocol/error-codes';
import {
  aJoin,
  formStableGroup,
  isPending,
  protocol,
  TEST_GROUP,
  TEST_INITIAL_DELAY_MS,
  TestMember,
  useFakeTimedCoordinator,
} from '../testing/group-coordinator.fixture';

describe('GroupCoordinator rebalancing', () => {
  const fixture = useFakeTimedCoordinator({ initialRebalanceDelayMs: TEST_INITIAL_DELAY_MS });
  const { settleJoinPhase } = fixture;

  function memberNamed(name: string, metadata = name): TestMember {
    return fixture.member(name, { protocols: [protocol('range', metadata)] });
  }

  function state(): string {
    return fixture.coordinator.describeGroups([TEST_GROUP])[0].state;
  }

  it('takes a lone member through join and sync to a Stable group that accepts heartbeats', async () => {
    const member = memberNamed('solo');
    const joining = member.join();
    expect(await isPending(joining)).toBe(true);

    await jest.advanceTimersByTimeAsync(TEST_INITIAL_DELAY_MS);
    const joined = await joining;
    expect(joined).toMatchObject({
      errorCode: ErrorCode.NONE,
      generationId: 1,
      protocolType: 'consumer',
      protocolName: 'range',
      leader: joined.memberId,
    });
    expect(joined.memberId).toMatch(/^solo-[0-9a-f-]{36}$/);
    expect(joined.members).toEqual([
      { memberId: joined.memberId, groupInstanceId: null, metadata: Buffer.from('solo') },
    ]);
    expect(state()).toBe('CompletingRebalance');

    const synced = await member.sync({ [member.memberId]: 'topic-a:0' });
    expect(synced.errorCode).toBe(ErrorCode.NONE);
    expect(synced.assignment.toString()).toBe('topic-a:0');
    expect(member.heartbeat()).toBe(ErrorCode.NONE);
    expect(fixture.coordinator.describeGroups([TEST_GROUP])[0]).toMatchObject({
      state: 'Stable',
      protocolType: 'consumer',
      protocolName: 'range',
      members: [
        {
          memberId: member.memberId,
          clientId: 'solo',
          clientHost: '/127.0.0.1',
          metadata: Buffer.from('solo'),
          assignment: Buffer.from('topic-a:0'),
        },
      ],
    });
  });

  it('gives the member list to the leader only and every member its own assignment', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((name) => memberNamed(name, `meta-${name}`));
    const [ja, jb, jc] = await fixture.joinTogether([a, b, c]);

    expect([ja, jb, jc].map((join) => join.generationId)).toEqual([1, 1, 1]);
    expect([ja, jb, jc].map((join) => join.leader)).toEqual([a.memberId, a.memberId, a.memberId]);
    expect(ja.members.map((m) => [m.memberId, m.metadata.toString()])).toEqual([
      [a.memberId, 'meta-a'],
      [b.memberId, 'meta-b'],
      [c.memberId, 'meta-c'],
    ]);
    expect(jb.members).toEqual([]);
    expect(jc.members).toEqual([]);

    const followerSyncs = [b.sync(), c.sync()];
    expect(await isPending(followerSyncs[0])).toBe(true);
    const leaderSync = await a.sync({
      [a.memberId]: 'for-a',
      [b.memberId]: 'for-b',
      [c.memberId]: 'for-c',
    });
    const [sb, sc] = await Promise.all(followerSyncs);
    expect([leaderSync, sb, sc].map((sync) => sync.assignment.toString())).toEqual([
      'for-a',
      'for-b',
      'for-c',
    ]);
    expect([leaderSync, sb, sc].map((sync) => sync.errorCode)).toEqual([0, 0, 0]);
    expect(state()).toBe('Stable');
  });

  it('hands empty assignment bytes to members the leader left out', async () => {
    const [a, b] = [memberNamed('a'), memberNamed('b')];
    await fixture.joinTogether([a, b]);

    const followerSync = b.sync();
    await a.sync({ [a.memberId]: 'everything' });
    expect((await followerSync).assignment).toEqual(Buffer.alloc(0));
  });

  it('rebalances the remaining members into a new generation when one leaves', async () => {
    const [a, b, c] = [memberNamed('a'), memberNamed('b'), memberNamed('c')];
    await formStableGroup([a, b, c], settleJoinPhase);

    expect(b.leave()).toEqual({
      errorCode: ErrorCode.NONE,
      members: [{ memberId: b.memberId, groupInstanceId: null, errorCode: ErrorCode.NONE }],
    });
    expect(a.heartbeat()).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(c.heartbeat()).toBe(ErrorCode.REBALANCE_IN_PROGRESS);

    const [ja, jc] = await Promise.all([a.join(), c.join()]);
    expect([ja.generationId, jc.generationId]).toEqual([2, 2]);
    expect(ja.leader).toBe(a.memberId);
    expect(ja.members.map((m) => m.memberId)).toEqual([a.memberId, c.memberId]);
    expect(b.heartbeat()).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('makes a Stable group rebalance when a new member joins, keeping the old leader', async () => {
    const a = memberNamed('a');
    await formStableGroup([a], settleJoinPhase);

    const newcomer = memberNamed('newcomer');
    const newcomerJoin = newcomer.join();
    expect(await isPending(newcomerJoin)).toBe(true);
    expect(a.heartbeat()).toBe(ErrorCode.REBALANCE_IN_PROGRESS);

    const [ja, jn] = await Promise.all([a.join(), newcomerJoin]);
    expect([ja.generationId, jn.generationId]).toEqual([2, 2]);
    expect(jn.leader).toBe(a.memberId);
    expect(ja.members).toHaveLength(2);
    expect(jn.members).toEqual([]);
  });

  it('leaves the group Empty when its last member leaves, counting that as a generation', async () => {
    const a = memberNamed('a');
    await formStableGroup([a], settleJoinPhase);

    a.leave();
    expect(fixture.coordinator.describeGroups([TEST_GROUP])[0]).toMatchObject({
      state: 'Empty',
      members: [],
    });
    expect(a.heartbeat()).toBe(ErrorCode.UNKNOWN_MEMBER_ID);

    const again = memberNamed('again');
    const rejoined = again.join();
    await settleJoinPhase();
    expect((await rejoined).generationId).toBe(3);
  });

  it('extends the initial delay while new members keep arriving', async () => {
    const first = memberNamed('first').join();
    await jest.advanceTimersByTimeAsync(TEST_INITIAL_DELAY_MS / 2);
    const second = memberNamed('second').join();
    await jest.advanceTimersByTimeAsync(TEST_INITIAL_DELAY_MS);
    expect(await isPending(first)).toBe(true);

    await jest.advanceTimersByTimeAsync(TEST_INITIAL_DELAY_MS);
    const [j1, j2] = await Promise.all([first, second]);
    expect(j1.members).toHaveLength(2);
    expect(j2.generationId).toBe(1);
  });

  it('rebalances when the leader rejoins a Stable group but answers a follower at once', async () => {
    const [a, b] = [memberNamed('a'), memberNamed('b')];
    await formStableGroup([a, b], settleJoinPhase);

    const followerRejoin = await b.join();
    expect(followerRejoin).toMatchObject({
      errorCode: ErrorCode.NONE,
      generationId: 1,
      members: [],
    });
    expect(state()).toBe('Stable');

    const leaderRejoin = a.join();
    expect(state()).toBe('PreparingRebalance');
    expect(await isPending(leaderRejoin)).toBe(true);
    await b.join();
    expect((await leaderRejoin).generationId).toBe(2);
  });

  it('selects the protocol most members prefer among those all of them support', async () => {
    const members = [
      [protocol('range'), protocol('roundrobin')],
      [protocol('roundrobin'), protocol('range')],
      [protocol('sticky'), protocol('roundrobin'), protocol('range')],
    ].map(
      (protocols, i) =>
        new TestMember(fixture.coordinator, aJoin({ clientId: `m${i}`, protocols })),
    );
    const results = await fixture.joinTogether(members);
    expect(results.map((result) => result.protocolName)).toEqual([
      'roundrobin',
      'roundrobin',
      'roundrobin',
    ]);
    expect(results[0].members.map((m) => m.metadata.toString())).toEqual([
      'roundrobin',
      'roundrobin',
      'roundrobin',
    ]);
  });

  it('treats an opaque protocol type like "consumer"', async () => {
    const member = new TestMember(
      fixture.coordinator,
      aJoin({ protocolType: 'connect', protocols: [protocol('sessioned', 'opaque')] }),
    );
    const joining = member.join();
    await settleJoinPhase();
    expect(await joining).toMatchObject({ errorCode: 0, protocolType: 'connect' });
    expect(fixture.coordinator.listGroups()).toEqual([
      { groupId: TEST_GROUP, protocolType: 'connect', state: 'CompletingRebalance' },
    ]);
  });
});
