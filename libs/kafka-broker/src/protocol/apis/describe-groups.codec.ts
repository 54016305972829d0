import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';

export interface DescribedMember {
  readonly memberId: string;
  readonly clientId: string;
  readonly clientHost: string;
  readonly memberMetadata: Buffer;
  readonly memberAssignment: Buffer;
}

export interface DescribedGroup {
  readonly errorCode: ErrorCode;
  readonly groupId: string;
  readonly groupState: string;
  readonly protocolType: string;
  readonly protocolData: string;
  readonly members: readonly DescribedMember[];
}

export function decodeDescribeGroupsRequest(reader: Reader): { groups: string[] } {
  return { groups: reader.stringArray() };
}

/** Versions 0–2 share a layout; v1 adds the throttle time. */
export function encodeDescribeGroupsResponse(
  writer: Writer,
  version: number,
  groups: readonly DescribedGroup[],
): void {
  if (version >= 1) writer.int32(0);
  writer.array(groups, (w, group) => {
    w.int16(group.errorCode).string(group.groupId).string(group.groupState);
    w.string(group.protocolType).string(group.protocolData);
    w.array(group.members, (mw, member) => {
      mw.string(member.memberId).string(member.clientId).string(member.clientHost);
      mw.bytes(member.memberMetadata).bytes(member.memberAssignment);
    });
  });
}
