import { ConfigOperation } from '../protocol/apis/incremental-alter-configs.codec';
import { ErrorCode } from '../protocol/error-codes';
import { kafkaErrorCodeOf } from '../testing/kafka-errors';
import { applyIncrementalChanges } from './config-changes';

const { Set, Delete, Append, Subtract } = ConfigOperation;

describe(applyIncrementalChanges.name, () => {
  it('sets and deletes overrides, leaving the others as they were', () => {
    const current = { 'retention.ms': '1000', 'segment.ms': '2000' };
    expect(
      applyIncrementalChanges(current, [
        { name: 'retention.ms', operation: Set, value: '3000' },
        { name: 'segment.ms', operation: Delete, value: null },
        { name: 'max.message.bytes', operation: Set, value: '4096' },
      ]),
    ).toEqual({ 'retention.ms': '3000', 'max.message.bytes': '4096' });
    expect(current).toEqual({ 'retention.ms': '1000', 'segment.ms': '2000' });
  });

  it('appends to and subtracts from a list, starting from its default', () => {
    const appended = applyIncrementalChanges({}, [
      { name: 'cleanup.policy', operation: Append, value: 'delete' },
      { name: 'follower.replication.throttled.replicas', operation: Append, value: '0:0, 1:0' },
    ]);
    expect(appended).toEqual({
      'cleanup.policy': 'delete',
      'follower.replication.throttled.replicas': '0:0,1:0',
    });
    expect(
      applyIncrementalChanges(appended, [
        { name: 'follower.replication.throttled.replicas', operation: Subtract, value: '1:0' },
      ]),
    ).toMatchObject({ 'follower.replication.throttled.replicas': '0:0' });
  });

  it.each([
    ['a config listed twice', 'retention.ms', Set, '1', ErrorCode.INVALID_REQUEST, 2],
    ['an unknown operation', 'retention.ms', 7, '1', ErrorCode.INVALID_REQUEST, 1],
    ['a SET without a value', 'retention.ms', Set, null, ErrorCode.INVALID_REQUEST, 1],
    ['an unknown config', 'no.such.config', Delete, null, ErrorCode.INVALID_CONFIG, 1],
    ['APPEND to a non-list', 'retention.ms', Append, '1', ErrorCode.INVALID_CONFIG, 1],
  ])('refuses %s', (_, name, operation, value, code, times) => {
    const changes = Array.from({ length: times }, () => ({ name, operation, value }));
    expect(kafkaErrorCodeOf(() => applyIncrementalChanges({}, changes))).toBe(code);
  });
});
