import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { deriveScramCredential, passwordMatches } from './scram';
import { ScramExchange } from './scram-exchange';
import { SaslAuthenticationError, type CredentialStore } from './sasl-exchange';

/**
 * The SCRAM-SHA-256 example of RFC 7677 §3: user "user", password "pencil", 4096 iterations.
 * Its nonces and salt are fixed here so the exchange must reproduce the RFC's messages exactly.
 */
const RFC7677 = {
  clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
  serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
  salt: Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'),
  serverFirst:
    'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal:
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};

function users(password: string, hash: 'sha256' | 'sha512' = 'sha256'): CredentialStore {
  return new Map([['user', { [hash]: deriveScramCredential(hash, password, 4096, RFC7677.salt) }]]);
}

/** The client's side of RFC 5802: ClientKey XOR HMAC(H(ClientKey), AuthMessage). */
function clientProof(password: string, authMessage: string): Buffer {
  const salted = pbkdf2Sync(password, RFC7677.salt, 4096, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const signature = createHmac('sha256', storedKey).update(authMessage).digest();
  return Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]));
}

function rfcExchange(store: CredentialStore): ScramExchange {
  return new ScramExchange('SCRAM-SHA-256', store, () => RFC7677.serverNonce);
}

describe('SCRAM-SHA-256 (RFC 7677 test vector)', () => {
  it('answers the RFC client with the RFC server-first and server-final messages', async () => {
    const exchange = rfcExchange(users('pencil'));

    const first = await exchange.evaluate(Buffer.from(RFC7677.clientFirst));
    expect(first).toEqual({ response: Buffer.from(RFC7677.serverFirst), authenticatedUser: null });
    const final = await exchange.evaluate(Buffer.from(RFC7677.clientFinal));
    expect(final).toEqual({
      response: Buffer.from(RFC7677.serverFinal),
      authenticatedUser: 'user',
    });
  });

  it('refuses the RFC proof when the stored password differs', async () => {
    const exchange = rfcExchange(users('pen'));
    await exchange.evaluate(Buffer.from(RFC7677.clientFirst));
    await expect(exchange.evaluate(Buffer.from(RFC7677.clientFinal))).rejects.toThrow(
      SaslAuthenticationError,
    );
  });

  it('accepts the combined nonce behind a repeated client nonce, as librdkafka 2.0.2 sends it', async () => {
    const exchange = rfcExchange(users('pencil'));
    await exchange.evaluate(Buffer.from(RFC7677.clientFirst));
    const nonce = `rOprNGfwEbeRWgbNEkqO${RFC7677.serverFirst.slice(2, RFC7677.serverFirst.indexOf(','))}`;
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `n=user,r=rOprNGfwEbeRWgbNEkqO,${RFC7677.serverFirst},${withoutProof}`;
    const final = `${withoutProof},p=${clientProof('pencil', authMessage).toString('base64')}`;

    await expect(exchange.evaluate(Buffer.from(final))).resolves.toMatchObject({
      authenticatedUser: 'user',
    });
  });

  it.each([
    [
      'a nonce other than the one the server sent',
      RFC7677.clientFinal.replace('hNlF$k0', 'hNlF$k1'),
    ],
    ['other channel-binding data', RFC7677.clientFinal.replace('c=biws', 'c=eSws')],
    ['a proof of the wrong length', RFC7677.clientFinal.replace(/p=.*$/, 'p=AAAA')],
    ['no proof', RFC7677.clientFinal.replace(/,p=.*$/, '')],
  ])('refuses a client-final message with %s', async (_, clientFinal) => {
    const exchange = rfcExchange(users('pencil'));
    await exchange.evaluate(Buffer.from(RFC7677.clientFirst));
    await expect(exchange.evaluate(Buffer.from(clientFinal))).rejects.toThrow(
      SaslAuthenticationError,
    );
  });

  it.each([
    ['an unknown user', 'n,,n=nobody,r=abc'],
    ['channel binding (p=), which needs TLS', 'p=tls-unique,,n=user,r=abc'],
    ['no nonce', 'n,,n=user'],
    ['another authorization id', 'n,a=admin,n=user,r=abc'],
  ])('refuses a client-first message with %s', async (_, clientFirst) => {
    await expect(rfcExchange(users('pencil')).evaluate(Buffer.from(clientFirst))).rejects.toThrow(
      SaslAuthenticationError,
    );
  });

  it('refuses a user who has no credential for the mechanism (only SHA-512 stored)', async () => {
    await expect(
      rfcExchange(users('pencil', 'sha512')).evaluate(Buffer.from(RFC7677.clientFirst)),
    ).rejects.toThrow(SaslAuthenticationError);
  });
});

describe(deriveScramCredential.name, () => {
  it('keeps RFC 5802 StoredKey = H(HMAC(SaltedPassword, "Client Key")), not the password', () => {
    const credential = deriveScramCredential('sha512', 'secret', 4096, Buffer.from('salt'));
    expect(credential.storedKey).toHaveLength(64);
    expect(JSON.stringify(credential)).not.toContain('secret');
    // A client computing the keys itself arrives at the same StoredKey.
    const salted = pbkdf2Sync('secret', 'salt', 4096, 64, 'sha512');
    const clientKey = createHmac('sha512', salted).update('Client Key').digest();
    expect(credential.storedKey).toEqual(createHash('sha512').update(clientKey).digest());
  });

  it('lets PLAIN check a password against the stored credential', async () => {
    const credential = deriveScramCredential('sha256', 'pencil');
    await expect(passwordMatches(credential, 'pencil')).resolves.toBe(true);
    await expect(passwordMatches(credential, 'pencil ')).resolves.toBe(false);
  });
});
