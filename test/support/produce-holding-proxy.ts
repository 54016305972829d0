import { createServer, type Server, type Socket, connect } from 'node:net';

/** Kafka's api key of Produce, the first int16 after a request frame's size. */
const PRODUCE_API_KEY = 0;

/** Where a proxy listens or forwards to. */
export interface Address {
  readonly host: string;
  readonly port: number;
}

/**
 * A TCP forwarder in front of a Kafka broker that can swallow Produce requests: while it holds,
 * a client's Produce request reaches neither the broker nor gets an answer, as with a broker
 * that accepts the connection and never acknowledges the send; every other request is
 * forwarded. Clients go through it only if the broker advertises the proxy's address, so the
 * broker advertises a second loopback address (127.0.0.2) on its own port and the proxy
 * listens there (Linux answers on all of 127.0.0.0/8; macOS needs an alias for 127.0.0.2).
 */
export class ProduceHoldingProxy {
  private holding = false;
  private held = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly target: Address,
  ) {
    server.on('connection', (client) => this.forward(client));
  }

  /** Listens on `listen` and forwards every connection to `target`. */
  static async start(listen: Address, target: Address): Promise<ProduceHoldingProxy> {
    const server = createServer();
    const proxy = new ProduceHoldingProxy(server, target);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port, listen.host, () => resolve());
    });
    return proxy;
  }

  /** Produce requests swallowed since the proxy started. */
  get heldRequests(): number {
    return this.held;
  }

  /** From now on, swallows every Produce request. */
  hold(): void {
    this.holding = true;
  }

  /** From now on, forwards Produce requests again (the ones swallowed stay lost). */
  release(): void {
    this.holding = false;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(client: Socket): void {
    const broker = connect(this.target.port, this.target.host);
    this.track(client, broker);
    this.track(broker, client);
    broker.on('data', (chunk) => client.write(chunk));
    let pending: Buffer = Buffer.alloc(0);
    client.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      pending = this.forwardFrames(pending, broker);
    });
  }

  /** Forwards (or swallows) every whole request frame in `bytes`; returns the partial rest. */
  private forwardFrames(bytes: Buffer, broker: Socket): Buffer {
    let rest = bytes;
    while (rest.length >= 6 && rest.length >= 4 + rest.readInt32BE(0)) {
      const frame = rest.subarray(0, 4 + rest.readInt32BE(0));
      rest = rest.subarray(frame.length);
      if (this.holding && frame.readInt16BE(4) === PRODUCE_API_KEY) this.held += 1;
      else broker.write(frame);
    }
    return rest;
  }

  /** Keeps `socket` until it closes, and closes `peer` with it. */
  private track(socket: Socket, peer: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.sockets.delete(socket);
      peer.destroy();
    });
  }
}
