import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';
import type { LogConfig } from './log-config';
import { resolveTopicConfig, validateTopicName } from './topic-config';

const defaults: LogConfig = {
  segmentBytes: 1024 * 1024,
  retentionBytes: -1,
  retentionMs: 7 * 24 * 3600 * 1000,
  fsync: 'interval',
  fsyncIntervalMs: 1000,
};

function codeOf(run: () => unknown): ErrorCode | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof KafkaProtocolError ? error.code : undefined;
  }
}

describe(validateTopicName.name, () => {
  it.each(['tracker.pledges.v1', 'a', 'A_b-c.9', 'x'.repeat(249)])('accepts %s', (name) => {
    expect(codeOf(() => validateTopicName(name))).toBeUndefined();
  });

  it.each(['', '.', '..', 'x'.repeat(250), 'has space', 'slash/name', 'ümlaut'])(
    'refuses "%s" with INVALID_TOPIC_EXCEPTION',
    (name) => {
      expect(codeOf(() => validateTopicName(name))).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
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

  it.each([
    ['compression.type', 'gzip'],
    ['cleanup.policy', 'compact'],
    ['retention.ms', '-2'],
    ['retention.ms', '1.5'],
    ['retention.bytes', 'lots'],
    ['segment.bytes', '10'],
    ['segment.bytes', String(2 ** 31)],
  ])('refuses %s=%s with INVALID_CONFIG', (name, value) => {
    expect(codeOf(() => resolveTopicConfig({ [name]: value }, defaults))).toBe(
      ErrorCode.INVALID_CONFIG,
    );
  });
});
