import type { ErrorCode } from '../error-codes';
import type { Writer } from '../writer';

export interface ListedGroup {
  readonly groupId: string;
  readonly protocolType: string;
}

/** The request body of versions 0–2 is empty. v1 adds the throttle time. */
export function encodeListGroupsResponse(
  writer: Writer,
  version: number,
  errorCode: ErrorCode,
  groups: readonly ListedGroup[],
): void {
  if (version >= 1) writer.int32(0);
  writer.int16(errorCode);
  writer.array(groups, (w, group) => w.string(group.groupId).string(group.protocolType));
}
