import { kafkajsDecode, kafkajsBody, versions } from '@tracker/kafka-broker/testing/kafkajs-wire';
import { decodeLeaveGroupRequest, encodeLeaveGroupResponse } from './leave-group.codec';

describe('LeaveGroup codec', () => {
  it.each(versions(0, 2))('reads the single member of kafkajs v%i', async (version) => {
    const reader = await kafkajsBody('leaveGroup', version, {
      groupId: 'g1',
      memberId: 'm-1',
    });
    expect(decodeLeaveGroupRequest(reader, version)).toEqual({
      groupId: 'g1',
      members: [{ memberId: 'm-1', groupInstanceId: null }],
    });
    expect(reader.remaining).toBe(0);
  });

  it('reads the member batch of kafkajs v3', async () => {
    const reader = await kafkajsBody('leaveGroup', 3, {
      groupId: 'g1',
      members: [{ memberId: 'm-1', groupInstanceId: null }, { memberId: 'm-2' }],
    });
    expect(decodeLeaveGroupRequest(reader, 3).members.map((m) => m.memberId)).toEqual([
      'm-1',
      'm-2',
    ]);
    expect(reader.remaining).toBe(0);
  });

  it.each(versions(0, 3))('writes a v%i response kafkajs decodes', async (version) => {
    const decoded = await kafkajsDecode<{ errorCode: number; members?: unknown[] }>(
      'leaveGroup',
      version,
      (w) =>
        encodeLeaveGroupResponse(w, version, {
          errorCode: 0,
          members: [{ memberId: 'm-1', groupInstanceId: null, errorCode: 0 }],
        }),
    );
    expect(decoded.errorCode).toBe(0);
    if (version === 3) {
      expect(decoded.members).toEqual([{ memberId: 'm-1', groupInstanceId: null, errorCode: 0 }]);
    }
  });
});
