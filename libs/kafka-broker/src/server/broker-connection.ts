import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { ApiKey, hasTaggedResponseHeader, SUPPORTED_VERSIONS } from '../protocol/api-keys';
import { encodeApiVersionsResponse } from '../protocol/apis/api-versions.codec';
import { ErrorCode } from '../protocol/error-codes';
import { ProtocolDecodeError } from '../protocol/reader';
import { isTooNewApiVersions, parseRequest, type RequestHeader } from '../protocol/request-header';
import { Writer } from '../protocol/writer';
import { CloseConnectionSignal, type ApiHandlers } from './api-handler';
import { ConnectionSession, type ListenerSasl } from './connection-session';
import { FrameReader, FrameSizeError } from './frame-reader';
import type { Authorizer } from '../security/authorizer';

/**
 * Pipelined frames waiting beyond either bound pause reading from the socket until the backlog
 * is worked off, so a client that floods the broker buffers in its own socket, not in our heap.
 */
const MAX_QUEUED_FRAMES = 64;
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;
/** How long a connection closed after its last response waits for the peer to close too. */
const CLOSE_GRACE_MS = 5000;

export interface BrokerConnectionOptions {
  readonly maxRequestBytes: number;
  readonly logger: Logger;
  /** Null when the listener has no SASL: every connection is User:ANONYMOUS. */
  readonly sasl: ListenerSasl | null;
  /** Null when ACLs are not enforced. */
  readonly authorizer: Authorizer | null;
}

/**
 * One client connection. Requests are handled strictly one at a time and answered in order,
 * like Apache Kafka's muted channels: a parked Fetch or JoinGroup holds only this connection.
 * Any framing or decoding problem closes this connection alone, with one log line.
 */
export class BrokerConnection {
  private readonly frames: FrameReader;
  private readonly queue: Buffer[] = [];
  private readonly abort = new AbortController();
  private readonly logger: Logger;
  private readonly clientHost: string;
  private readonly session: ConnectionSession;
  private queuedBytes = 0;
  private processing = false;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly handlers: ApiHandlers,
    options: BrokerConnectionOptions,
  ) {
    this.frames = new FrameReader(options.maxRequestBytes);
    this.clientHost = `/${socket.remoteAddress ?? 'unknown'}`;
    this.logger = options.logger.child({
      client: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`,
    });
    this.session = new ConnectionSession(
      clientAddress(socket.remoteAddress),
      options.sasl,
      options.authorizer,
      this.logger,
    );
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.logger.debug({ err: error }, 'socket error'));
    socket.on('close', () => this.markClosed());
  }

  /** Closes the connection without answering anything more. */
  close(): void {
    this.markClosed();
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    try {
      for (const frame of this.frames.push(chunk)) {
        this.queue.push(frame);
        this.queuedBytes += frame.length;
      }
    } catch (error) {
      const reason = error instanceof FrameSizeError ? error.message : String(error);
      this.logger.warn({ reason }, 'closing connection: bad request frame');
      this.close();
      return;
    }
    if (this.queue.length > MAX_QUEUED_FRAMES || this.queuedBytes > MAX_QUEUED_BYTES) {
      this.socket.pause();
    }
    void this.drainQueue();
  }

  private async drainQueue(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      let frame = this.queue.shift();
      while (frame !== undefined && !this.closed) {
        this.queuedBytes -= frame.length;
        await this.handleFrame(frame);
        if (
          this.queue.length <= MAX_QUEUED_FRAMES / 2 &&
          this.queuedBytes <= MAX_QUEUED_BYTES / 2
        ) {
          this.socket.resume();
        }
        frame = this.queue.shift();
      }
    } finally {
      this.processing = false;
    }
  }

  private async handleFrame(frame: Buffer): Promise<void> {
    let header: RequestHeader | undefined;
    try {
      if (this.session.expectsRawToken) {
        await this.handleRawToken(frame);
        return;
      }
      const parsed = parseRequest(frame);
      header = parsed.header;
      if (parsed.body === null) {
        await this.refuseUnsupported(header);
        return;
      }
      const apiKey = header.apiKey as ApiKey;
      if (!this.session.admits(apiKey)) {
        this.logger.warn(
          { apiKey: header.apiKey, apiVersion: header.apiVersion },
          'closing connection: request before SASL authentication completed',
        );
        this.close();
        return;
      }
      const handler = this.handlers[apiKey];
      const response = await handler({
        header,
        version: header.apiVersion,
        body: parsed.body,
        clientHost: this.clientHost,
        signal: this.abort.signal,
        session: this.session,
      });
      const tagged = hasTaggedResponseHeader(apiKey, header.apiVersion);
      if (response !== null) await this.send(header.correlationId, response, tagged);
      if (this.session.closeAfterResponse) this.closeAfterFlush();
    } catch (error) {
      this.failRequest(error, header);
    }
  }

  /**
   * After a v0 SaslHandshake the client sends bare SASL tokens, each in a size-prefixed frame
   * with no request header, and gets bare size-prefixed tokens back (KIP-43). A failure has no
   * response to carry its error: the connection is closed.
   */
  private async handleRawToken(frame: Buffer): Promise<void> {
    const result = await this.session.authenticate(frame);
    if (this.session.closeAfterResponse) {
      this.close();
      return;
    }
    const size = Buffer.allocUnsafe(4);
    size.writeInt32BE(result.authBytes.length, 0);
    this.socket.write(Buffer.concat([size, result.authBytes]));
  }

  /** Ends the connection once what was written has left, unlike {@link close}. */
  private closeAfterFlush(): void {
    this.markClosed();
    this.socket.end();
    // A peer that never closes its side would keep the half-closed socket forever.
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  /**
   * A too-new ApiVersions request is answered (v0 body, UNSUPPORTED_VERSION, our own range) and
   * the connection kept, so clients can downgrade (KIP-511). Any other unknown key or version
   * closes the connection, as Apache Kafka does.
   */
  private async refuseUnsupported(header: RequestHeader): Promise<void> {
    if (isTooNewApiVersions(header)) {
      const range = SUPPORTED_VERSIONS[ApiKey.ApiVersions];
      const body = new Writer();
      encodeApiVersionsResponse(body, 0, {
        errorCode: ErrorCode.UNSUPPORTED_VERSION,
        apiKeys: [{ apiKey: ApiKey.ApiVersions, minVersion: range.min, maxVersion: range.max }],
      });
      await this.send(header.correlationId, body);
      return;
    }
    this.logger.warn(
      { apiKey: header.apiKey, apiVersion: header.apiVersion },
      'closing connection: unsupported API key or version',
    );
    this.close();
  }

  private failRequest(error: unknown, header: RequestHeader | undefined): void {
    const request = header && { apiKey: header.apiKey, apiVersion: header.apiVersion };
    if (error instanceof CloseConnectionSignal) {
      this.logger.info({ ...request, reason: error.message }, 'closing connection');
    } else if (error instanceof ProtocolDecodeError) {
      this.logger.warn(
        { ...request, reason: error.message },
        'closing connection: malformed request',
      );
    } else if (!this.closed) {
      this.logger.error({ ...request, err: error }, 'closing connection: request handler failed');
    }
    this.close();
  }

  /**
   * Response header v0 (correlation id only), or v1 (an empty tagged-field section after it) for
   * flexible versions other than ApiVersions.
   */
  private async send(correlationId: number, body: Writer, tagged = false): Promise<void> {
    if (this.closed) return;
    const buffers = body.toBuffers();
    const head = Buffer.alloc(tagged ? 9 : 8);
    head.writeInt32BE(body.size + head.length - 4, 0);
    head.writeInt32BE(correlationId, 4);
    this.socket.cork();
    this.socket.write(head);
    for (const buffer of buffers) this.socket.write(buffer);
    this.socket.uncork();
    if (this.socket.writableNeedDrain) await this.waitForDrain();
  }

  /** Backpressure: a slow reader stops its own request processing, nobody else's. */
  private waitForDrain(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.socket.off('drain', done);
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.abort.signal.addEventListener('abort', done);
    });
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.abort.abort();
  }
}

/** The client's IP address as ACL hosts name it: IPv4-mapped IPv6 addresses in IPv4 form. */
function clientAddress(remoteAddress: string | undefined): string {
  if (remoteAddress === undefined) return 'unknown';
  return remoteAddress.startsWith('::ffff:') ? remoteAddress.slice(7) : remoteAddress;
}
