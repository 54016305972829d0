import { kafkajsDecode, kafkajsBody, versions } from '@tracker/kafka-broker/testing/kafkajs-wire';
import { decodeSyncGroupRequest, encodeSyncGroupResponse } from './sync-group.codec';

describe('SyncGroup codec', () => {
  it.each(versions(0, 3))('reads the leader assignments from kafkajs v%i', async (version) => {
    const reader = await kafkajsBody('syncGroup', version, {
      groupId: 'g1',
      generationId: 2,
      memberId: 'm-1',
      groupInstanceId: null,
      groupAssignment: [{ memberId: 'm-2', memberAssignment: Buffer.from([5, 6]) }],
    });
    expect(decodeSyncGroupRequest(reader, version)).toEqual({
      groupId: 'g1',
      generationId: 2,
      memberId: 'm-1',
      groupInstanceId: null,
      assignments: [{ memberId: 'm-2', assignment: Buffer.from([5, 6]) }],
    });
    expect(reader.remaining).toBe(0);
  });

  it.each(versions(0, 3))(
    'writes a v%i response carrying the opaque assignment',
    async (version) => {
      const decoded = await kafkajsDecode<{ errorCode: number; memberAssignment: Buffer }>(
        'syncGroup',
        version,
        (w) => encodeSyncGroupResponse(w, version, { errorCode: 0, assignment: Buffer.from([7]) }),
      );
      expect(decoded.errorCode).toBe(0);
      expect([...decoded.memberAssignment]).toEqual([7]);
    },
  );
});
