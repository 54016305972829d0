import { BrokerError } from '../errors';
import type { ScramCredential, ScramHash } from './scram';

/** The SASL mechanisms the broker offers. */
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** A failed SASL exchange: SASL_AUTHENTICATION_FAILED with this message, then disconnection. */
export class SaslAuthenticationError extends BrokerError {
  /** The same credentials fail again. */
  readonly retriable = false;

  /**
   * @param message what the client is told (never which part of the credentials was wrong)
   * @param username the user name the client claimed, if it got that far, for the log line
   */
  constructor(
    message: string,
    readonly username: string | null,
  ) {
    super(message);
  }
}

/** The credentials of the configured users, derived once at start; passwords are not kept. */
export type CredentialStore = ReadonlyMap<
  string,
  Readonly<Partial<Record<ScramHash, ScramCredential>>>
>;

/** One step of a mechanism's exchange: the token to send back, and whether it was the last. */
export interface SaslStep {
  readonly response: Buffer;
  /** Set on the last step: the authenticated user name. */
  readonly authenticatedUser: string | null;
}

/** The server side of one SASL exchange on one connection, fed the client's tokens in order. */
export interface SaslExchange {
  /** @throws SaslAuthenticationError when the client's token proves nothing or is malformed. */
  evaluate(token: Buffer): Promise<SaslStep>;
}
