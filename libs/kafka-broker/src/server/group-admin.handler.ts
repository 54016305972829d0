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
import { AclOperation, AclResourceType } from '../security/acl';
import type { ApiHandlers } from './api-handler';
import type { BrokerContext } from './broker-context';

/**
 * DescribeGroups v0–2, ListGroups v0–2 and DeleteGroups v0–1 (admin tools). As in Kafka, a
 * group one may not DESCRIBE (or DELETE) is answered GROUP_AUTHORIZATION_FAILED, and ListGroups
 * lists every group to a principal with DESCRIBE on the cluster, else only those it may DESCRIBE.
 */
export function createGroupAdminHandlers(
  broker: BrokerContext,
): Pick<ApiHandlers, ApiKey.DescribeGroups | ApiKey.ListGroups | ApiKey.DeleteGroups> {
  const { groups } = broker;
  return {
    [ApiKey.DescribeGroups]: async ({ body, version, session }) => {
      const described = groups
        .describeGroups(decodeDescribeGroupsRequest(body).groups)
        .map((group) =>
          session.allows(AclOperation.DESCRIBE, AclResourceType.GROUP, group.groupId)
            ? group
            : {
                ...group,
                errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
                state: 'Dead' as const,
                protocolType: '',
                protocolName: '',
                members: [],
              },
        );
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
    [ApiKey.ListGroups]: async ({ version, session }) => {
      const all = session.allowsCluster(AclOperation.DESCRIBE);
      const listed = groups
        .listGroups()
        .filter(
          (group) =>
            all || session.allows(AclOperation.DESCRIBE, AclResourceType.GROUP, group.groupId),
        );
      const writer = new Writer();
      encodeListGroupsResponse(writer, version, ErrorCode.NONE, listed);
      return writer;
    },
    [ApiKey.DeleteGroups]: async ({ body, session }) => {
      const requested = decodeDeleteGroupsRequest(body).groups;
      const mayDelete = (groupId: string): boolean =>
        session.allows(AclOperation.DELETE, AclResourceType.GROUP, groupId);
      const deleted = await groups.deleteGroups(requested.filter(mayDelete));
      const results = requested.map(
        (groupId) =>
          deleted.find((r) => r.groupId === groupId) ?? {
            groupId,
            errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
          },
      );
      const writer = new Writer();
      encodeDeleteGroupsResponse(writer, results);
      return writer;
    },
  };
}
