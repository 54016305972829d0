import { loadConfig } from '@tracker/config';
import { TokenAuth } from './token-auth';

const auth = new TokenAuth(
  loadConfig('gateway', { AUTH_TOKENS: 's3cret=admin,de-ops=donor:DE,rhm=producer:rheinmetall' }),
);

describe(TokenAuth.name, () => {
  it('maps each configured token to its role', () => {
    expect(auth.roleOf('s3cret')).toEqual({ kind: 'admin' });
    expect(auth.roleOf('de-ops')).toEqual({ kind: 'donor', country: 'DE' });
    expect(auth.roleOf('rhm')).toEqual({ kind: 'producer', org: 'rheinmetall' });
  });

  it.each([
    ['an unknown token', 'guess'],
    ['a prefix of a token', 's3cre'],
    ['a token with more after it', 's3cret2'],
    ['an empty token', ''],
    ['a number', 42],
    ['nothing', undefined],
    ['an overlong token', 'x'.repeat(5000)],
  ])('refuses %s', (_label, token) => {
    expect(auth.roleOf(token)).toBeUndefined();
  });

  it('reads bearer headers', () => {
    expect(auth.roleOfHeader('Bearer s3cret')).toEqual({ kind: 'admin' });
    expect(auth.roleOfHeader('bearer de-ops')).toEqual({ kind: 'donor', country: 'DE' });
    expect(auth.roleOfHeader('Basic s3cret')).toBeUndefined();
    expect(auth.roleOfHeader(undefined)).toBeUndefined();
  });

  it('refuses everything when AUTH_TOKENS is unset', () => {
    expect(new TokenAuth(loadConfig('gateway', {})).roleOf('s3cret')).toBeUndefined();
  });
});
