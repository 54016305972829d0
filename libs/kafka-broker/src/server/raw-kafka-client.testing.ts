import { connect, type Socket } from 'node:net';
import { Writer } from '../protocol/writer';
import { FrameReader } from './frame-reader';

export interface RawResponse {
  readonly correlationId: number;
  readonly body: Buffer;
}

/**
 * Test-only Kafka client speaking raw frames, for what real clients never send: malformed or
 * oversized frames, unknown API keys, hand-built records. Responses are queued in arrival order.
 */
export class RawKafkaClient {
  private readonly responses: RawResponse[] = [];
  private readonly frames = new FrameReader(1024 ** 3);
  private notify: (() => void) | undefined;
  private isClosed = false;
  /** Resolves when the broker (or we) closed the connection. */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.closed.then(() => {
      this.isClosed = true;
      this.notify?.();
    });
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.frames.push(chunk)) {
        this.responses.push({ correlationId: frame.readInt32BE(0), body: frame.subarray(4) });
      }
      this.notify?.();
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawKafkaClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host, () => {
        socket.off('error', reject);
        resolve(new RawKafkaClient(socket));
      });
      socket.once('error', reject);
    });
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  /** Sends one request with header v1 (client id 'raw-client'). */
  request(apiKey: number, apiVersion: number, correlationId: number, body: Buffer): void {
    const frame = new Writer().int16(apiKey).int16(apiVersion).int32(correlationId);
    frame.string('raw-client').raw(body);
    this.sendFrame(frame.toBuffer());
  }

  /** Sends `payload` with a correct size prefix. */
  sendFrame(payload: Buffer): void {
    const size = Buffer.alloc(4);
    size.writeInt32BE(payload.length);
    this.socket.write(Buffer.concat([size, payload]));
  }

  /** Sends bytes verbatim, size prefix included or not. */
  sendBytes(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next response, failing after `timeoutMs` or when the connection closes first. */
  async nextResponse(timeoutMs = 5000): Promise<RawResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const next = this.responses.shift();
      if (next) return next;
      if (this.isClosed) throw new Error('connection closed before a response arrived');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no response within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.notify = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  close(): Promise<void> {
    this.socket.destroy();
    return this.closed;
  }
}
