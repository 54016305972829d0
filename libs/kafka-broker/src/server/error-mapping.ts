import { BrokerError } from '../errors';
import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';

/**
 * The Kafka error code for a failure inside a handler: a protocol error carries its own; an
 * operating-system error (ENOSPC, EIO, ...) or another retriable broker error (a read that
 * raced a segment's deletion) is KAFKA_STORAGE_ERROR, which clients retry; anything else is
 * UNKNOWN_SERVER_ERROR, as Apache Kafka answers unexpected exceptions.
 */
export function errorCodeOf(error: unknown): ErrorCode {
  if (error instanceof KafkaProtocolError) return error.code;
  if (error instanceof BrokerError && error.retriable) return ErrorCode.KAFKA_STORAGE_ERROR;
  if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string') {
    return ErrorCode.KAFKA_STORAGE_ERROR;
  }
  return ErrorCode.UNKNOWN_SERVER_ERROR;
}
