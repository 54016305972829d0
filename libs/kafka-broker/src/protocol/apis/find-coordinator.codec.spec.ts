import { ErrorCode } from '../error-codes';
import { kafkajsDecode, kafkajsBody, versions } from '@tracker/kafka-broker/testing/kafkajs-wire';
import {
  decodeFindCoordinatorRequest,
  encodeFindCoordinatorResponse,
} from './find-coordinator.codec';

describe('FindCoordinator codec', () => {
  it.each(versions(0, 2))('reads the key and key type from kafkajs v%i', async (version) => {
    const reader = await kafkajsBody('findCoordinator', version, {
      groupId: 'g1',
      coordinatorKey: 'g1',
      coordinatorType: 1,
    });
    expect(decodeFindCoordinatorRequest(reader, version)).toEqual({
      key: 'g1',
      keyType: version === 0 ? 0 : 1,
    });
    expect(reader.remaining).toBe(0);
  });

  it.each(versions(0, 2))('writes a v%i response naming the coordinator', async (version) => {
    const decoded = await kafkajsDecode<Record<string, unknown>>('findCoordinator', version, (w) =>
      encodeFindCoordinatorResponse(w, version, {
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        nodeId: 0,
        host: '127.0.0.1',
        port: 9092,
      }),
    );
    expect(decoded).toMatchObject({
      errorCode: 0,
      coordinator: { nodeId: 0, host: '127.0.0.1', port: 9092 },
    });
  });
});
