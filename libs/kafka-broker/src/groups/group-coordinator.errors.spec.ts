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

describe('GroupCoordinator error codes', () => {
  const fixture = useFakeTimedCoordinator({
    initialRebalanceDelayMs: TEST_INITIAL_DELAY_MS,
    minSessionTimeoutMs: 1000,
    maxSessionTimeoutMs: 60_000,
  });
  const { settleJoinPhase, member } = fixture;

  /** Two members that have joined generation 1 but not synced yet. */
  async function completingRebalance(): Promise<[TestMember, TestMember]> {
    const [leader, follower] = [member('leader'), member('follower')];
    await fixture.joinTogether([leader, follower]);
    return [leader, follower];
  }

  /** A Stable group of two whose rebalance was just started by a third member joining. */
  async function preparingRebalance(): Promise<[TestMember, TestMember]> {
    const [a, b] = [member('a'), member('b')];
    await formStableGroup([a, b], settleJoinPhase);
    void member('newcomer').join();
    return [a, b];
  }

  describe('Heartbeat', () => {
    it('answers REBALANCE_IN_PROGRESS while the group prepares a rebalance', async () => {
      const [a] = await preparingRebalance();
      expect(a.heartbeat()).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    });

    it('answers NONE while the group completes a rebalance and once it is Stable', async () => {
      const [leader, follower] = await completingRebalance();
      expect(follower.heartbeat()).toBe(ErrorCode.NONE);
      await leader.sync({});
      expect(follower.heartbeat()).toBe(ErrorCode.NONE);
    });

    it('answers UNKNOWN_MEMBER_ID to strangers, to an Empty group and to an unknown group', async () => {
      const a = member('a');
      await formStableGroup([a], settleJoinPhase);
      const stranger = {
        groupId: TEST_GROUP,
        generationId: 1,
        memberId: 'x',
        groupInstanceId: null,
      };
      expect(fixture.coordinator.heartbeat(stranger)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
      a.leave();
      expect(a.heartbeat()).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
      expect(fixture.coordinator.heartbeat({ ...stranger, groupId: 'nobody-knows' })).toBe(
        ErrorCode.UNKNOWN_MEMBER_ID,
      );
    });

    it('answers ILLEGAL_GENERATION to a member that sends a stale generation', async () => {
      const a = member('a');
      await formStableGroup([a], settleJoinPhase);
      a.generationId = 0;
      expect(a.heartbeat()).toBe(ErrorCode.ILLEGAL_GENERATION);
    });

    it('answers INVALID_GROUP_ID to an empty group id', () => {
      const request = { groupId: '', generationId: 1, memberId: 'x', groupInstanceId: null };
      expect(fixture.coordinator.heartbeat(request)).toBe(ErrorCode.INVALID_GROUP_ID);
    });
  });

  describe('SyncGroup', () => {
    it('answers REBALANCE_IN_PROGRESS while the group prepares a rebalance', async () => {
      const [a] = await preparingRebalance();
      expect((await a.sync()).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    });

    it('answers ILLEGAL_GENERATION to a stale generation', async () => {
      const [leader] = await completingRebalance();
      leader.generationId = 7;
      expect((await leader.sync()).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    });

    it('answers UNKNOWN_MEMBER_ID to a member the group does not know', async () => {
      await completingRebalance();
      const stranger = {
        groupId: TEST_GROUP,
        generationId: 1,
        memberId: 'x',
        groupInstanceId: null,
      };
      expect((await fixture.coordinator.sync({ ...stranger, assignments: [] })).errorCode).toBe(
        ErrorCode.UNKNOWN_MEMBER_ID,
      );
    });

    it('answers a parked SyncGroup with REBALANCE_IN_PROGRESS when a new rebalance starts', async () => {
      const [, follower] = await completingRebalance();
      const parked = follower.sync();
      expect(await isPending(parked)).toBe(true);

      void member('late').join();
      expect(await parked).toMatchObject({
        errorCode: ErrorCode.REBALANCE_IN_PROGRESS,
        assignment: Buffer.alloc(0),
      });
    });

    it('hands the current assignment again to a member that re-syncs a Stable group', async () => {
      const a = member('a');
      await formStableGroup([a], settleJoinPhase);
      expect((await a.sync()).assignment.toString()).toBe(`assigned:${a.memberId}`);
    });
  });

  describe('JoinGroup', () => {
    it('answers UNKNOWN_MEMBER_ID to a stale member id', async () => {
      const a = member('a');
      await formStableGroup([a], settleJoinPhase);
      const stale = await fixture.coordinator.join(aJoin({ memberId: 'consumer-gone' }));
      expect(stale).toMatchObject({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, generationId: -1 });
      const unknownGroup = await fixture.coordinator.join(
        aJoin({ groupId: 'fresh', memberId: 'x' }),
      );
      expect(unknownGroup.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    });

    it('answers INVALID_SESSION_TIMEOUT outside the configured bounds', async () => {
      for (const sessionTimeoutMs of [999, 60_001]) {
        const result = await fixture.coordinator.join(aJoin({ sessionTimeoutMs }));
        expect(result.errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
      }
      expect(fixture.coordinator.listGroups()).toEqual([]);
    });

    it('answers INVALID_GROUP_ID to an empty group id', async () => {
      expect((await fixture.coordinator.join(aJoin({ groupId: '' }))).errorCode).toBe(
        ErrorCode.INVALID_GROUP_ID,
      );
    });

    it('answers INCONSISTENT_GROUP_PROTOCOL when a member shares no protocol with the group', async () => {
      const a = new TestMember(fixture.coordinator, aJoin({ protocols: [protocol('range')] }));
      await formStableGroup([a], settleJoinPhase);

      const rejected = [
        aJoin({ protocols: [protocol('roundrobin')] }),
        aJoin({ protocolType: 'connect' }),
        aJoin({ groupId: 'empty-protocols', protocols: [] }),
      ];
      for (const request of rejected) {
        expect((await fixture.coordinator.join(request)).errorCode).toBe(
          ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
        );
      }
      expect(a.heartbeat()).toBe(ErrorCode.NONE);
    });

    it('hands out a member id with MEMBER_ID_REQUIRED, then admits the member that uses it', async () => {
      const client = new TestMember(
        fixture.coordinator,
        aJoin({ clientId: 'kafkajs', requireKnownMemberId: true }),
      );
      const first = await client.join();
      expect(first).toEqual({
        errorCode: ErrorCode.MEMBER_ID_REQUIRED,
        generationId: -1,
        protocolType: null,
        protocolName: null,
        leader: '',
        memberId: expect.stringMatching(/^kafkajs-[0-9a-f-]{36}$/) as string,
        members: [],
      });

      const second = client.join();
      await settleJoinPhase();
      expect(await second).toMatchObject({
        errorCode: ErrorCode.NONE,
        memberId: first.memberId,
        leader: first.memberId,
        generationId: 1,
      });
    });

    it('admits a v0–v3 member without a MEMBER_ID_REQUIRED round trip', async () => {
      const joining = fixture.coordinator.join(aJoin({ requireKnownMemberId: false }));
      await settleJoinPhase();
      expect((await joining).errorCode).toBe(ErrorCode.NONE);
    });
  });

  describe('LeaveGroup', () => {
    it('answers each leaving member separately, UNKNOWN_MEMBER_ID for strangers', async () => {
      const [a, b] = [member('a'), member('b')];
      await formStableGroup([a, b], settleJoinPhase);

      const result = fixture.coordinator.leave({
        groupId: TEST_GROUP,
        members: [
          { memberId: a.memberId, groupInstanceId: null },
          { memberId: 'stranger', groupInstanceId: null },
        ],
      });
      expect(result).toEqual({
        errorCode: ErrorCode.NONE,
        members: [
          { memberId: a.memberId, groupInstanceId: null, errorCode: ErrorCode.NONE },
          { memberId: 'stranger', groupInstanceId: null, errorCode: ErrorCode.UNKNOWN_MEMBER_ID },
        ],
      });
      expect(b.heartbeat()).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    });

    it('answers UNKNOWN_MEMBER_ID for every member of an unknown group', () => {
      const result = fixture.coordinator.leave({
        groupId: 'nobody-knows',
        members: [{ memberId: 'x', groupInstanceId: null }],
      });
      expect(result.members[0].errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    });

    it('releases a KIP-394 member id that leaves before joining', async () => {
      const client = new TestMember(fixture.coordinator, aJoin({ requireKnownMemberId: true }));
      await client.join();
      expect(client.leave().members[0].errorCode).toBe(ErrorCode.NONE);
      expect((await client.join()).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    });
  });
});
