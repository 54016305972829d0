import type { ErrorCode } from '../error-codes';
import type { Reader } from '../reader';
import type { Writer } from '../writer';
import { NO_THROTTLE_MS } from './common';

/**
 * Wire grammar, as in the Kafka protocol guide
 * (https://kafka.apache.org/protocol#The_Messages_DescribeAcls). Versions that share a layout
 * are merged; a field's type is given where it first appears.
 *
 *   DescribeAcls Request (Version: 0) => resource_type_filter resource_name_filter
 *       principal_filter host_filter operation permission_type
 *     resource_type_filter => INT8
 *     resource_name_filter => NULLABLE_STRING
 *     principal_filter => NULLABLE_STRING
 *     host_filter => NULLABLE_STRING
 *     operation => INT8
 *     permission_type => INT8
 *   DescribeAcls Request (Version: 1) => resource_type_filter resource_name_filter
 *       pattern_type_filter principal_filter host_filter operation permission_type
 *     pattern_type_filter => INT8
 *
 *   DescribeAcls Response (Version: 0) => throttle_time_ms error_code error_message [resources]
 *     throttle_time_ms => INT32
 *     error_code => INT16
 *     error_message => NULLABLE_STRING
 *     resources => resource_type resource_name [acls]
 *       resource_type => INT8
 *       resource_name => STRING
 *       acls => principal host operation permission_type
 *         principal => STRING
 *         host => STRING
 *         operation => INT8
 *         permission_type => INT8
 *   DescribeAcls Response (Version: 1) => throttle_time_ms error_code error_message [resources]
 *     resources => resource_type resource_name pattern_type [acls]
 *       pattern_type => INT8
 *
 * A v0 filter predates prefixed patterns (KIP-290): it selects LITERAL bindings only, and a v0
 * response can only show those.
 */

/** Pattern type LITERAL (3), implied by the v0 requests. */
export const LITERAL_PATTERN = 3;

/** One ACL binding in wire codes (see the broker's `security/acl.ts` for their meaning). */
export interface WireAcl {
  readonly resourceType: number;
  readonly resourceName: string;
  readonly patternType: number;
  readonly principal: string;
  readonly host: string;
  readonly operation: number;
  readonly permissionType: number;
}

/** A binding filter in wire codes: null strings match every value. */
export interface WireAclFilter extends Omit<WireAcl, 'resourceName' | 'principal' | 'host'> {
  readonly resourceName: string | null;
  readonly principal: string | null;
  readonly host: string | null;
}

export interface DescribeAclsResponse {
  readonly errorCode: ErrorCode;
  readonly errorMessage: string | null;
  readonly acls: readonly WireAcl[];
}

/** One ACL filter, in the field order DescribeAcls and DeleteAcls share. */
export function decodeAclFilter(reader: Reader, version: number): WireAclFilter {
  const resourceType = reader.int8();
  const resourceName = reader.nullableString();
  const patternType = version >= 1 ? reader.int8() : LITERAL_PATTERN;
  return {
    resourceType,
    resourceName,
    patternType,
    principal: reader.nullableString(),
    host: reader.nullableString(),
    operation: reader.int8(),
    permissionType: reader.int8(),
  };
}

export function decodeDescribeAclsRequest(reader: Reader, version: number): WireAclFilter {
  return decodeAclFilter(reader, version);
}

/** The bindings grouped by resource pattern, in the order first seen. */
export function encodeDescribeAclsResponse(
  writer: Writer,
  version: number,
  response: DescribeAclsResponse,
): void {
  const byResource = new Map<string, WireAcl[]>();
  for (const acl of response.acls) {
    const key = `${acl.resourceType}\u0000${acl.patternType}\u0000${acl.resourceName}`;
    const group = byResource.get(key);
    if (group === undefined) byResource.set(key, [acl]);
    else group.push(acl);
  }
  writer.int32(NO_THROTTLE_MS).int16(response.errorCode).nullableString(response.errorMessage);
  writer.array([...byResource.values()], (w, acls) => {
    const [first] = acls;
    w.int8(first.resourceType).string(first.resourceName);
    if (version >= 1) w.int8(first.patternType);
    w.array(acls, (aw, acl) =>
      aw.string(acl.principal).string(acl.host).int8(acl.operation).int8(acl.permissionType),
    );
  });
}
