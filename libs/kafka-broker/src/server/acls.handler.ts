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
import { AclOperation, InvalidAclError, validateAclEntry, type AclEntry } from '../security/acl';
import { invalidFilterReason } from '../security/acl-matching';
import type { ApiHandlers } from './api-handler';
import type { BrokerContext, BrokerSecurity } from './broker-context';

const NO_AUTHORIZER = 'No Authorizer is configured on the broker';
const CONFIGURED = 'ACL is configured in the broker options and cannot be deleted through the API';

/**
 * DescribeAcls, CreateAcls and DeleteAcls v0–1. CreateAcls and DeleteAcls need ALTER on the
 * cluster, DescribeAcls DESCRIBE on it. Changes are persisted before the answer (see `AclFile`)
 * and one at a time, so concurrent requests cannot lose each other's bindings. Without a
 * `security` option there is no authorizer: every request answers SECURITY_DISABLED, as Kafka
 * does without `authorizer.class.name`.
 */
export function createAclsHandlers(
  broker: BrokerContext,
): Pick<ApiHandlers, ApiKey.DescribeAcls | ApiKey.CreateAcls | ApiKey.DeleteAcls> {
  let changes: Promise<unknown> = Promise.resolve();
  /** Runs one change after the previous one finished, persisting the result. */
  const change = <T>(security: BrokerSecurity, apply: () => T): Promise<T> => {
    const run = changes.then(async () => {
      const result = apply();
      await security.aclFile.save(security.authorizer.createdEntries());
      return result;
    });
    changes = run.catch(() => undefined);
    return run;
  };
  return {
    [ApiKey.DescribeAcls]: async ({ body, version, session }) => {
      const filter = decodeDescribeAclsRequest(body, version);
      const writer = new Writer();
      const answer = (
        errorCode: ErrorCode,
        errorMessage: string | null,
        acls: AclEntry[] = [],
      ): Writer => {
        encodeDescribeAclsResponse(writer, version, { errorCode, errorMessage, acls });
        return writer;
      };
      const { security } = broker;
      if (security === null) return answer(ErrorCode.SECURITY_DISABLED, NO_AUTHORIZER);
      if (!session.allowsCluster(AclOperation.DESCRIBE)) {
        return answer(
          ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
          'DESCRIBE on the cluster is required',
        );
      }
      const invalid = invalidFilterReason(filter);
      if (invalid !== null) return answer(ErrorCode.INVALID_REQUEST, `invalid filter: ${invalid}`);
      return answer(
        ErrorCode.NONE,
        null,
        security.authorizer.describe(filter).map((acl) => acl.entry),
      );
    },
    [ApiKey.CreateAcls]: async ({ body, version, session }) => {
      const { creations } = decodeCreateAclsRequest(body, version);
      const { security } = broker;
      const refusal =
        security === null
          ? { errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: NO_AUTHORIZER }
          : !session.allowsCluster(AclOperation.ALTER)
            ? {
                errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
                errorMessage: 'ALTER on the cluster is required',
              }
            : null;
      let results: CreateAclResult[];
      if (security === null || refusal !== null) {
        results = creations.map(() => refusal ?? { errorCode: ErrorCode.NONE, errorMessage: null });
      } else {
        const valid: AclEntry[] = [];
        results = creations.map((creation) => {
          try {
            valid.push(validateAclEntry(creation));
            return { errorCode: ErrorCode.NONE, errorMessage: null };
          } catch (error) {
            if (!(error instanceof InvalidAclError)) throw error;
            return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: error.message };
          }
        });
        try {
          await change(security, () => security.authorizer.add(valid));
          broker.logger.info({ principal: session.principal, count: valid.length }, 'ACLs created');
        } catch (error) {
          broker.logger.error({ err: error }, 'persisting ACLs failed');
          results = results.map((r) =>
            r.errorCode === ErrorCode.NONE
              ? {
                  errorCode: ErrorCode.UNKNOWN_SERVER_ERROR,
                  errorMessage: 'the ACLs could not be stored',
                }
              : r,
          );
        }
      }
      const writer = new Writer();
      encodeCreateAclsResponse(writer, results);
      return writer;
    },
    [ApiKey.DeleteAcls]: async ({ body, version, session }) => {
      const { filters } = decodeDeleteAclsRequest(body, version);
      const { security } = broker;
      const refusal =
        security === null
          ? { errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: NO_AUTHORIZER }
          : !session.allowsCluster(AclOperation.ALTER)
            ? {
                errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
                errorMessage: 'ALTER on the cluster is required',
              }
            : null;
      let results: DeleteAclsFilterResult[];
      if (security === null || refusal !== null) {
        results = filters.map(() => ({
          ...(refusal ?? { errorCode: ErrorCode.NONE, errorMessage: null }),
          matchingAcls: [],
        }));
      } else {
        try {
          results = await change(security, () =>
            filters.map((filter) => deleteMatching(security, filter)),
          );
        } catch (error) {
          broker.logger.error({ err: error }, 'persisting ACLs failed');
          results = filters.map(() => ({
            errorCode: ErrorCode.UNKNOWN_SERVER_ERROR,
            errorMessage: 'the ACLs could not be stored',
            matchingAcls: [],
          }));
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
 * message: they are not deleted, and the client learns why rather than seeing them vanish from
 * the answer.
 */
function deleteMatching(
  security: BrokerSecurity,
  filter: Parameters<typeof invalidFilterReason>[0],
): DeleteAclsFilterResult {
  const invalid = invalidFilterReason(filter);
  if (invalid !== null) {
    return {
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: `invalid filter: ${invalid}`,
      matchingAcls: [],
    };
  }
  const matched = security.authorizer.delete(filter);
  return {
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    matchingAcls: matched.map(({ entry, configured }) => ({
      errorCode: configured ? ErrorCode.INVALID_REQUEST : ErrorCode.NONE,
      errorMessage: configured ? CONFIGURED : null,
      acl: entry,
    })),
  };
}
