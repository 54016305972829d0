import { passwordMatches } from './scram';
import {
  SaslAuthenticationError,
  type CredentialStore,
  type SaslExchange,
  type SaslStep,
} from './sasl-exchange';

/** Kafka's message for a wrong PLAIN user or password; which of the two is not said. */
const INVALID = 'Authentication failed: Invalid username or password';

/**
 * SASL/PLAIN (RFC 4616): one client message `[authzid] NUL authcid NUL passwd`, checked against
 * the user's stored credential. As in Kafka, an authorization id other than the user's own is
 * refused: a client cannot act for somebody else.
 */
export class PlainExchange implements SaslExchange {
  constructor(private readonly users: CredentialStore) {}

  async evaluate(token: Buffer): Promise<SaslStep> {
    const parts = token.toString('utf8').split('\u0000');
    if (parts.length !== 3) {
      throw new SaslAuthenticationError('Invalid SASL/PLAIN response: expected 3 tokens', null);
    }
    const [authzid, username, password] = parts;
    if (username === '' || password === '') {
      throw new SaslAuthenticationError(
        'Authentication failed: username or password is empty',
        username || null,
      );
    }
    if (authzid !== '' && authzid !== username) {
      throw new SaslAuthenticationError(
        'Authentication failed: Client requested an authorization id that is different from username',
        username,
      );
    }
    const stored = this.users.get(username);
    const credential = stored?.sha256 ?? stored?.sha512;
    if (credential === undefined || !(await passwordMatches(credential, password))) {
      throw new SaslAuthenticationError(INVALID, username);
    }
    return { response: Buffer.alloc(0), authenticatedUser: username };
  }
}
