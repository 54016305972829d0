import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';
import { decodeAclFilter, type WireAcl, type WireAclFilter } from './describe-acls.codec';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_DeleteAcls). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   DeleteAcls Request (Version: 0) => [filters]
 *     filters => resource_type_filter resource_name_filter principal_filter host_filter
 *         operation permission_type
 *       resource_type_filter => INT8
 *       resource_name_filter => NULLABLE_STRING
 *       principal_filter => NULLABLE_STRING
 *       host_filter => NULLABLE_STRING
 *       operation => INT8
 *       permission_type => INT8
 *   DeleteAcls Request (Version: 1) => [filters]
 *     filters => resource_type_filter resource_name_filter pattern_type_filter principal_filter
 *         host_filter operation permission_type
 *       pattern_type_filter => INT8
 *
 *   DeleteAcls Response (Version: 0) => throttle_time_ms [filter_results]
 *     throttle_time_ms => INT32
 *     filter_results => error_code error_message [matching_acls]
 *       error_code => INT16
 *       error_message => NULLABLE_STRING
 *       matching_acls => error_code error_message resource_type resource_name principal host
 *           operation permission_type
 *         resource_type => INT8
 *         resource_name => STRING
 *         principal => STRING
 *         host => STRING
 *         operation => INT8
 *         permission_type => INT8
 *   DeleteAcls Response (Version: 1) => throttle_time_ms [filter_results]
 *     matching_acls => error_code error_message resource_type resource_name pattern_type
 *         principal host operation permission_type
 *       pattern_type => INT8
 */

export interface DeletedAcl {
  readonly errorCode: ErrorCode;
  readonly errorMessage: string | null;
  readonly acl: WireAcl;
}

export interface DeleteAclsFilterResult {
  readonly errorCode: ErrorCode;
  readonly errorMessage: string | null;
  readonly matchingAcls: readonly DeletedAcl[];
}

export function decodeDeleteAclsRequest(
  reader: Reader,
  version: number,
): { filters: WireAclFilter[] } {
  return { filters: reader.array((r) => decodeAclFilter(r, version)) };
}

export function encodeDeleteAclsResponse(
  writer: Writer,
  version: number,
  results: readonly DeleteAclsFilterResult[],
): void {
  writer.int32(NO_THROTTLE_MS);
  writer.array(results, (w, result) => {
    w.int16(result.errorCode).nullableString(result.errorMessage);
    w.array(result.matchingAcls, (mw, { errorCode, errorMessage, acl }) => {
      mw.int16(errorCode).nullableString(errorMessage);
      mw.int8(acl.resourceType).string(acl.resourceName);
      if (version >= 1) mw.int8(acl.patternType);
      mw.string(acl.principal).string(acl.host).int8(acl.operation).int8(acl.permissionType);
    });
  });
}
