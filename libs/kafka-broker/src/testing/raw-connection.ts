import { connect, type Socket } from 'node:net';
import { waitFor } from '@tracker/testing';
import { Writer } from '../protocol/writer';

/** A request (header and body) preceded by its true int32 size, as on the wire. */
export function sizePrefixed(request: Buffer): Buffer {
  const prefix = Buffer.allocUnsafe(4);
  prefix.writeInt32BE(request.length, 0);
  return Buffer.concat([prefix, request]);
}

/** One response frame: its correlation id and the body after it. */
export interface RawResponse {
  readonly correlationId: number;
  readonly body: Buffer;
}

/**
 * A bare TCP connection to the broker for what real clients never send (malformed or oversized
 * frames, unknown API keys, hand-built records) and for reading raw response frames: no client
 * library in between to fix up or refuse what the test sends. Responses queue in arrival order.
 */
export class RawConnection {
  private buffered = Buffer.alloc(0);
  private readonly responses: RawResponse[] = [];
  private readonly waiters = new Set<() => void>();
  private closed = false;
  private readonly whenClosed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
    this.whenClosed = new Promise((resolve) =>
      socket.once('close', () => {
        this.closed = true;
        this.notify();
        resolve();
      }),
    );
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Response frames received and not yet taken. */
  get pending(): number {
    return this.responses.length;
  }

  /** Sends one request with header v1 (client id 'raw-client') and its size prefix. */
  request(apiKey: number, apiVersion: number, correlationId: number, body: Buffer): void {
    const frame = new Writer().int16(apiKey).int16(apiVersion).int32(correlationId);
    this.sendFrame(frame.string('raw-client').raw(body).toBuffer());
  }

  /** Sends `payload` behind its true size prefix. */
  sendFrame(payload: Buffer): void {
    this.write(sizePrefixed(payload));
  }

  /** Sends bytes verbatim, size prefix included or not. */
  write(bytes: Buffer): void {
    if (!this.closed) this.socket.write(bytes);
  }

  /** Half-closes: the broker sees end of input. */
  end(): void {
    this.socket.end();
  }

  /** Closes the connection from this side; resolves once it is closed. */
  close(): Promise<void> {
    this.socket.destroy();
    return this.whenClosed;
  }

  /** The next response frame; fails if the connection closes first or nothing comes in time. */
  async response(timeoutMs = 5000): Promise<RawResponse> {
    await this.until(() => this.responses.length > 0 || this.closed, timeoutMs, 'a response');
    const next = this.responses.shift();
    if (!next) throw new Error('connection closed before a response arrived');
    return next;
  }

  /** Resolves once the broker closed the connection; fails after the deadline. */
  async closedByBroker(timeoutMs = 5000): Promise<void> {
    await this.until(() => this.closed, timeoutMs, 'the broker to close the connection');
  }

  private async until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    let check = (): void => undefined;
    const reached = new Promise<void>((resolve) => {
      check = () => {
        if (done()) resolve();
      };
    });
    this.waiters.add(check);
    check();
    try {
      await waitFor(what, reached, { timeoutMs });
    } finally {
      this.waiters.delete(check);
    }
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private onData(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4) {
      const size = this.buffered.readInt32BE(0);
      if (this.buffered.length < 4 + size) break;
      const frame = this.buffered.subarray(4, 4 + size);
      // A bare SASL token (after a v0 SaslHandshake) has no correlation id: -1 and the whole frame.
      this.responses.push(
        frame.length >= 4
          ? { correlationId: frame.readInt32BE(0), body: frame.subarray(4) }
          : { correlationId: -1, body: frame },
      );
      this.buffered = this.buffered.subarray(4 + size);
    }
    this.notify();
  }
}
