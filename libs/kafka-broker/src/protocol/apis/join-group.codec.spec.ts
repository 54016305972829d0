import { kafkajsDecode, kafkajsBody, versions } from '@tracker/kafka-broker/testing/kafkajs-wire';
import { decodeJoinGroupRequest, encodeJoinGroupResponse } from './join-group.codec';

describe('JoinGroup codec', () => {
  it.each(versions(0, 5))(
    'reads member, timeouts and protocols from kafkajs v%i',
    async (version) => {
      const reader = await kafkajsBody('joinGroup', version, {
        groupId: 'g1',
        sessionTimeout: 30000,
        rebalanceTimeout: 60000,
        memberId: '',
        groupInstanceId: null,
        protocolType: 'consumer',
        groupProtocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from([1, 2, 3]) }],
      });
      expect(decodeJoinGroupRequest(reader, version)).toEqual({
        groupId: 'g1',
        sessionTimeoutMs: 30000,
        rebalanceTimeoutMs: version === 0 ? 30000 : 60000,
        memberId: '',
        groupInstanceId: null,
        protocolType: 'consumer',
        protocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from([1, 2, 3]) }],
      });
      expect(reader.remaining).toBe(0);
    },
  );

  it.each(versions(0, 5))('writes a v%i leader response with the member list', async (version) => {
    const decoded = await kafkajsDecode<Record<string, unknown>>('joinGroup', version, (w) =>
      encodeJoinGroupResponse(w, version, {
        errorCode: 0,
        generationId: 3,
        protocolName: 'RoundRobinAssigner',
        leader: 'm-1',
        memberId: 'm-1',
        members: [
          { memberId: 'm-1', groupInstanceId: null, metadata: Buffer.from([9]) },
          { memberId: 'm-2', groupInstanceId: null, metadata: Buffer.from([8]) },
        ],
      }),
    );
    expect(decoded).toMatchObject({
      errorCode: 0,
      generationId: 3,
      groupProtocol: 'RoundRobinAssigner',
      leaderId: 'm-1',
      memberId: 'm-1',
    });
    const members = decoded.members as { memberId: string; memberMetadata: Buffer }[];
    expect(members.map((m) => [m.memberId, [...m.memberMetadata]])).toEqual([
      ['m-1', [9]],
      ['m-2', [8]],
    ]);
  });

  it('writes MEMBER_ID_REQUIRED with the assigned id so kafkajs can re-join', async () => {
    const decoded = await kafkajsDecode<Record<string, unknown>>('joinGroup', 5, (w) =>
      encodeJoinGroupResponse(w, 5, {
        errorCode: 79,
        generationId: -1,
        protocolName: '',
        leader: '',
        memberId: 'client-uuid',
        members: [],
      }),
    );
    expect(decoded).toMatchObject({ errorCode: 79, memberId: 'client-uuid' });
  });
});
