import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';

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
  if (version >= 1) writer.int32(0);
  writer.int16(errorCode);
}
