import { InvalidBrokerOptionError, resolveBrokerOptions } from '../server/broker-options';
import type { SecurityOptions } from './security-options';

function resolve(security: SecurityOptions) {
  return resolveBrokerOptions({ dataDir: '/tmp/never-used', security }).security;
}

describe('the security option', () => {
  it('is absent by default: no SASL and no authorizer', () => {
    expect(resolveBrokerOptions({ dataDir: '/tmp/never-used' }).security).toBeNull();
  });

  it('derives SCRAM credentials for the enabled mechanisms and keeps no password', () => {
    const resolved = resolve({
      sasl: { mechanisms: ['PLAIN', 'SCRAM-SHA-512'], users: [{ username: 'u', password: 'pw' }] },
    });
    const credentials = resolved?.sasl?.users.get('u');
    // PLAIN is checked against the SHA-256 credential.
    expect(Object.keys(credentials ?? {}).sort()).toEqual(['sha256', 'sha512']);
    expect(credentials?.sha512?.iterations).toBe(4096);
    expect(JSON.stringify(resolved)).not.toContain('"pw"');
    expect(resolved).toMatchObject({ superUsers: [], acls: [], allowEveryoneIfNoAclFound: false });
  });

  it.each<[string, SecurityOptions]>([
    ['security.superUsers', { superUsers: ['admin'] }],
    [
      'security.acls[0]',
      {
        acls: [
          { resourceType: 'CLUSTER', resourceName: 'c', principal: 'User:a', operation: 'ALTER' },
        ],
      },
    ],
    [
      'security.acls[0]',
      {
        acls: [
          {
            resourceType: 'TOPIC',
            resourceName: '*',
            patternType: 'PREFIXED',
            principal: 'User:a',
            operation: 'READ',
          },
        ],
      },
    ],
    [
      'security.acls[0]',
      {
        acls: [
          {
            resourceType: 'TOPIC',
            resourceName: 't',
            principal: 'User:a',
            operation: 'ANY' as 'READ',
          },
        ],
      },
    ],
    [
      'security.allowEveryoneIfNoAclFound',
      { allowEveryoneIfNoAclFound: 'yes' as unknown as boolean },
    ],
    ['security.sasl.mechanisms', { sasl: { mechanisms: ['GSSAPI' as 'PLAIN'], users: [] } }],
    ['security.sasl.mechanisms', { sasl: { mechanisms: [], users: [] } }],
    ['security.sasl.scramIterations', { sasl: { scramIterations: 1000, users: [] } }],
    [
      'security.sasl.users[1].username',
      {
        sasl: {
          users: [
            { username: 'a', password: 'x' },
            { username: 'a', password: 'y' },
          ],
        },
      },
    ],
    ['security.sasl.users[0].password', { sasl: { users: [{ username: 'a', password: '' }] } }],
  ])('names %s when it is wrong', (option, security) => {
    expect(() => resolve(security)).toThrow(InvalidBrokerOptionError);
    expect(() => resolve(security)).toThrow(`invalid broker option ${option}`);
  });
});
