import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_FindCoordinator). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   FindCoordinator Request (Version: 0) => key
 *     key => STRING
 *   FindCoordinator Request (Version: 1-2) => key key_type
 *     key_type => INT8
 *
 *   FindCoordinator Response (Version: 0) => error_code node_id host port
 *     error_code => INT16
 *     node_id => INT32
 *     host => STRING
 *     port => INT32
 *   FindCoordinator Response (Version: 1-2) => throttle_time_ms error_code error_message
 *       node_id host port
 *     throttle_time_ms => INT32
 *     error_message => NULLABLE_STRING
 */

/** Coordinator key types (v1+). Transactions (1) are not supported by the broker. */
export const CoordinatorType = { Group: 0, Transaction: 1 } as const;

export interface FindCoordinatorRequest {
  readonly key: string;
  readonly keyType: number;
}

export interface FindCoordinatorResponse {
  readonly errorCode: ErrorCode;
  readonly errorMessage: string | null;
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
}

export function decodeFindCoordinatorRequest(
  reader: Reader,
  version: number,
): FindCoordinatorRequest {
  const key = reader.string();
  const keyType = version >= 1 ? reader.int8() : CoordinatorType.Group;
  return { key, keyType };
}

export function encodeFindCoordinatorResponse(
  writer: Writer,
  version: number,
  response: FindCoordinatorResponse,
): void {
  if (version >= 1) writer.int32(NO_THROTTLE_MS);
  writer.int16(response.errorCode);
  if (version >= 1) writer.nullableString(response.errorMessage);
  writer.int32(response.nodeId).string(response.host).int32(response.port);
}
