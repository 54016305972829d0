import { connect, type Socket } from 'node:net';

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
 * A bare TCP connection to the broker for sending hand-made bytes and reading raw response
 * frames: no client library in between to fix up or refuse what the test sends.
 */
export class RawConnection {
  private buffered = Buffer.alloc(0);
  private readonly responses: RawResponse[] = [];
  private readonly waiters = new Set<() => void>();
  private isClosed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.isClosed = true;
      this.notify();
    });
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host });
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Response frames received and not yet taken. */
  get pending(): number {
    return this.responses.length;
  }

  write(bytes: Buffer): void {
    if (!this.isClosed) this.socket.write(bytes);
  }

  /** Half-closes: the broker sees end of input. */
  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** The next response frame; fails if the connection closes first or nothing comes in time. */
  async response(timeoutMs = 5000): Promise<RawResponse> {
    await this.until(() => this.responses.length > 0 || this.isClosed, timeoutMs, 'a response');
    const next = this.responses.shift();
    if (!next) throw new Error('connection closed by the broker before a response');
    return next;
  }

  /** Resolves once the broker closed the connection; fails after the deadline. */
  async closedByBroker(timeoutMs = 5000): Promise<void> {
    await this.until(() => this.isClosed, timeoutMs, 'the broker to close the connection');
  }

  private until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!done()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
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
      this.responses.push({ correlationId: frame.readInt32BE(0), body: frame.subarray(4) });
      this.buffered = this.buffered.subarray(4 + size);
    }
    this.notify();
  }
}
