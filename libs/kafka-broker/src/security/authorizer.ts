import {
  aclKey,
  type AclEntry,
  type AclFilter,
  type AclOperation,
  type AclResourceType,
} from './acl';
import { decide, decideByResourceType, filterMatches, type RequestIdentity } from './acl-matching';

/** How ACLs are enforced; see `SecurityOptions` for the meaning of each field. */
export interface AuthorizerConfig {
  readonly superUsers: readonly string[];
  readonly allowEveryoneIfNoAclFound: boolean;
  /** Bindings from the broker options: always present, never deleted through the API. */
  readonly configured: readonly AclEntry[];
}

/** An ACL as DescribeAcls and DeleteAcls report it: where it came from matters for deleting. */
export interface StoredAcl {
  readonly entry: AclEntry;
  /** True for a binding from the broker options rather than from CreateAcls. */
  readonly configured: boolean;
}

/**
 * Past this many cached decisions the cache starts over, so a client cycling through endless
 * topic names cannot grow it without bound.
 */
const MAX_CACHED_DECISIONS = 50_000;

/**
 * Kafka's ACL authorizer, in memory and pure: the broker persists the API-created bindings
 * itself. Decisions are cached per (principal, host, operation, resource) because Produce and
 * Fetch ask for every partition of every request; any change of the bindings empties the cache.
 */
export class Authorizer {
  private readonly superUsers: ReadonlySet<string>;
  private readonly configured: ReadonlyMap<string, AclEntry>;
  private readonly created = new Map<string, AclEntry>();
  private readonly cache = new Map<string, boolean>();

  constructor(private readonly config: AuthorizerConfig) {
    this.superUsers = new Set(config.superUsers);
    this.configured = new Map(config.configured.map((entry) => [aclKey(entry), entry]));
  }

  /** Whether `identity` may perform `operation` on the resource. */
  authorize(
    identity: RequestIdentity,
    operation: AclOperation,
    resourceType: AclResourceType,
    resourceName: string,
  ): boolean {
    if (this.superUsers.has(identity.principal)) return true;
    const key = `${identity.principal}\u0000${identity.host}\u0000${operation}\u0000${resourceType}\u0000${resourceName}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const allowed = decide(
      this.entries(),
      identity,
      operation,
      resourceType,
      resourceName,
      this.config.allowEveryoneIfNoAclFound,
    );
    if (this.cache.size >= MAX_CACHED_DECISIONS) this.cache.clear();
    this.cache.set(key, allowed);
    return allowed;
  }

  /**
   * Whether some resource of the type allows `operation` to `identity` (Kafka's
   * authorizeByResourceType; see `decideByResourceType`). Asked once per InitProducerId: not
   * cached.
   */
  authorizeByResourceType(
    identity: RequestIdentity,
    operation: AclOperation,
    resourceType: AclResourceType,
  ): boolean {
    if (this.superUsers.has(identity.principal)) return true;
    return decideByResourceType(
      this.entries(),
      identity,
      operation,
      resourceType,
      this.config.allowEveryoneIfNoAclFound,
    );
  }

  /** Adds bindings created through CreateAcls; one already present is not duplicated. */
  add(entries: readonly AclEntry[]): void {
    for (const entry of entries) {
      const key = aclKey(entry);
      if (!this.configured.has(key)) this.created.set(key, entry);
    }
    this.cache.clear();
  }

  /** Every binding the filter selects, configured ones included. */
  describe(filter: AclFilter): StoredAcl[] {
    const found: StoredAcl[] = [];
    for (const entry of this.configured.values()) {
      if (filterMatches(filter, entry)) found.push({ entry, configured: true });
    }
    for (const entry of this.created.values()) {
      if (filterMatches(filter, entry)) found.push({ entry, configured: false });
    }
    return found;
  }

  /**
   * Deletes the API-created bindings a filter selects and reports them; configured bindings the
   * filter selects are reported too, marked, and stay.
   */
  delete(filter: AclFilter): StoredAcl[] {
    const matched = this.describe(filter);
    for (const acl of matched) if (!acl.configured) this.created.delete(aclKey(acl.entry));
    if (matched.length > 0) this.cache.clear();
    return matched;
  }

  /** The bindings created through the API: what the broker persists. */
  createdEntries(): AclEntry[] {
    return [...this.created.values()];
  }

  private entries(): AclEntry[] {
    return [...this.configured.values(), ...this.created.values()];
  }
}
