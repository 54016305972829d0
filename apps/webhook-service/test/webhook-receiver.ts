import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request a receiver got, and what it answered. */
export interface Received {
  readonly id: string;
  readonly timestamp: number;
  readonly signature: string;
  readonly contentType: string;
  readonly body: string;
  /** The status answered, or 'hung' when the receiver never answered. */
  readonly answer: number | 'hung';
}

/** What a receiver does with its n-th request (1 for the first). */
export type Behaviour = (n: number) => number | 'hang';

/**
 * A real HTTP webhook receiver on 127.0.0.1 and a port from the OS: answers each request as its
 * behaviour says (a status, or never), and keeps everything it got.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  private readonly hung = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    public behaviour: Behaviour,
  ) {}

  static async start(behaviour: Behaviour = () => 204): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server, behaviour);
    server.on('request', (request, response) => void receiver.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  /** The requests answered 2xx: what arrived. */
  get delivered(): Received[] {
    return this.received.filter((entry) => typeof entry.answer === 'number' && entry.answer < 300);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const decision = this.behaviour(this.received.length + 1);
    this.received.push({
      id: String(request.headers['webhook-id']),
      timestamp: Number(request.headers['webhook-timestamp']),
      signature: String(request.headers['webhook-signature']),
      contentType: String(request.headers['content-type']),
      body: Buffer.concat(chunks).toString('utf8'),
      answer: decision === 'hang' ? 'hung' : decision,
    });
    if (decision === 'hang') {
      this.hung.add(response);
      return;
    }
    response.statusCode = decision;
    response.end();
  }

  async stop(): Promise<void> {
    for (const response of this.hung) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
