import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_Heartbeat). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   Heartbeat Request (Version: 0-2) => group_id generation_id member_id
 *     group_id => STRING
 *     generation_id => INT32
 *     member_id => STRING
 *   Heartbeat Request (Version: 3) => group_id generation_id member_id group_instance_id
 *     group_instance_id => NULLABLE_STRING
 *
 *   Heartbeat Response (Version: 0) => error_code
 *     error_code => INT16
 *   Heartbeat Response (Version: 1-3) => throttle_time_ms error_code
 *     throttle_time_ms => INT32
 */

export interface HeartbeatRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export function decodeHeartbeatRequest(reader: Reader, version: number): HeartbeatRequest {
  const groupId = reader.string();
  const generationId = reader.int32();
  const memberId = reader.string();
  const groupInstanceId = version >= 3 ? reader.nullableString() : null;
  return { groupId, generationId, memberId, groupInstanceId };
}

export function encodeHeartbeatResponse(
  writer: Writer,
  version: number,
  errorCode: ErrorCode,
): void {
  if (version >= 1) writer.int32(NO_THROTTLE_MS);
  writer.int16(errorCode);
}
