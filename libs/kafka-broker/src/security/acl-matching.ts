import {
  AclOperation,
  AclPatternType,
  AclPermissionType,
  AclResourceType,
  WILDCARD,
  WILDCARD_PRINCIPAL,
  type AclEntry,
  type AclFilter,
} from './acl';

/** Who is asking: the authenticated principal and the client's IP address. */
export interface RequestIdentity {
  readonly principal: string;
  readonly host: string;
}

/**
 * Kafka's implications: an ALLOW for any of these operations also allows the key operation
 * (READ, WRITE, DELETE or ALTER on a resource lets one DESCRIBE it; ALTER_CONFIGS lets one
 * DESCRIBE_CONFIGS). Denials imply nothing: a DENY for READ does not deny DESCRIBE.
 */
const ALLOWED_BY: ReadonlyMap<AclOperation, readonly AclOperation[]> = new Map([
  [
    AclOperation.DESCRIBE,
    [
      AclOperation.DESCRIBE,
      AclOperation.READ,
      AclOperation.WRITE,
      AclOperation.DELETE,
      AclOperation.ALTER,
    ],
  ],
  [AclOperation.DESCRIBE_CONFIGS, [AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS]],
]);

/** Whether a binding's resource pattern covers the named resource (literal, `*` or prefix). */
export function patternMatches(
  entry: Pick<AclEntry, 'resourceType' | 'resourceName' | 'patternType'>,
  resourceType: AclResourceType,
  resourceName: string,
): boolean {
  if (entry.resourceType !== resourceType) return false;
  if (entry.patternType === AclPatternType.PREFIXED) {
    return resourceName.startsWith(entry.resourceName);
  }
  return entry.resourceName === WILDCARD || entry.resourceName === resourceName;
}

/** Whether an ALLOW binding's operation grants `operation` (itself, an implying one, or ALL). */
export function grants(entry: AclEntry, operation: AclOperation): boolean {
  return (
    entry.operation === AclOperation.ALL ||
    (ALLOWED_BY.get(operation) ?? [operation]).includes(entry.operation)
  );
}

/** Whether a DENY binding's operation refuses `operation` (itself or ALL, nothing implied). */
export function refuses(entry: AclEntry, operation: AclOperation): boolean {
  return entry.operation === AclOperation.ALL || entry.operation === operation;
}

export function entryApplies(entry: AclEntry, identity: RequestIdentity): boolean {
  return (
    (entry.principal === identity.principal || entry.principal === WILDCARD_PRINCIPAL) &&
    (entry.host === WILDCARD || entry.host === identity.host)
  );
}

/**
 * The authorizer's decision over the bindings of one resource, as Kafka's AclAuthorizer and
 * StandardAuthorizer make it: no binding on the resource at all → `ifNoAcl`; else a matching
 * DENY (same operation or ALL) refuses; else a matching ALLOW (the operation, one implying it,
 * or ALL) grants; else refused.
 */
export function decide(
  entries: readonly AclEntry[],
  identity: RequestIdentity,
  operation: AclOperation,
  resourceType: AclResourceType,
  resourceName: string,
  ifNoAcl: boolean,
): boolean {
  const onResource = entries.filter((e) => patternMatches(e, resourceType, resourceName));
  if (onResource.length === 0) return ifNoAcl;
  const applying = onResource.filter((e) => entryApplies(e, identity));
  const denied = applying.some(
    (e) => e.permissionType === AclPermissionType.DENY && refuses(e, operation),
  );
  if (denied) return false;
  return applying.some((e) => e.permissionType === AclPermissionType.ALLOW && grants(e, operation));
}

/**
 * Whether some resource of a type would allow `operation` (Kafka's authorizeByResourceType,
 * used for "WRITE on any topic"): an ALLOW binding of the type for the identity whose pattern
 * no DENY for it covers (a DENY on the literal `*`, or a DENY prefix of the allowed name).
 * With no binding of the type at all, `ifNoAcl` decides.
 */
export function decideByResourceType(
  entries: readonly AclEntry[],
  identity: RequestIdentity,
  operation: AclOperation,
  resourceType: AclResourceType,
  ifNoAcl: boolean,
): boolean {
  const ofType = entries.filter((e) => e.resourceType === resourceType);
  if (ofType.length === 0) return ifNoAcl;
  const applying = ofType.filter((e) => entryApplies(e, identity));
  const denials = applying.filter(
    (e) => e.permissionType === AclPermissionType.DENY && refuses(e, operation),
  );
  const covered = (name: string): boolean =>
    denials.some(
      (d) =>
        (d.patternType === AclPatternType.LITERAL &&
          (d.resourceName === WILDCARD || d.resourceName === name)) ||
        (d.patternType === AclPatternType.PREFIXED && name.startsWith(d.resourceName)),
    );
  return applying.some(
    (e) =>
      e.permissionType === AclPermissionType.ALLOW &&
      grants(e, operation) &&
      !covered(e.resourceName),
  );
}

/**
 * Whether a DescribeAcls/DeleteAcls filter selects a binding. Pattern type ANY selects every
 * pattern; MATCH selects the bindings that would apply to the named resource (the literal name,
 * the `*` wildcard and every prefix of it); LITERAL and PREFIXED select that type only.
 */
export function filterMatches(filter: AclFilter, entry: AclEntry): boolean {
  if (filter.resourceType !== AclResourceType.ANY && filter.resourceType !== entry.resourceType) {
    return false;
  }
  if (filter.patternType === AclPatternType.MATCH) {
    if (
      filter.resourceName !== null &&
      !patternMatches(entry, entry.resourceType, filter.resourceName)
    ) {
      return false;
    }
  } else {
    if (filter.patternType !== AclPatternType.ANY && filter.patternType !== entry.patternType) {
      return false;
    }
    if (filter.resourceName !== null && filter.resourceName !== entry.resourceName) return false;
  }
  return (
    (filter.principal === null || filter.principal === entry.principal) &&
    (filter.host === null || filter.host === entry.host) &&
    (filter.operation === AclOperation.ANY || filter.operation === entry.operation) &&
    (filter.permissionType === AclPermissionType.ANY ||
      filter.permissionType === entry.permissionType)
  );
}

/**
 * Checks a filter's codes: UNKNOWN anywhere makes it match nothing useful, so Kafka refuses it.
 * @returns the reason the filter is invalid, or null.
 */
export function invalidFilterReason(filter: AclFilter): string | null {
  if (filter.resourceType === AclResourceType.UNKNOWN) return 'resource type UNKNOWN';
  if (filter.patternType === AclPatternType.UNKNOWN) return 'pattern type UNKNOWN';
  if (filter.operation === AclOperation.UNKNOWN) return 'operation UNKNOWN';
  if (filter.permissionType === AclPermissionType.UNKNOWN) return 'permission type UNKNOWN';
  const inRange = (value: number, max: number): boolean =>
    Number.isInteger(value) && value >= 0 && value <= max;
  if (
    !inRange(filter.resourceType, AclResourceType.TRANSACTIONAL_ID) ||
    !inRange(filter.patternType, AclPatternType.PREFIXED) ||
    !inRange(filter.operation, AclOperation.IDEMPOTENT_WRITE) ||
    !inRange(filter.permissionType, AclPermissionType.ALLOW)
  ) {
    return 'a code out of range';
  }
  return null;
}
