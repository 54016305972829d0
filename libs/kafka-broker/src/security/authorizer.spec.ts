import fc from 'fast-check';
import {
  AclOperation,
  AclPatternType,
  AclPermissionType,
  AclResourceType,
  aclEntryOf,
  type AclBinding,
  type AclEntry,
} from './acl';
import { Authorizer, type AuthorizerConfig } from './authorizer';

const alice = { principal: 'User:alice', host: '10.0.0.1' };
const bob = { principal: 'User:bob', host: '10.0.0.2' };
const { TOPIC, GROUP, CLUSTER } = AclResourceType;

function authorizer(acls: AclBinding[], config: Partial<AuthorizerConfig> = {}): Authorizer {
  return new Authorizer({
    superUsers: [],
    allowEveryoneIfNoAclFound: false,
    configured: acls.map(aclEntryOf),
    ...config,
  });
}

const allow = (binding: Omit<AclBinding, 'principal'> & { principal?: string }): AclBinding => ({
  principal: 'User:alice',
  ...binding,
});

describe(Authorizer.name, () => {
  it('grants what an ALLOW names, to that principal only', () => {
    const acls = authorizer([
      allow({ resourceType: 'TOPIC', resourceName: 'orders', operation: 'WRITE' }),
    ]);
    expect(acls.authorize(alice, AclOperation.WRITE, TOPIC, 'orders')).toBe(true);
    expect(acls.authorize(alice, AclOperation.READ, TOPIC, 'orders')).toBe(false);
    expect(acls.authorize(bob, AclOperation.WRITE, TOPIC, 'orders')).toBe(false);
    expect(acls.authorize(alice, AclOperation.WRITE, TOPIC, 'orders2')).toBe(false);
  });

  it('implies DESCRIBE from READ, WRITE, DELETE and ALTER, and DESCRIBE_CONFIGS from ALTER_CONFIGS', () => {
    for (const operation of ['READ', 'WRITE', 'DELETE', 'ALTER'] as const) {
      const acls = authorizer([allow({ resourceType: 'TOPIC', resourceName: 't', operation })]);
      expect(acls.authorize(alice, AclOperation.DESCRIBE, TOPIC, 't')).toBe(true);
    }
    const configs = authorizer([
      allow({ resourceType: 'TOPIC', resourceName: 't', operation: 'ALTER_CONFIGS' }),
    ]);
    expect(configs.authorize(alice, AclOperation.DESCRIBE_CONFIGS, TOPIC, 't')).toBe(true);
    expect(configs.authorize(alice, AclOperation.DESCRIBE, TOPIC, 't')).toBe(false);
    const create = authorizer([
      allow({ resourceType: 'TOPIC', resourceName: 't', operation: 'CREATE' }),
    ]);
    expect(create.authorize(alice, AclOperation.DESCRIBE, TOPIC, 't')).toBe(false);
  });

  it('matches the * literal, prefixes, User:* and host', () => {
    const acls = authorizer([
      allow({ resourceType: 'TOPIC', resourceName: '*', operation: 'READ' }),
      allow({
        resourceType: 'GROUP',
        resourceName: 'svc-',
        patternType: 'PREFIXED',
        operation: 'READ',
      }),
      allow({
        resourceType: 'TOPIC',
        resourceName: 'public',
        operation: 'DESCRIBE',
        principal: 'User:*',
      }),
      allow({ resourceType: 'TOPIC', resourceName: 'local', operation: 'WRITE', host: '10.0.0.1' }),
    ]);
    expect(acls.authorize(alice, AclOperation.READ, TOPIC, 'anything')).toBe(true);
    expect(acls.authorize(alice, AclOperation.READ, GROUP, 'svc-orders')).toBe(true);
    expect(acls.authorize(alice, AclOperation.READ, GROUP, 'sv')).toBe(false);
    expect(acls.authorize(bob, AclOperation.DESCRIBE, TOPIC, 'public')).toBe(true);
    expect(acls.authorize(alice, AclOperation.WRITE, TOPIC, 'local')).toBe(true);
    expect(acls.authorize({ ...alice, host: '10.0.0.9' }, AclOperation.WRITE, TOPIC, 'local')).toBe(
      false,
    );
  });

  it('lets a DENY win over any ALLOW, and a DENY of ALL deny every operation', () => {
    const acls = authorizer([
      allow({ resourceType: 'TOPIC', resourceName: '*', operation: 'ALL' }),
      allow({
        resourceType: 'TOPIC',
        resourceName: 'secret',
        operation: 'READ',
        permissionType: 'DENY',
      }),
      allow({
        resourceType: 'TOPIC',
        resourceName: 'vault.',
        patternType: 'PREFIXED',
        operation: 'ALL',
        permissionType: 'DENY',
      }),
    ]);
    expect(acls.authorize(alice, AclOperation.READ, TOPIC, 'secret')).toBe(false);
    // A DENY of READ does not deny what READ would imply.
    expect(acls.authorize(alice, AclOperation.DESCRIBE, TOPIC, 'secret')).toBe(true);
    expect(acls.authorize(alice, AclOperation.WRITE, TOPIC, 'secret')).toBe(true);
    expect(acls.authorize(alice, AclOperation.DESCRIBE, TOPIC, 'vault.keys')).toBe(false);
  });

  it('lets super users do anything, and allowEveryoneIfNoAclFound open resources no ACL names', () => {
    const acls = authorizer(
      [allow({ resourceType: 'TOPIC', resourceName: 'guarded', operation: 'READ' })],
      { superUsers: ['User:root'], allowEveryoneIfNoAclFound: true },
    );
    expect(
      acls.authorize(
        { principal: 'User:root', host: 'h' },
        AclOperation.ALTER,
        CLUSTER,
        'kafka-cluster',
      ),
    ).toBe(true);
    expect(acls.authorize(bob, AclOperation.WRITE, TOPIC, 'open')).toBe(true);
    expect(acls.authorize(bob, AclOperation.READ, TOPIC, 'guarded')).toBe(false);
  });

  it('finds some topic to write to for InitProducerId unless a wildcard DENY covers it', () => {
    const writer = allow({ resourceType: 'TOPIC', resourceName: 'orders', operation: 'WRITE' });
    expect(authorizer([writer]).authorizeByResourceType(alice, AclOperation.WRITE, TOPIC)).toBe(
      true,
    );
    expect(authorizer([writer]).authorizeByResourceType(bob, AclOperation.WRITE, TOPIC)).toBe(
      false,
    );
    const denied = authorizer([
      writer,
      allow({
        resourceType: 'TOPIC',
        resourceName: '*',
        operation: 'WRITE',
        permissionType: 'DENY',
      }),
    ]);
    expect(denied.authorizeByResourceType(alice, AclOperation.WRITE, TOPIC)).toBe(false);
  });

  it('forgets cached decisions when ACLs change', () => {
    const acls = authorizer([]);
    expect(acls.authorize(alice, AclOperation.READ, TOPIC, 't')).toBe(false);
    acls.add([aclEntryOf(allow({ resourceType: 'TOPIC', resourceName: 't', operation: 'READ' }))]);
    expect(acls.authorize(alice, AclOperation.READ, TOPIC, 't')).toBe(true);
    acls.delete({
      resourceType: AclResourceType.ANY,
      resourceName: null,
      patternType: AclPatternType.ANY,
      principal: null,
      host: null,
      operation: AclOperation.ANY,
      permissionType: AclPermissionType.ANY,
    });
    expect(acls.authorize(alice, AclOperation.READ, TOPIC, 't')).toBe(false);
  });

  it('keeps configured ACLs through DeleteAcls, reporting them as configured', () => {
    const configured = allow({ resourceType: 'GROUP', resourceName: 'g', operation: 'READ' });
    const acls = authorizer([configured]);
    const created = aclEntryOf(
      allow({ resourceType: 'GROUP', resourceName: 'h', operation: 'READ' }),
    );
    acls.add([created]);
    const filter = {
      resourceType: AclResourceType.GROUP,
      resourceName: null,
      patternType: AclPatternType.ANY,
      principal: 'User:alice',
      host: null,
      operation: AclOperation.ANY,
      permissionType: AclPermissionType.ANY,
    };
    expect(acls.delete(filter).map((acl) => [acl.entry.resourceName, acl.configured])).toEqual([
      ['g', true],
      ['h', false],
    ]);
    expect(acls.createdEntries()).toEqual([]);
    expect(acls.authorize(alice, AclOperation.READ, GROUP, 'g')).toBe(true);
  });

  describe('properties', () => {
    const name = fc.constantFrom('a', 'ab', 'abc', 'b', '*');
    const entry: fc.Arbitrary<AclEntry> = fc
      .record({
        resourceType: fc.constantFrom(TOPIC, GROUP),
        resourceName: name,
        patternType: fc.constantFrom(AclPatternType.LITERAL, AclPatternType.PREFIXED),
        principal: fc.constantFrom('User:alice', 'User:bob', 'User:*'),
        host: fc.constantFrom('*', '10.0.0.1'),
        operation: fc.integer({ min: AclOperation.ALL, max: AclOperation.IDEMPOTENT_WRITE }),
        permissionType: fc.constantFrom(AclPermissionType.ALLOW, AclPermissionType.DENY),
      })
      .filter((e) => !(e.patternType === AclPatternType.PREFIXED && e.resourceName === '*'));
    interface Request {
      resourceType: AclResourceType;
      resourceName: string;
      operation: AclOperation;
    }
    const request: fc.Arbitrary<Request> = fc.record({
      resourceType: fc.constantFrom(TOPIC, GROUP),
      resourceName: fc.constantFrom('a', 'ab', 'abc', 'b'),
      operation: fc.integer({ min: AclOperation.READ, max: AclOperation.IDEMPOTENT_WRITE }),
    });
    const decide = (entries: AclEntry[], r: Request): boolean =>
      new Authorizer({
        superUsers: [],
        allowEveryoneIfNoAclFound: false,
        configured: entries,
      }).authorize(alice, r.operation, r.resourceType, r.resourceName);

    it('never allows once a matching DENY of the operation is added', () => {
      fc.assert(
        fc.property(fc.array(entry, { maxLength: 8 }), request, (entries, r) => {
          const deny: AclEntry = {
            resourceType: r.resourceType,
            resourceName: r.resourceName,
            patternType: AclPatternType.LITERAL,
            principal: 'User:alice',
            host: '*',
            operation: r.operation,
            permissionType: AclPermissionType.DENY,
          };
          expect(decide([...entries, deny], r)).toBe(false);
        }),
      );
    });

    it('is monotonic in ALLOWs: adding one never takes a permission away', () => {
      fc.assert(
        fc.property(fc.array(entry, { maxLength: 8 }), entry, request, (entries, extra, r) => {
          const added = { ...extra, permissionType: AclPermissionType.ALLOW };
          if (decide(entries, r)) expect(decide([...entries, added], r)).toBe(true);
        }),
      );
    });

    it('does not depend on the order of the bindings', () => {
      fc.assert(
        fc.property(fc.array(entry, { maxLength: 8 }), request, (entries, r) => {
          expect(decide([...entries].reverse(), r)).toBe(decide(entries, r));
        }),
      );
    });
  });
});
