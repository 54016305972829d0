import { ApiKey } from '../protocol/api-keys';
import {
  decodeDeleteGroupsRequest,
  encodeDeleteGroupsResponse,
} from '../protocol/apis/delete-groups.codec';
import {
  decodeDescribeGroupsRequest,
  encodeDescribeGroupsResponse,
} from '../protocol/apis/describe-groups.codec';
import { encodeListGroupsResponse } from '../protocol/apis/list-groups.codec';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import type { ApiHandlers } from './api-handler';
import type { BrokerContext } from './broker-context';

/** DescribeGroups v0–2, ListGroups v0–2 and DeleteGroups v0–1 (admin tools). */
export function createGroupAdminHandlers(
  broker: BrokerContext,
): Pick<ApiHandlers, ApiKey.DescribeGroups | ApiKey.ListGroups | ApiKey.DeleteGroups> {
  const { groups } = broker;
  return {
    [ApiKey.DescribeGroups]: async ({ body, version }) => {
      const described = groups.describeGroups(decodeDescribeGroupsRequest(body).groups);
      const writer = new Writer();
      encodeDescribeGroupsResponse(
        writer,
        version,
        described.map((group) => ({
          errorCode: group.errorCode,
          groupId: group.groupId,
          groupState: group.state,
          protocolType: group.protocolType,
          protocolData: group.protocolName,
          members: group.members.map((member) => ({
            memberId: member.memberId,
            clientId: member.clientId,
            clientHost: member.clientHost,
            memberMetadata: member.metadata,
            memberAssignment: member.assignment,
          })),
        })),
      );
      return writer;
    },
    [ApiKey.ListGroups]: async ({ version }) => {
      const writer = new Writer();
      encodeListGroupsResponse(writer, version, ErrorCode.NONE, groups.listGroups());
      return writer;
    },
    [ApiKey.DeleteGroups]: async ({ body }) => {
      const results = await groups.deleteGroups(decodeDeleteGroupsRequest(body).groups);
      const writer = new Writer();
      encodeDeleteGroupsResponse(writer, results);
      return writer;
    },
  };
}
