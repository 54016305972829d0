import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';
import { LITERAL_PATTERN, type WireAcl } from './describe-acls.codec';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_CreateAcls). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   CreateAcls Request (Version: 0) => [creations]
 *     creations => resource_type resource_name principal host operation permission_type
 *       resource_type => INT8
 *       resource_name => STRING
 *       principal => STRING
 *       host => STRING
 *       operation => INT8
 *       permission_type => INT8
 *   CreateAcls Request (Version: 1) => [creations]
 *     creations => resource_type resource_name resource_pattern_type principal host operation
 *         permission_type
 *       resource_pattern_type => INT8
 *
 *   CreateAcls Response (Version: 0-1) => throttle_time_ms [results]
 *     throttle_time_ms => INT32
 *     results => error_code error_message
 *       error_code => INT16
 *       error_message => NULLABLE_STRING
 *
 * v0 predates prefixed patterns (KIP-290): its bindings are LITERAL.
 */

export interface CreateAclResult {
  readonly errorCode: ErrorCode;
  readonly errorMessage: string | null;
}

/** The creations as entries; they are validated by the handler, one result each. */
export function decodeCreateAclsRequest(reader: Reader, version: number): { creations: WireAcl[] } {
  const creations = reader.array((r) => {
    const resourceType = r.int8();
    const resourceName = r.string();
    const patternType = version >= 1 ? r.int8() : LITERAL_PATTERN;
    return {
      resourceType,
      resourceName,
      patternType,
      principal: r.string(),
      host: r.string(),
      operation: r.int8(),
      permissionType: r.int8(),
    };
  });
  return { creations };
}

/** Versions 0–1 share a layout. */
export function encodeCreateAclsResponse(
  writer: Writer,
  results: readonly CreateAclResult[],
): void {
  writer.int32(NO_THROTTLE_MS);
  writer.array(results, (w, result) =>
    w.int16(result.errorCode).nullableString(result.errorMessage),
  );
}
