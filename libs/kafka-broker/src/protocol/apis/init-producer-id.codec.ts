import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';

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
  writer.int32(0).int16(response.errorCode);
  writer.int64(response.producerId).int16(response.producerEpoch);
}
