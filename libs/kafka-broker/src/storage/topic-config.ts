import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';
import type { LogConfig } from './log-config';

const LEGAL_TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;
const MAX_TOPIC_NAME_LENGTH = 249;
const INTEGER = /^-?\d+$/;
/** Kafka's lower bound for segment.bytes before 4.0: the size of the smallest legacy record. */
const MIN_SEGMENT_BYTES = 14;
/** Positions inside a segment are indexed as u32 and read as i32 by Kafka tools: stay below 2 GiB. */
const MAX_SEGMENT_BYTES = 2 ** 31 - 1;

/** The topic-level configs this broker honours; anything else is refused with INVALID_CONFIG. */
export const SUPPORTED_TOPIC_CONFIGS = [
  'retention.ms',
  'retention.bytes',
  'segment.bytes',
  'cleanup.policy',
] as const;

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
 * The effective log config of a topic: `defaults` overridden by its topic-level configs.
 * Supported: `retention.ms` (>= -1), `retention.bytes` (>= -1), `segment.bytes`
 * (14..2^31-1) and `cleanup.policy` (only `delete`: the broker does not compact).
 * @throws KafkaProtocolError INVALID_CONFIG for an unknown name or a bad value
 */
export function resolveTopicConfig(
  configs: Record<string, string>,
  defaults: LogConfig,
): LogConfig {
  const config = { ...defaults };
  for (const [name, value] of Object.entries(configs)) {
    switch (name) {
      case 'retention.ms':
        config.retentionMs = parseInteger(name, value, -1, Number.MAX_SAFE_INTEGER);
        break;
      case 'retention.bytes':
        config.retentionBytes = parseInteger(name, value, -1, Number.MAX_SAFE_INTEGER);
        break;
      case 'segment.bytes':
        config.segmentBytes = parseInteger(name, value, MIN_SEGMENT_BYTES, MAX_SEGMENT_BYTES);
        break;
      case 'cleanup.policy':
        if (value !== 'delete') {
          throw invalidConfig(`cleanup.policy "${value}" is not supported; only "delete" is`);
        }
        break;
      default:
        throw invalidConfig(
          `config "${name}" is not supported; supported: ${SUPPORTED_TOPIC_CONFIGS.join(', ')}`,
        );
    }
  }
  return config;
}

function parseInteger(name: string, value: string, min: number, max: number): number {
  const parsed = INTEGER.test(value) ? Number(value) : Number.NaN;
  if (!(parsed >= min && parsed <= max)) {
    throw invalidConfig(`${name} must be an integer between ${min} and ${max}, got "${value}"`);
  }
  return parsed;
}

function invalidConfig(message: string): KafkaProtocolError {
  return new KafkaProtocolError(ErrorCode.INVALID_CONFIG, message);
}
