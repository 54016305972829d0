import { BrokerError } from '../errors';

/**
 * Kafka's ACL model. The numeric values are the wire codes of Apache Kafka's ResourceType,
 * PatternType, AclOperation and AclPermissionType (the CreateAcls/DescribeAcls/DeleteAcls
 * fields), so a binding travels between the wire, the authorizer and the ACL file unchanged.
 */

/** What an ACL protects. ANY matches every type in a filter only. */
export enum AclResourceType {
  UNKNOWN = 0,
  ANY = 1,
  TOPIC = 2,
  GROUP = 3,
  CLUSTER = 4,
  TRANSACTIONAL_ID = 5,
}

/** How a binding's resource name is read. ANY and MATCH are filter-only. */
export enum AclPatternType {
  UNKNOWN = 0,
  ANY = 1,
  MATCH = 2,
  /** The exact name, or every resource of the type when the name is `*`. */
  LITERAL = 3,
  /** Every resource whose name starts with the binding's name. */
  PREFIXED = 4,
}

/** What a principal may do; ANY is filter-only, ALL grants or denies every operation. */
export enum AclOperation {
  UNKNOWN = 0,
  ANY = 1,
  ALL = 2,
  READ = 3,
  WRITE = 4,
  CREATE = 5,
  DELETE = 6,
  ALTER = 7,
  DESCRIBE = 8,
  CLUSTER_ACTION = 9,
  DESCRIBE_CONFIGS = 10,
  ALTER_CONFIGS = 11,
  IDEMPOTENT_WRITE = 12,
}

export enum AclPermissionType {
  UNKNOWN = 0,
  ANY = 1,
  DENY = 2,
  ALLOW = 3,
}

/** The one name a CLUSTER resource has in Kafka. */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster';
/** The literal resource name and host that match every resource or address. */
export const WILDCARD = '*';
/** The principal pattern that matches every principal. */
export const WILDCARD_PRINCIPAL = 'User:*';

/**
 * One ACL binding as the broker keeps it: resource pattern plus entry, in wire codes. Concrete
 * values only: no ANY, MATCH or UNKNOWN (those belong to {@link AclFilter}).
 */
export interface AclEntry {
  readonly resourceType: AclResourceType;
  readonly resourceName: string;
  readonly patternType: AclPatternType;
  readonly principal: string;
  readonly host: string;
  readonly operation: AclOperation;
  readonly permissionType: AclPermissionType;
}

/** A DescribeAcls / DeleteAcls filter: null strings and ANY codes match everything. */
export interface AclFilter {
  readonly resourceType: AclResourceType;
  readonly resourceName: string | null;
  readonly patternType: AclPatternType;
  readonly principal: string | null;
  readonly host: string | null;
  readonly operation: AclOperation;
  readonly permissionType: AclPermissionType;
}

/** A resource type a binding may name. */
export type AclResourceTypeName = 'TOPIC' | 'GROUP' | 'CLUSTER' | 'TRANSACTIONAL_ID';
/** An operation a binding may name. */
export type AclOperationName = Exclude<keyof typeof AclOperation, 'UNKNOWN' | 'ANY'>;

/**
 * An ACL binding as a plain serialisable object, the form of `security.acls` in the broker
 * options and of the `--security` file: names instead of wire codes.
 */
export interface AclBinding {
  readonly resourceType: AclResourceTypeName;
  /** `kafka-cluster` for CLUSTER; `*` with LITERAL for every resource of the type. */
  readonly resourceName: string;
  /** Default LITERAL. */
  readonly patternType?: 'LITERAL' | 'PREFIXED';
  /** `User:<name>`, or `User:*` for everyone. */
  readonly principal: string;
  /** A client IP address, or `*` (the default) for every address. */
  readonly host?: string;
  readonly operation: AclOperationName;
  /** Default ALLOW. */
  readonly permissionType?: 'ALLOW' | 'DENY';
}

/** A binding that cannot be an ACL; the message says which field and why. */
export class InvalidAclError extends BrokerError {
  /** The same binding is refused every time. */
  readonly retriable = false;

  constructor(message: string) {
    super(message);
  }
}

/**
 * Checks a concrete binding as Kafka's authorizer does before storing it.
 * @throws InvalidAclError naming the bad field.
 */
export function validateAclEntry(entry: AclEntry): AclEntry {
  const concrete = (value: number, min: number, max: number): boolean =>
    Number.isInteger(value) && value >= min && value <= max;
  if (!concrete(entry.resourceType, AclResourceType.TOPIC, AclResourceType.TRANSACTIONAL_ID)) {
    throw new InvalidAclError(`resource type ${entry.resourceType} is not a concrete type`);
  }
  if (!concrete(entry.patternType, AclPatternType.LITERAL, AclPatternType.PREFIXED)) {
    throw new InvalidAclError(`pattern type ${entry.patternType} must be LITERAL or PREFIXED`);
  }
  if (!concrete(entry.operation, AclOperation.ALL, AclOperation.IDEMPOTENT_WRITE)) {
    throw new InvalidAclError(`operation ${entry.operation} is not a concrete operation`);
  }
  if (!concrete(entry.permissionType, AclPermissionType.DENY, AclPermissionType.ALLOW)) {
    throw new InvalidAclError(`permission type ${entry.permissionType} must be ALLOW or DENY`);
  }
  if (entry.resourceName === '') throw new InvalidAclError('resource name is empty');
  if (
    entry.resourceType === AclResourceType.CLUSTER &&
    entry.resourceName !== CLUSTER_RESOURCE_NAME
  ) {
    throw new InvalidAclError(`a CLUSTER resource is named ${CLUSTER_RESOURCE_NAME}`);
  }
  if (entry.patternType === AclPatternType.PREFIXED && entry.resourceName === WILDCARD) {
    // Kafka refuses it too: a prefix of "*" would only match names starting with a star.
    throw new InvalidAclError('a PREFIXED pattern cannot be the wildcard *');
  }
  if (!/^[^:]+:.+$/.test(entry.principal)) {
    throw new InvalidAclError(`principal "${entry.principal}" is not of the form Type:name`);
  }
  if (entry.host === '') throw new InvalidAclError('host is empty (use * for every host)');
  return entry;
}

/** Turns an options binding into an entry. @throws InvalidAclError */
export function aclEntryOf(binding: AclBinding): AclEntry {
  const code = <E extends Record<string, string | number>>(
    enumeration: E,
    name: unknown,
    field: string,
  ): number => {
    const value = typeof name === 'string' ? enumeration[name] : undefined;
    if (typeof value !== 'number') throw new InvalidAclError(`${field} "${String(name)}" unknown`);
    return value;
  };
  return validateAclEntry({
    resourceType: code(AclResourceType, binding.resourceType, 'resourceType'),
    resourceName: String(binding.resourceName),
    patternType: code(AclPatternType, binding.patternType ?? 'LITERAL', 'patternType'),
    principal: String(binding.principal),
    host: binding.host ?? WILDCARD,
    operation: code(AclOperation, binding.operation, 'operation'),
    permissionType: code(AclPermissionType, binding.permissionType ?? 'ALLOW', 'permissionType'),
  });
}

/** The options form of an entry (names, every field present): what the ACL file stores. */
export function aclBindingOf(entry: AclEntry): Required<AclBinding> {
  return {
    resourceType: AclResourceType[entry.resourceType] as AclResourceTypeName,
    resourceName: entry.resourceName,
    patternType: AclPatternType[entry.patternType] as 'LITERAL' | 'PREFIXED',
    principal: entry.principal,
    host: entry.host,
    operation: AclOperation[entry.operation] as AclOperationName,
    permissionType: AclPermissionType[entry.permissionType] as 'ALLOW' | 'DENY',
  };
}

/** A key equal for equal bindings, to deduplicate them. */
export function aclKey(entry: AclEntry): string {
  return [
    entry.resourceType,
    entry.patternType,
    entry.operation,
    entry.permissionType,
    entry.resourceName,
    entry.principal,
    entry.host,
  ].join('\u0000');
}
