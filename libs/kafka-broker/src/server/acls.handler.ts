import { ApiKey } from '../protocol/api-keys';
import {
  decodeCreateAclsRequest,
  encodeCreateAclsResponse,
  type CreateAclResult,
} from '../protocol/apis/create-acls.codec';
import {
  decodeDeleteAclsRequest,
  encodeDeleteAclsResponse,
  type DeleteAclsFilterResult,
} from '../protocol/apis/delete-acls.codec';
import {
  decodeDescribeAclsRequest,
  encodeDescribeAclsResponse,
} from '../protocol/apis/describe-acls.codec';
import { ErrorCode } from '../protocol/error-codes';
import { Writer } from '../protocol/writer';
import {
  AclOperation,
  InvalidAclError,
  validateAclEntry,
  type AclEntry,
  type AclFilter,
} from '../security/acl';
import { invalidFilterReason } from '../security/acl-matching';
import type { ApiHandlers } from './api-handler';
import type { BrokerContext, BrokerSecurity } from './broker-context';
import type { ConnectionSession } from './connection-session';

const CONFIGURED = 'ACL is configured in the broker options and cannot be deleted through the API';
const NOT_STORED = 'the ACL change could not be stored';

interface Outcome {
  readonly errorCode: ErrorCode;
  readonly errorMessage: string | null;
}

const OK: Outcome = { errorCode: ErrorCode.NONE, errorMessage: null };

/**
 * Why the request may not touch ACLs at all: no authorizer (SECURITY_DISABLED, as Kafka answers
 * without `authorizer.class.name`), or no `operation` on the cluster for this principal.
 */
function refusal(
  security: BrokerSecurity | null,
  session: ConnectionSession,
  operation: AclOperation,
): Outcome | null {
  if (security === null) {
    return {
      errorCode: ErrorCode.SECURITY_DISABLED,
      errorMessage: 'No Authorizer is configured on the broker',
    };
  }
  if (session.allowsCluster(operation)) return null;
  return {
    errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
    errorMessage: `${AclOperation[operation]} on the cluster is required`,
  };
}

/**
 * DescribeAcls, CreateAcls and DeleteAcls v0–1. CreateAcls and DeleteAcls need ALTER on the
 * cluster, DescribeAcls DESCRIBE on it. Changes are applied one at a time and persisted before
 * the answer (see `AclFile`), so concurrent requests cannot lose each other's bindings. When the
 * file cannot be written the answer is UNKNOWN_SERVER_ERROR; the change then holds in memory
 * only, until the next successful write or a restart.
 */
export function createAclsHandlers(
  broker: BrokerContext,
): Pick<ApiHandlers, ApiKey.DescribeAcls | ApiKey.CreateAcls | ApiKey.DeleteAcls> {
  let previous: Promise<unknown> = Promise.resolve();
  const change = <T>(security: BrokerSecurity, apply: () => T): Promise<T> => {
    const run = previous.then(async () => {
      const result = apply();
      await security.aclFile.save(security.authorizer.createdEntries());
      return result;
    });
    previous = run.catch(() => undefined);
    return run;
  };
  const storeFailed = (error: unknown): void => {
    broker.logger.error({ err: error }, 'storing ACLs failed');
  };
  return {
    [ApiKey.DescribeAcls]: async ({ body, version, session }) => {
      const filter = decodeDescribeAclsRequest(body, version);
      const { security } = broker;
      const refused = refusal(security, session, AclOperation.DESCRIBE);
      const invalid = invalidFilterReason(filter);
      let response: Outcome & { acls: AclEntry[] };
      if (refused !== null || security === null) response = { ...(refused ?? OK), acls: [] };
      else if (invalid !== null) {
        response = {
          errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: `invalid filter: ${invalid}`,
          acls: [],
        };
      } else response = { ...OK, acls: security.authorizer.describe(filter).map((a) => a.entry) };
      const writer = new Writer();
      encodeDescribeAclsResponse(writer, version, response);
      return writer;
    },
    [ApiKey.CreateAcls]: async ({ body, version, session }) => {
      const { creations } = decodeCreateAclsRequest(body, version);
      const { security } = broker;
      const refused = refusal(security, session, AclOperation.ALTER);
      let results: CreateAclResult[];
      if (refused !== null || security === null) results = creations.map(() => refused ?? OK);
      else {
        const valid: AclEntry[] = [];
        results = creations.map((creation) => {
          try {
            valid.push(validateAclEntry(creation));
            return OK;
          } catch (error) {
            if (!(error instanceof InvalidAclError)) throw error;
            return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: error.message };
          }
        });
        try {
          await change(security, () => security.authorizer.add(valid));
          broker.logger.info({ principal: session.principal, count: valid.length }, 'ACLs created');
        } catch (error) {
          storeFailed(error);
          const failed = { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: NOT_STORED };
          results = results.map((r) => (r.errorCode === ErrorCode.NONE ? failed : r));
        }
      }
      const writer = new Writer();
      encodeCreateAclsResponse(writer, results);
      return writer;
    },
    [ApiKey.DeleteAcls]: async ({ body, version, session }) => {
      const { filters } = decodeDeleteAclsRequest(body, version);
      const { security } = broker;
      const refused = refusal(security, session, AclOperation.ALTER);
      let results: DeleteAclsFilterResult[];
      if (refused !== null || security === null) {
        results = filters.map(() => ({ ...(refused ?? OK), matchingAcls: [] }));
      } else {
        try {
          results = await change(security, () => filters.map((f) => deleteMatching(security, f)));
          broker.logger.info({ principal: session.principal }, 'ACLs deleted');
        } catch (error) {
          storeFailed(error);
          const failed = { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: NOT_STORED };
          results = filters.map(() => ({ ...failed, matchingAcls: [] }));
        }
      }
      const writer = new Writer();
      encodeDeleteAclsResponse(writer, version, results);
      return writer;
    },
  };
}

/**
 * One filter's deletions. Configured bindings it selects are listed with INVALID_REQUEST and a
 * message: they stay, and the client learns why instead of seeing them silently left out.
 */
function deleteMatching(security: BrokerSecurity, filter: AclFilter): DeleteAclsFilterResult {
  const invalid = invalidFilterReason(filter);
  if (invalid !== null) {
    return {
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: `invalid filter: ${invalid}`,
      matchingAcls: [],
    };
  }
  return {
    ...OK,
    matchingAcls: security.authorizer.delete(filter).map(({ entry, configured }) => ({
      ...(configured ? { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: CONFIGURED } : OK),
      acl: entry,
    })),
  };
}
