import { ErrorCode } from '../error-codes';
import { kafkajsDecode, kafkajsBody, versions } from '@tracker/kafka-broker/testing/kafkajs-wire';
import { decodeHeartbeatRequest, encodeHeartbeatResponse } from './heartbeat.codec';

describe('Heartbeat codec', () => {
  it.each(versions(0, 3))(
    'reads group, generation and member from kafkajs v%i',
    async (version) => {
      const reader = await kafkajsBody('heartbeat', version, {
        groupId: 'g1',
        groupGenerationId: 4,
        memberId: 'm-1',
        groupInstanceId: null,
      });
      expect(decodeHeartbeatRequest(reader, version)).toEqual({
        groupId: 'g1',
        generationId: 4,
        memberId: 'm-1',
        groupInstanceId: null,
      });
      expect(reader.remaining).toBe(0);
    },
  );

  it.each(versions(0, 3))(
    'writes a v%i REBALANCE_IN_PROGRESS kafkajs recognises',
    async (version) => {
      await expect(
        kafkajsDecode('heartbeat', version, (w) =>
          encodeHeartbeatResponse(w, version, ErrorCode.REBALANCE_IN_PROGRESS),
        ),
      ).resolves.toMatchObject({ errorCode: 27 });
    },
  );
});
