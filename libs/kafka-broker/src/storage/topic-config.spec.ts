import { ErrorCode } from '../protocol/error-codes';
import { kafkaErrorCodeOf } from '../testing/kafka-errors';
import { KAFKA_LOG_DEFAULTS, type LogConfig } from './log-config';
import { TimestampType } from './record-batch';
import { resolveTopicConfig, validateTopicName } from './topic-config';

const defaults: LogConfig = {
  segmentBytes: 1024 * 1024,
  retentionBytes: -1,
  retentionMs: 7 * 24 * 3600 * 1000,
  maxMessageBytes: 1_048_588,
  fsync: 'interval',
  fsyncIntervalMs: 1000,
  ...KAFKA_LOG_DEFAULTS,
};

describe(validateTopicName.name, () => {
  it.each(['tracker.pledges.v1', 'a', 'A_b-c.9', 'x'.repeat(249)])('accepts %s', (name) => {
    expect(kafkaErrorCodeOf(() => validateTopicName(name))).toBeUndefined();
  });

  it.each(['', '.', '..', 'x'.repeat(250), 'has space', 'slash/name', 'ümlaut'])(
    'refuses "%s" with INVALID_TOPIC_EXCEPTION',
    (name) => {
      expect(kafkaErrorCodeOf(() => validateTopicName(name))).toBe(
        ErrorCode.INVALID_TOPIC_EXCEPTION,
      );
    },
  );
});

describe(resolveTopicConfig.name, () => {
  it('overrides the broker defaults with the supported topic configs', () => {
    const config = resolveTopicConfig(
      {
        'retention.ms': '-1',
        'retention.bytes': '1048576',
        'segment.bytes': '4096',
        'cleanup.policy': 'delete',
      },
      defaults,
    );

    expect(config).toEqual({
      ...defaults,
      retentionMs: -1,
      retentionBytes: 1048576,
      segmentBytes: 4096,
    });
  });

  it('applies segment.ms, max.message.bytes and the timestamp settings', () => {
    const config = resolveTopicConfig(
      {
        'segment.ms': '60000',
        'max.message.bytes': '2048',
        'message.timestamp.type': 'LogAppendTime',
        'message.timestamp.before.max.ms': '1000',
      },
      defaults,
    );

    expect(config).toMatchObject({
      segmentMs: 60000,
      maxMessageBytes: 2048,
      timestampType: TimestampType.LogAppendTime,
      timestampBeforeMaxMs: 1000,
      timestampAfterMaxMs: defaults.timestampAfterMaxMs,
    });
  });

  it('falls back to message.timestamp.difference.max.ms for a limit not set itself', () => {
    const config = resolveTopicConfig(
      {
        'message.timestamp.difference.max.ms': '5000',
        'message.timestamp.after.max.ms': '10',
      },
      defaults,
    );

    expect([config.timestampBeforeMaxMs, config.timestampAfterMaxMs]).toEqual([5000, 10]);
  });

  it('accepts the topic configs Kafka knows without enforcing them', () => {
    const stored = {
      'compression.type': 'gzip',
      'min.insync.replicas': '2',
      'min.cleanable.dirty.ratio': '0.3',
      'unclean.leader.election.enable': 'true',
      'flush.messages': '9223372036854775807',
    };

    expect(resolveTopicConfig(stored, defaults)).toEqual(defaults);
  });

  it.each([
    ['no.such.config', 'x'],
    ['cleanup.policy', 'compact'],
    ['cleanup.policy', 'delete,compact'],
    ['message.timestamp.type', 'WallClock'],
    ['max.message.bytes', '-1'],
    ['min.insync.replicas', '0'],
    ['min.cleanable.dirty.ratio', '1.5'],
    ['preallocate', 'yes'],
    ['flush.messages', '9223372036854775808'],
    ['retention.ms', '-2'],
    ['retention.ms', '1.5'],
    ['retention.bytes', 'lots'],
    ['segment.bytes', '10'],
    ['segment.bytes', String(2 ** 31)],
  ])('refuses %s=%s with INVALID_CONFIG', (name, value) => {
    expect(kafkaErrorCodeOf(() => resolveTopicConfig({ [name]: value }, defaults))).toBe(
      ErrorCode.INVALID_CONFIG,
    );
  });
});
