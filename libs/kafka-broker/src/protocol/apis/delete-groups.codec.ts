import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';

export interface DeleteGroupResult {
  readonly groupId: string;
  readonly errorCode: ErrorCode;
}

export function decodeDeleteGroupsRequest(reader: Reader): { groups: string[] } {
  return { groups: reader.stringArray() };
}

/** Versions 0–1 share a layout. */
export function encodeDeleteGroupsResponse(
  writer: Writer,
  results: readonly DeleteGroupResult[],
): void {
  writer.int32(0);
  writer.array(results, (w, result) => w.string(result.groupId).int16(result.errorCode));
}
