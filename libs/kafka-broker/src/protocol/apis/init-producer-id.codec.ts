import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_InitProducerId). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   InitProducerId Request (Version: 0-1) => transactional_id transaction_timeout_ms
 *     transactional_id => NULLABLE_STRING
 *     transaction_timeout_ms => INT32
 *
 *   InitProducerId Response (Version: 0-1) => throttle_time_ms error_code producer_id
 *       producer_epoch
 *     throttle_time_ms => INT32
 *     error_code => INT16
 *     producer_id => INT64
 *     producer_epoch => INT16
 */

export interface InitProducerIdRequest {
  /** Non-null asks for a transactional producer, which the broker refuses. */
  readonly transactionalId: string | null;
  readonly transactionTimeoutMs: number;
}

export interface InitProducerIdResponse {
  readonly errorCode: ErrorCode;
  readonly producerId: number;
  readonly producerEpoch: number;
}

/** Versions 0–1 share a layout. */
export function decodeInitProducerIdRequest(reader: Reader): InitProducerIdRequest {
  const transactionalId = reader.nullableString();
  return { transactionalId, transactionTimeoutMs: reader.int32() };
}

export function encodeInitProducerIdResponse(
  writer: Writer,
  response: InitProducerIdResponse,
): void {
  writer.int32(NO_THROTTLE_MS).int16(response.errorCode);
  writer.int64(response.producerId).int16(response.producerEpoch);
}
