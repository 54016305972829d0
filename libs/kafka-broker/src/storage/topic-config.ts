import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';
import type { LogConfig } from './log-config';
import { TimestampType } from './record-batch';
import { TOPIC_CONFIGS } from './topic-config-catalogue';

const LEGAL_TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;
const MAX_TOPIC_NAME_LENGTH = 249;
/**
 * Checks a topic name with Kafka's rules (clients/.../internals/Topic.java): 1 to 249
 * characters from `[a-zA-Z0-9._-]`, and not `.` or `..` (they would name a directory).
 * @throws KafkaProtocolError INVALID_TOPIC_EXCEPTION
 */
export function validateTopicName(name: string): void {
  const problem = topicNameProblem(name);
  if (problem !== undefined) {
    throw new KafkaProtocolError(
      ErrorCode.INVALID_TOPIC_EXCEPTION,
      `topic name "${name}" ${problem}`,
    );
  }
}

function topicNameProblem(name: string): string | undefined {
  if (name.length === 0) {
    return 'is empty';
  }
  if (name.length > MAX_TOPIC_NAME_LENGTH) {
    return `is longer than ${MAX_TOPIC_NAME_LENGTH} characters`;
  }
  if (name === '.' || name === '..') {
    return 'cannot be "." or ".."';
  }
  if (!LEGAL_TOPIC_NAME.test(name)) {
    return 'may only contain ASCII letters, digits, ".", "_" and "-"';
  }
  return undefined;
}

/**
 * The effective log config of a topic: `defaults` overridden by its topic-level configs. Every
 * config of Kafka's catalogue is accepted when its value is valid; the enforced ones are
 * applied: retention.ms, retention.bytes, segment.bytes, segment.ms, max.message.bytes,
 * message.timestamp.type and the timestamp limits (message.timestamp.before.max.ms and
 * .after.max.ms, each falling back to the deprecated .difference.max.ms as in Kafka), and
 * cleanup.policy, which must be `delete`: the broker does not compact.
 * @throws KafkaProtocolError INVALID_CONFIG for a config Kafka does not know or a bad value
 */
export function resolveTopicConfig(
  configs: Readonly<Record<string, string>>,
  defaults: LogConfig,
): LogConfig {
  for (const [name, value] of Object.entries(configs)) checkTopicConfig(name, value);
  const config = { ...defaults };
  const number = (name: string): number | undefined =>
    configs[name] === undefined ? undefined : Number(configs[name]);
  config.retentionMs = number('retention.ms') ?? config.retentionMs;
  config.retentionBytes = number('retention.bytes') ?? config.retentionBytes;
  config.segmentBytes = number('segment.bytes') ?? config.segmentBytes;
  config.segmentMs = number('segment.ms') ?? config.segmentMs;
  config.maxMessageBytes = number('max.message.bytes') ?? config.maxMessageBytes;
  const difference = number('message.timestamp.difference.max.ms');
  config.timestampBeforeMaxMs =
    number('message.timestamp.before.max.ms') ?? difference ?? config.timestampBeforeMaxMs;
  config.timestampAfterMaxMs =
    number('message.timestamp.after.max.ms') ?? difference ?? config.timestampAfterMaxMs;
  const timestampType = configs['message.timestamp.type'];
  if (timestampType !== undefined) {
    config.timestampType =
      timestampType === 'LogAppendTime' ? TimestampType.LogAppendTime : TimestampType.CreateTime;
  }
  return config;
}

/** @throws KafkaProtocolError INVALID_CONFIG unless Kafka knows `name` and accepts `value` */
export function checkTopicConfig(name: string, value: string): void {
  const definition = TOPIC_CONFIGS.get(name);
  if (definition === undefined) throw invalidConfig(`unknown topic config "${name}"`);
  const problem = definition.problem(value);
  if (problem !== undefined) throw invalidConfig(`${name} ${problem}`);
  if (name === 'cleanup.policy' && value.split(',').some((policy) => policy.trim() !== 'delete')) {
    throw invalidConfig(`cleanup.policy "${value}" is not supported: the broker does not compact`);
  }
}

function invalidConfig(message: string): KafkaProtocolError {
  return new KafkaProtocolError(ErrorCode.INVALID_CONFIG, message);
}
