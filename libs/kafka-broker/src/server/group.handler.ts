import { ApiKey } from '../protocol/api-keys';
import {
  CoordinatorType,
  decodeFindCoordinatorRequest,
  encodeFindCoordinatorResponse,
} from '../protocol/apis/find-coordinator.codec';
import { decodeHeartbeatRequest, encodeHeartbeatResponse } from '../protocol/apis/heartbeat.codec';
import { decodeJoinGroupRequest, encodeJoinGroupResponse } from '../protocol/apis/join-group.codec';
import {
  decodeLeaveGroupRequest,
  encodeLeaveGroupResponse,
} from '../protocol/apis/leave-group.codec';
import { decodeSyncGroupRequest, encodeSyncGroupResponse } from '../protocol/apis/sync-group.codec';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import { AclOperation, AclResourceType } from '../security/acl';
import type { ApiHandlers } from './api-handler';
import type { BrokerContext } from './broker-context';
import type { ConnectionSession } from './connection-session';

type GroupMembershipKeys =
  | ApiKey.FindCoordinator
  | ApiKey.JoinGroup
  | ApiKey.SyncGroup
  | ApiKey.Heartbeat
  | ApiKey.LeaveGroup;

/**
 * FindCoordinator and the group membership APIs. JoinGroup and SyncGroup stay pending until the
 * rebalance phase completes; that holds only the member's own connection, as in Apache Kafka.
 * FindCoordinator needs DESCRIBE on the group, the membership APIs READ on it; without it they
 * answer GROUP_AUTHORIZATION_FAILED and leave the group alone.
 */
export function createGroupHandlers(broker: BrokerContext): Pick<ApiHandlers, GroupMembershipKeys> {
  const { groups } = broker;
  return {
    [ApiKey.FindCoordinator]: async ({ body, version, session }) => {
      const request = decodeFindCoordinatorRequest(body, version);
      const writer = new Writer();
      const refused =
        request.keyType === CoordinatorType.Group &&
        !session.allows(AclOperation.DESCRIBE, AclResourceType.GROUP, request.key);
      encodeFindCoordinatorResponse(writer, version, {
        ...(refused ? GROUP_REFUSED : coordinatorError(broker, request.keyType)),
        nodeId: broker.nodeId,
        ...broker.endpoint,
      });
      return writer;
    },
    [ApiKey.JoinGroup]: async ({ body, version, header, clientHost, session }) => {
      const request = decodeJoinGroupRequest(body, version);
      const result = !mayRead(session, request.groupId)
        ? {
            errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
            generationId: -1,
            protocolName: '',
            leader: '',
            memberId: request.memberId,
            members: [],
          }
        : await groups.join({
            ...request,
            clientId: header.clientId ?? '',
            clientHost,
            // KIP-394: v4+ members without a static id must first obtain an id from the coordinator.
            requireKnownMemberId: version >= 4 && request.groupInstanceId === null,
          });
      const writer = new Writer();
      encodeJoinGroupResponse(writer, version, {
        ...result,
        protocolName: result.protocolName ?? '',
      });
      return writer;
    },
    [ApiKey.SyncGroup]: async ({ body, version, session }) => {
      const request = decodeSyncGroupRequest(body, version);
      const result = mayRead(session, request.groupId)
        ? await groups.sync(request)
        : {
            errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
            assignment: Buffer.alloc(0),
            protocolType: null,
            protocolName: null,
          };
      const writer = new Writer();
      encodeSyncGroupResponse(writer, version, result);
      return writer;
    },
    [ApiKey.Heartbeat]: async ({ body, version, session }) => {
      const request = decodeHeartbeatRequest(body, version);
      const errorCode = mayRead(session, request.groupId)
        ? groups.heartbeat(request)
        : ErrorCode.GROUP_AUTHORIZATION_FAILED;
      const writer = new Writer();
      encodeHeartbeatResponse(writer, version, errorCode);
      return writer;
    },
    [ApiKey.LeaveGroup]: async ({ body, version, session }) => {
      const request = decodeLeaveGroupRequest(body, version);
      const result = mayRead(session, request.groupId)
        ? groups.leave(request)
        : { errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, members: [] };
      // v0–2 have only the top-level error: report the single member's own there.
      const single = result.members[0]?.errorCode ?? ErrorCode.NONE;
      const errorCode =
        version < 3 && result.errorCode === ErrorCode.NONE ? single : result.errorCode;
      const writer = new Writer();
      encodeLeaveGroupResponse(writer, version, { ...result, errorCode });
      return writer;
    },
  };
}

const GROUP_REFUSED = {
  errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
  errorMessage: 'not authorized to describe the group',
};

function mayRead(session: ConnectionSession, groupId: string): boolean {
  return session.allows(AclOperation.READ, AclResourceType.GROUP, groupId);
}

/**
 * Transactions are not supported: a transaction-coordinator lookup (the first step of every
 * transactional producer) is refused with a non-retriable code and an explicit message, rather
 * than with COORDINATOR_NOT_AVAILABLE, which clients would retry until they time out.
 */
function coordinatorError(
  broker: BrokerContext,
  keyType: number,
): { errorCode: ErrorCode; errorMessage: string | null } {
  if (keyType === CoordinatorType.Group) return { errorCode: ErrorCode.NONE, errorMessage: null };
  if (keyType === CoordinatorType.Transaction) {
    broker.logger.warn('refusing a transaction coordinator lookup: transactions are not supported');
    return {
      errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
      errorMessage: 'transactions are not supported by the embedded broker',
    };
  }
  return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `unknown key type ${keyType}` };
}
