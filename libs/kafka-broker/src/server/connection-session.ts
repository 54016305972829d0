import type { Logger } from 'pino';
import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import { AclOperation, AclResourceType, CLUSTER_RESOURCE_NAME } from '../security/acl';
import type { Authorizer } from '../security/authorizer';
import { PlainExchange } from '../security/plain-exchange';
import { ScramExchange } from '../security/scram-exchange';
import {
  SaslAuthenticationError,
  type CredentialStore,
  type SaslExchange,
  type SaslMechanism,
} from '../security/sasl-exchange';

/** The principal of every connection when SASL is off, as on Kafka's PLAINTEXT listener. */
export const ANONYMOUS = 'User:ANONYMOUS';

/** SASL settings of the listener, shared by its connections. */
export interface ListenerSasl {
  readonly mechanisms: readonly SaslMechanism[];
  readonly users: CredentialStore;
}

/**
 * Where a SASL connection is (Kafka's SaslServerAuthenticator states): `handshake` until a
 * SaslHandshake names a mechanism; then `authenticate` (v1 handshake: SaslAuthenticate requests)
 * or `raw` (v0 handshake: bare size-prefixed tokens, KIP-43); `done` once authenticated.
 */
type SaslState = 'handshake' | 'authenticate' | 'raw' | 'done';

export interface HandshakeResult {
  readonly errorCode: ErrorCode;
  readonly mechanisms: readonly string[];
}

export interface AuthenticateResult {
  readonly errorCode: ErrorCode;
  readonly errorMessage: string | null;
  readonly authBytes: Buffer;
}

/**
 * The security state of one connection: who it is (principal, client address), how far its
 * SASL exchange got, and what the authorizer lets it do. Lives as long as the connection, so
 * nothing about one client leaks into another.
 */
export class ConnectionSession {
  private state: SaslState;
  private exchange: SaslExchange | null = null;
  private mechanism: SaslMechanism | null = null;
  private currentPrincipal = ANONYMOUS;
  /** Set when the response being sent is the last one: the connection closes after it. */
  closeAfterResponse = false;

  /**
   * @param host the client's IP address, what ACL hosts are compared with
   * @param sasl null on a listener without SASL
   * @param authorizer null when ACLs are not enforced (no `security` option)
   */
  constructor(
    readonly host: string,
    private readonly sasl: ListenerSasl | null,
    private readonly authorizer: Authorizer | null,
    private readonly logger: Logger,
  ) {
    this.state = sasl === null ? 'done' : 'handshake';
  }

  get principal(): string {
    return this.currentPrincipal;
  }

  /** True between a v0 handshake and the end of its exchange: frames are bare SASL tokens. */
  get expectsRawToken(): boolean {
    return this.state === 'raw';
  }

  /**
   * Whether a request may be handled now. Until authentication completes only ApiVersions and
   * the next SASL step are; anything else closes the connection, as Kafka's
   * IllegalSaslStateException does.
   */
  admits(apiKey: ApiKey): boolean {
    switch (this.state) {
      case 'done':
        return true;
      case 'handshake':
        return apiKey === ApiKey.ApiVersions || apiKey === ApiKey.SaslHandshake;
      case 'authenticate':
        return apiKey === ApiKey.SaslAuthenticate;
      case 'raw':
        return false;
    }
  }

  /**
   * SaslHandshake. Without SASL, or once authenticated, Kafka's request handler answers
   * ILLEGAL_SASL_STATE (the connection stays open). An unknown mechanism gets
   * UNSUPPORTED_SASL_MECHANISM with the enabled list, and the connection closes after it.
   */
  handshake(mechanism: string, version: number): HandshakeResult {
    if (this.sasl === null || this.state !== 'handshake') {
      return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: this.sasl?.mechanisms ?? [] };
    }
    const enabled = this.sasl.mechanisms;
    const chosen = enabled.find((m) => m === mechanism);
    if (chosen === undefined) {
      this.logger.warn({ mechanism }, 'closing connection: unsupported SASL mechanism');
      this.closeAfterResponse = true;
      return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: enabled };
    }
    this.mechanism = chosen;
    this.exchange =
      chosen === 'PLAIN'
        ? new PlainExchange(this.sasl.users)
        : new ScramExchange(chosen, this.sasl.users);
    this.state = version === 0 ? 'raw' : 'authenticate';
    return { errorCode: ErrorCode.NONE, mechanisms: enabled };
  }

  /**
   * One SASL token (from SaslAuthenticate, or raw after a v0 handshake). A failure answers
   * SASL_AUTHENTICATION_FAILED with a message and closes the connection after it; it is logged
   * once, with the claimed user name and never a password.
   */
  async authenticate(token: Buffer): Promise<AuthenticateResult> {
    if (this.exchange === null || (this.state !== 'authenticate' && this.state !== 'raw')) {
      return {
        errorCode: ErrorCode.ILLEGAL_SASL_STATE,
        errorMessage: 'SaslAuthenticate request received outside a SASL exchange',
        authBytes: Buffer.alloc(0),
      };
    }
    try {
      const step = await this.exchange.evaluate(token);
      if (step.authenticatedUser !== null) {
        this.currentPrincipal = `User:${step.authenticatedUser}`;
        this.state = 'done';
        this.exchange = null;
        this.logger.debug(
          { principal: this.principal, mechanism: this.mechanism },
          'authenticated',
        );
      }
      return { errorCode: ErrorCode.NONE, errorMessage: null, authBytes: step.response };
    } catch (error) {
      if (!(error instanceof SaslAuthenticationError)) throw error;
      this.logger.warn(
        {
          user: error.username,
          mechanism: this.mechanism,
          clientAddress: this.host,
          reason: error.message,
        },
        'SASL authentication failed',
      );
      this.closeAfterResponse = true;
      this.exchange = null;
      return {
        errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED,
        errorMessage: error.message,
        authBytes: Buffer.alloc(0),
      };
    }
  }

  /** Whether this connection's principal may perform `operation` on the resource. */
  allows(operation: AclOperation, resourceType: AclResourceType, resourceName: string): boolean {
    return (
      this.authorizer === null ||
      this.authorizer.authorize(this, operation, resourceType, resourceName)
    );
  }

  /**
   * Whether some resource of the type allows `operation` to this principal (Kafka's
   * authorizeByResourceType), e.g. "WRITE on any topic" for an idempotent producer.
   */
  allowsSome(operation: AclOperation, resourceType: AclResourceType): boolean {
    return (
      this.authorizer === null ||
      this.authorizer.authorizeByResourceType(this, operation, resourceType)
    );
  }

  /** {@link allows} on the cluster resource. */
  allowsCluster(operation: AclOperation): boolean {
    return this.allows(operation, AclResourceType.CLUSTER, CLUSTER_RESOURCE_NAME);
  }
}
