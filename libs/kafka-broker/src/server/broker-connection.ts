import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { ApiKey, SUPPORTED_VERSIONS } from '../protocol/api-keys';
import { encodeApiVersionsResponse } from '../protocol/apis/api-versions.codec';
import { ErrorCode } from '../protocol/error-codes';
import { ProtocolDecodeError } from '../protocol/reader';
import { isTooNewApiVersions, parseRequest, type RequestHeader } from '../protocol/request-header';
import { Writer } from '../protocol/writer';
import { CloseConnectionSignal, type ApiHandlers } from './api-handler';
import { FrameReader, FrameSizeError } from './frame-reader';

/**
 * Pipelined frames waiting beyond either bound pause reading from the socket until the backlog
 * is worked off, so a client that floods the broker buffers in its own socket, not in our heap.
 */
const MAX_QUEUED_FRAMES = 64;
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;

export interface BrokerConnectionOptions {
  readonly maxRequestBytes: number;
  readonly logger: Logger;
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
      const parsed = parseRequest(frame);
      header = parsed.header;
      if (parsed.body === null) {
        await this.refuseUnsupported(header);
        return;
      }
      const handler = this.handlers[header.apiKey as ApiKey];
      const response = await handler({
        header,
        version: header.apiVersion,
        body: parsed.body,
        clientHost: this.clientHost,
        signal: this.abort.signal,
      });
      if (response !== null) await this.send(header.correlationId, response);
    } catch (error) {
      this.failRequest(error, header);
    }
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

  /** Response header v0 (correlation id only) for every API, ApiVersions v3 included. */
  private async send(correlationId: number, body: Writer): Promise<void> {
    if (this.closed) return;
    const buffers = body.toBuffers();
    const head = Buffer.allocUnsafe(8);
    head.writeInt32BE(body.size + 4, 0);
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
