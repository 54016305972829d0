import { headerValues, KafkaHeaders } from './kafka-message';

/**
 * Headers a dead-lettered message carries on tracker.deadletter.v1, next to its original key,
 * value (bytes untouched) and original headers.
 */
export const DEAD_LETTER_HEADERS = {
  /** Topic the message was consumed from. */
  sourceTopic: 'x-deadletter-source-topic',
  /** Partition it was consumed from, as a decimal string. */
  sourcePartition: 'x-deadletter-source-partition',
  /** Its offset in that partition, as a decimal string. */
  sourceOffset: 'x-deadletter-source-offset',
  /** Why it was rejected: a `ContractViolation` message or an error message, one line. */
  reason: 'x-deadletter-reason',
  /** When it was dead-lettered, RFC 3339. */
  at: 'x-deadletter-at',
} as const;

/** Longest `x-deadletter-reason` written; longer reasons are cut. */
export const DEAD_LETTER_REASON_MAX_LENGTH = 1000;

/** Where a rejected message came from and why it was rejected. */
export interface DeadLetterInfo {
  readonly sourceTopic: string;
  readonly sourcePartition: number;
  /** Kafka offsets are 64-bit: kept as the decimal string kafkajs uses. */
  readonly sourceOffset: string;
  readonly reason: string;
  readonly at: string;
}

/** The `x-deadletter-*` headers for a rejected message. */
export function deadLetterHeaders(info: DeadLetterInfo): Record<string, string> {
  const reason = info.reason.replace(/\s+/g, ' ').slice(0, DEAD_LETTER_REASON_MAX_LENGTH);
  return {
    [DEAD_LETTER_HEADERS.sourceTopic]: info.sourceTopic,
    [DEAD_LETTER_HEADERS.sourcePartition]: String(info.sourcePartition),
    [DEAD_LETTER_HEADERS.sourceOffset]: info.sourceOffset,
    [DEAD_LETTER_HEADERS.reason]: reason,
    [DEAD_LETTER_HEADERS.at]: info.at,
  };
}

/** Reads the `x-deadletter-*` headers back; undefined when the message lacks any of them. */
export function readDeadLetterHeaders(headers: KafkaHeaders): DeadLetterInfo | undefined {
  const read = (name: string): string | undefined => headerValues(headers, name)[0];
  const sourceTopic = read(DEAD_LETTER_HEADERS.sourceTopic);
  const sourcePartition = Number(read(DEAD_LETTER_HEADERS.sourcePartition));
  const sourceOffset = read(DEAD_LETTER_HEADERS.sourceOffset);
  const reason = read(DEAD_LETTER_HEADERS.reason);
  const at = read(DEAD_LETTER_HEADERS.at);
  if (sourceTopic === undefined || sourceOffset === undefined || reason === undefined) return;
  if (at === undefined || !Number.isInteger(sourcePartition)) return;
  return { sourceTopic, sourcePartition, sourceOffset, reason, at };
}
