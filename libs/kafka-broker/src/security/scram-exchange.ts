import { randomBytes } from 'node:crypto';
import {
  SCRAM_HASHES,
  serverSignature,
  verifyClientProof,
  type ScramCredential,
  type ScramMechanism,
} from './scram';
import {
  SaslAuthenticationError,
  type CredentialStore,
  type SaslExchange,
  type SaslStep,
} from './sasl-exchange';

type State =
  | { readonly step: 'client-first' }
  | {
      readonly step: 'client-final';
      readonly username: string;
      readonly credential: ScramCredential;
      readonly gs2Header: string;
      readonly nonce: string;
      readonly clientFirstBare: string;
      readonly serverFirst: string;
    }
  | { readonly step: 'done' };

/** Printable ASCII but ',' (RFC 5802 `printable`), what a nonce may contain. */
const NONCE = /^[\x21-\x2b\x2d-\x7e]+$/;

/**
 * The server side of SCRAM-SHA-256/512 (RFC 5802, RFC 7677, KIP-84): client-first →
 * server-first (our nonce appended to the client's, the user's salt and iterations) →
 * client-final (channel binding and nonce echoed, proof checked) → server-final (our
 * signature). Channel binding is not supported (no TLS), so a `p=` client is refused, as
 * Kafka's ScramSaslServer does.
 */
export class ScramExchange implements SaslExchange {
  private state: State = { step: 'client-first' };
  private readonly failure: string;

  constructor(
    private readonly mechanism: ScramMechanism,
    private readonly users: CredentialStore,
    private readonly serverNonce: () => string = () => randomBytes(24).toString('base64url'),
  ) {
    this.failure = `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`;
  }

  async evaluate(token: Buffer): Promise<SaslStep> {
    const message = token.toString('utf8');
    const state = this.state;
    switch (state.step) {
      case 'client-first':
        return this.clientFirst(message);
      case 'client-final':
        return this.clientFinal(message, state);
      case 'done':
        throw new SaslAuthenticationError('SCRAM exchange already complete', null);
    }
  }

  private clientFirst(message: string): SaslStep {
    // gs2-header = cbind-flag "," [authzid] "," ; the bare message follows.
    const match = /^([ny]),(a=[^,]*)?,(.*)$/s.exec(message);
    if (match === null) throw this.malformed('client-first-message', null);
    const [, , authzid, clientFirstBare] = match;
    const fields = attributes(clientFirstBare);
    const rawName = fields.get('n');
    const clientNonce = fields.get('r');
    if (rawName === undefined || clientNonce === undefined || !NONCE.test(clientNonce)) {
      throw this.malformed('client-first-message', null);
    }
    const username = decodeName(rawName);
    if (
      authzid !== undefined &&
      authzid.slice(2) !== '' &&
      decodeName(authzid.slice(2)) !== username
    ) {
      throw new SaslAuthenticationError(
        'Authentication failed: Client requested an authorization id that is different from username',
        username,
      );
    }
    const credential = this.users.get(username)?.[SCRAM_HASHES[this.mechanism]];
    if (credential === undefined) throw new SaslAuthenticationError(this.failure, username);
    const nonce = clientNonce + this.serverNonce();
    const serverFirst = `r=${nonce},s=${credential.salt.toString('base64')},i=${credential.iterations}`;
    this.state = {
      step: 'client-final',
      username,
      credential,
      gs2Header: message.slice(0, message.length - clientFirstBare.length),
      nonce,
      clientFirstBare,
      serverFirst,
    };
    return { response: Buffer.from(serverFirst, 'utf8'), authenticatedUser: null };
  }

  private clientFinal(message: string, state: Extract<State, { step: 'client-final' }>): SaslStep {
    this.state = { step: 'done' };
    const proofAt = message.lastIndexOf(',p=');
    if (proofAt < 0) throw this.malformed('client-final-message', state.username);
    const withoutProof = message.slice(0, proofAt);
    const fields = attributes(withoutProof);
    if (fields.get('c') !== Buffer.from(state.gs2Header, 'utf8').toString('base64')) {
      throw new SaslAuthenticationError(this.failure, state.username);
    }
    // RFC 5802 wants the combined nonce echoed exactly; librdkafka 2.0.2 sends its own nonce
    // in front of it once more. Kafka's ScramSaslServer only asks that the echo end with the
    // combined nonce, which still proves the client saw our fresh part, so this does the same.
    if (!(fields.get('r') ?? '').endsWith(state.nonce)) {
      throw new SaslAuthenticationError(this.failure, state.username);
    }
    const proof = Buffer.from(message.slice(proofAt + 3), 'base64');
    const authMessage = `${state.clientFirstBare},${state.serverFirst},${withoutProof}`;
    if (!verifyClientProof(state.credential, authMessage, proof)) {
      throw new SaslAuthenticationError(this.failure, state.username);
    }
    const signature = serverSignature(state.credential, authMessage).toString('base64');
    return { response: Buffer.from(`v=${signature}`, 'utf8'), authenticatedUser: state.username };
  }

  private malformed(what: string, username: string | null): SaslAuthenticationError {
    return new SaslAuthenticationError(`Invalid ${this.mechanism} ${what}`, username);
  }
}

/** `k=v` attributes of a SCRAM message; a value may itself contain '=' (base64 padding). */
function attributes(message: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const part of message.split(',')) {
    if (part.length >= 2 && part[1] === '=') fields.set(part[0], part.slice(2));
  }
  return fields;
}

function decodeName(name: string): string {
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}
