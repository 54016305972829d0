import { OffsetStoreFailedError } from '../groups/offset-store.errors';
import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';
import { ProtocolDecodeError } from '../protocol/reader';
import { SegmentClosedError } from '../storage/segment';
import { errorCodeOf } from './error-mapping';

describe(errorCodeOf.name, () => {
  it('answers a protocol error with its own code, retriable as Kafka classifies it', () => {
    const notCoordinator = new KafkaProtocolError(ErrorCode.NOT_COORDINATOR, 'moved');
    const invalidConfig = new KafkaProtocolError(ErrorCode.INVALID_CONFIG, 'bad value');
    expect(errorCodeOf(notCoordinator)).toBe(ErrorCode.NOT_COORDINATOR);
    expect(notCoordinator.retriable).toBe(true);
    expect(invalidConfig.retriable).toBe(false);
  });

  it('answers a retriable broker failure and an OS error with KAFKA_STORAGE_ERROR', () => {
    const diskFull = Object.assign(new Error('no space left'), { code: 'ENOSPC' });
    expect(errorCodeOf(new SegmentClosedError(0))).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    expect(errorCodeOf(diskFull)).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
  });

  it('answers anything else with UNKNOWN_SERVER_ERROR', () => {
    expect(errorCodeOf(new OffsetStoreFailedError('EIO'))).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
    expect(errorCodeOf(new ProtocolDecodeError('truncated'))).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
    expect(errorCodeOf(new TypeError('a bug'))).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
  });
});
