import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';

export interface SyncGroupAssignment {
  readonly memberId: string;
  /** Opaque to the broker: never interpreted, handed back to the member as is. */
  readonly assignment: Buffer;
}

export interface SyncGroupRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** Only the leader sends assignments; followers send []. */
  readonly assignments: readonly SyncGroupAssignment[];
}

export interface SyncGroupResponse {
  readonly errorCode: ErrorCode;
  readonly assignment: Buffer;
}

export function decodeSyncGroupRequest(reader: Reader, version: number): SyncGroupRequest {
  const groupId = reader.string();
  const generationId = reader.int32();
  const memberId = reader.string();
  const groupInstanceId = version >= 3 ? reader.nullableString() : null;
  const assignments = reader.array((a) => ({
    memberId: a.string(),
    assignment: Buffer.from(a.bytes()),
  }));
  return { groupId, generationId, memberId, groupInstanceId, assignments };
}

export function encodeSyncGroupResponse(
  writer: Writer,
  version: number,
  response: SyncGroupResponse,
): void {
  if (version >= 1) writer.int32(0);
  writer.int16(response.errorCode).bytes(response.assignment);
}
