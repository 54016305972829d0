import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_DescribeGroups). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   DescribeGroups Request (Version: 0-2) => [groups]
 *     groups => STRING
 *
 *   DescribeGroups Response (Version: 0) => [groups]
 *     groups => error_code group_id group_state protocol_type protocol_data [members]
 *       error_code => INT16
 *       group_id => STRING
 *       group_state => STRING
 *       protocol_type => STRING
 *       protocol_data => STRING
 *       members => member_id client_id client_host member_metadata member_assignment
 *         member_id => STRING
 *         client_id => STRING
 *         client_host => STRING
 *         member_metadata => BYTES
 *         member_assignment => BYTES
 *   DescribeGroups Response (Version: 1-2) => throttle_time_ms [groups]
 *     throttle_time_ms => INT32
 */

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
  if (version >= 1) writer.int32(NO_THROTTLE_MS);
  writer.array(groups, (w, group) => {
    w.int16(group.errorCode).string(group.groupId).string(group.groupState);
    w.string(group.protocolType).string(group.protocolData);
    w.array(group.members, (mw, member) => {
      mw.string(member.memberId).string(member.clientId).string(member.clientHost);
      mw.bytes(member.memberMetadata).bytes(member.memberAssignment);
    });
  });
}
