import { authTokensSchema } from '@tracker/config';
import {
  generateServiceCredentials,
  partyCredentials,
  trackerKafkaSecurity,
} from './kafka-security';

const tokens = authTokensSchema.parse(
  [
    'admin-token-0000000001=admin',
    'ops-token-000000000001=ops',
    'rhm-token-000000000001=producer:rheinmetall',
    'rhm-token-000000000002=producer:rheinmetall',
    'de-token-0000000000001=donor:DE',
  ].join(','),
);

describe('the tracker on Kafka: users and ACLs from AUTH_TOKENS', () => {
  const services = generateServiceCredentials();
  const security = trackerKafkaSecurity(tokens, services, { topicPrefix: 't.', groupPrefix: 'g' });
  const of = (principal: string) =>
    (security.acls ?? []).filter((acl) => acl.principal === principal);

  it('makes each role a user with its first token, and each service one with a password of its own', () => {
    expect(partyCredentials(tokens)).toEqual([
      { username: 'admin', password: 'admin-token-0000000001' },
      { username: 'ops', password: 'ops-token-000000000001' },
      { username: 'producer:rheinmetall', password: 'rhm-token-000000000001' },
      { username: 'donor:DE', password: 'de-token-0000000000001' },
    ]);
    const passwords = Object.values(services).map((service) => service.password);
    expect(new Set(passwords).size).toBe(6);
    expect(services['shipment-service'].username).toBe('service:shipment-service');
    expect(security.sasl?.users).toHaveLength(10);
  });

  it('lets a producer write only its own inbound topic', () => {
    expect(
      of('User:producer:rheinmetall').map((acl) => [
        acl.resourceType,
        acl.resourceName,
        acl.operation,
      ]),
    ).toEqual([
      ['TOPIC', 't.tracker.inbound.rheinmetall.shipments.v1', 'WRITE'],
      ['TOPIC', 't.tracker.inbound.rheinmetall.shipments.v1', 'DESCRIBE'],
      ['TOPIC', 't.tracker.inbound.rheinmetall.shipments.v1', 'CREATE'],
      ['CLUSTER', 'kafka-cluster', 'IDEMPOTENT_WRITE'],
    ]);
    expect(of('User:producer:rheinmetall').every((acl) => acl.patternType === 'LITERAL')).toBe(
      true,
    );
  });

  it('lets ops read the contract topics in ops.* groups, and gives donors nothing', () => {
    const ops = of('User:ops');
    expect(ops.filter((acl) => acl.resourceType === 'TOPIC').map((acl) => acl.operation)).toEqual(
      expect.arrayContaining(['READ', 'DESCRIBE']),
    );
    expect(ops.some((acl) => acl.resourceName.includes('deadletter'))).toBe(false);
    expect(ops.filter((acl) => acl.resourceType === 'GROUP')).toEqual([
      expect.objectContaining({ resourceName: 'ops.', patternType: 'PREFIXED', operation: 'READ' }),
    ]);
    expect(of('User:donor:DE')).toEqual([]);
    expect(security.superUsers).toEqual(['User:admin']);
    expect(security.allowEveryoneIfNoAclFound).toBe(false);
  });

  it('lets each service do everything on the tracker topics and groups behind the prefixes', () => {
    expect(of('User:service:gateway')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          resourceType: 'TOPIC',
          resourceName: 't.tracker.',
          patternType: 'PREFIXED',
          operation: 'ALL',
        }),
        expect.objectContaining({
          resourceType: 'GROUP',
          resourceName: 'g',
          patternType: 'PREFIXED',
          operation: 'ALL',
        }),
      ]),
    );
  });
});
