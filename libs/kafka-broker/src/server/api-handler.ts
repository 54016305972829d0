import { BrokerError } from '../errors';
import type { ApiKey } from '../protocol/api-keys';
import type { Reader } from '../protocol/reader';
import type { RequestHeader } from '../protocol/request-header';
import type { Writer } from '../protocol/writer';
import type { ConnectionSession } from './connection-session';

/** One decoded-header request, as a handler sees it. */
export interface ApiRequest {
  readonly header: RequestHeader;
  readonly version: number;
  /** Positioned at the first byte of the request body. */
  readonly body: Reader;
  /** Peer address, reported by DescribeGroups as the member's client host. */
  readonly clientHost: string;
  /** Aborted when the connection closes or the broker stops: parked requests give up. */
  readonly signal: AbortSignal;
  /** The connection's principal, SASL state and ACL checks. */
  readonly session: ConnectionSession;
}

/**
 * Thrown by a handler that must answer by closing the connection (Apache Kafka's
 * `closeConnection`): a failed acks=0 produce has no response to carry its error, so the client
 * learns of it from the disconnect and refreshes its metadata.
 */
export class CloseConnectionSignal extends BrokerError {
  /** The client reconnects, refreshes its metadata and sends again. */
  readonly retriable = true;

  constructor(reason: string) {
    super(reason);
  }
}

/**
 * Handles one request and returns the response body, or null when the client expects no
 * response at all (Produce with acks=0). Throwing a ProtocolDecodeError closes the connection.
 */
export type ApiHandler = (request: ApiRequest) => Promise<Writer | null>;

/** A handler for every advertised API key: the compiler checks that none is missing. */
export type ApiHandlers = Readonly<Record<ApiKey, ApiHandler>>;
