import { IncomingMessage, Server as HttpServer } from 'node:http';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { APP_CONFIG, AppConfig, Role } from '@tracker/config';
import { EdgeLimits, TokenTable } from '@tracker/http';
import { Server, Socket } from 'socket.io';
import {
  ClientToServerEvents,
  LiveConnectError,
  ServerToClientEvents,
  SubscribeReply,
  UnsubscribeReply,
} from './live.events';
import { LiveConnection, LiveSession } from './live-session';
import { parseRequest, SubscribeRequestSchema, UnsubscribeRequestSchema } from './live.schemas';
import { LiveService } from './live.service';

/** What the handshake leaves on a socket. */
interface SocketData {
  role: Role;
  /** Counts the socket against its token's `LIVE_MAX_SOCKETS_PER_TOKEN` until it closes. */
  release: () => void;
}

type LiveServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
type LiveSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/** The namespace of DESIGN.md §5. */
export const LIVE_NAMESPACE = '/live';
/** Most Socket.IO packets waiting in a socket's engine before its outbox holds the rest back. */
const ENGINE_HIGH_WATER = 64;
/** Most bytes of one message from a client: subscribe requests are small. */
const MAX_MESSAGE_BYTES = 64 * 1024;

function refusal(data: LiveConnectError): Error & { data: LiveConnectError } {
  return Object.assign(new Error(data.code), { data });
}

/** Express's `trust proxy` test: whether `address`, `hop` proxies away, is a trusted proxy. */
type TrustProxy = (address: string, hop: number) => boolean;

/**
 * The client address of a handshake, as Express works out `request.ip`: the peer, or, while
 * the peer is a trusted proxy (`TRUSTED_PROXIES`), the next address back in X-Forwarded-For.
 */
export function clientAddress(request: IncomingMessage, trust: TrustProxy): string | undefined {
  const forwarded = request.headers['x-forwarded-for'];
  const chain = [
    request.socket.remoteAddress ?? '',
    ...(typeof forwarded === 'string' ? forwarded.split(',').map((part) => part.trim()) : [])
      .filter((part) => part !== '')
      .reverse(),
  ];
  let hop = 0;
  while (hop < chain.length - 1 && trust(chain[hop], hop)) hop += 1;
  return chain[hop] || undefined;
}

/**
 * Packets the engine holds because its transport has not taken the previous ones: the one
 * backpressure signal Socket.IO has. Typed private in engine.io, but it is what its own `drain`
 * event reports on.
 */
function engineBacklog(socket: LiveSocket): number {
  return (socket.conn as unknown as { writeBuffer: readonly unknown[] }).writeBuffer.length;
}

function connectionOf(socket: LiveSocket): LiveConnection {
  return {
    writable: () => socket.connected && engineBacklog(socket) < ENGINE_HIGH_WATER,
    write: (update) => socket.emit('update', update),
    reset: (reset) => socket.emit('reset', reset),
  };
}

/**
 * Socket.IO on the gateway's HTTP server, namespace `/live`: authenticates the handshake, then
 * hands each event to {@link LiveService} after validating it. Socket.IO is attached directly
 * rather than through @nestjs/websockets, which this workspace does not depend on.
 */
@Injectable()
export class LiveGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LiveGateway.name);
  private readonly tokens: TokenTable;
  /** Open sockets per token digest. */
  private readonly socketsOf = new Map<string, number>();
  private readonly maxSocketsPerToken: number;
  private io?: LiveServer;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly live: LiveService,
    private readonly limits: EdgeLimits,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.tokens = new TokenTable(config.authTokens);
    this.maxSocketsPerToken = config.live.maxSocketsPerToken;
  }

  onApplicationBootstrap(): void {
    const httpServer = this.adapterHost.httpAdapter.getHttpServer() as HttpServer;
    const io: LiveServer = new Server(httpServer, {
      serveClient: false,
      maxHttpBufferSize: MAX_MESSAGE_BYTES,
    });
    io.of('/').use((_socket, next) => next(new Error(`connect to ${LIVE_NAMESPACE}`)));
    const namespace = io.of(LIVE_NAMESPACE);
    const app = this.adapterHost.httpAdapter.getInstance<{ get(name: string): unknown }>();
    const trust = (app.get('trust proxy fn') as TrustProxy | undefined) ?? (() => false);
    namespace.use((socket, next) => {
      // The same budget of failures as the HTTP edge: an address over it is refused whatever
      // token it sends, so that guessing here is no cheaper than guessing over HTTP.
      const address = clientAddress(socket.request, trust);
      const admitted = this.limits.authenticationAllowed(address);
      if (!admitted.allowed) {
        const retryAfter = admitted.retryAfterSeconds;
        return next(refusal({ code: 'too-many-failed-authentications', retryAfter }));
      }
      const token = (socket.handshake.auth as { token?: unknown }).token;
      const caller =
        typeof token === 'string' && token !== '' ? this.tokens.resolve(token) : undefined;
      if (!caller) {
        this.limits.authenticationFailed(address);
        return next(refusal({ code: 'unauthorized' }));
      }
      const release = this.holdSocket(caller.tokenDigest);
      if (!release) {
        return next(refusal({ code: 'too-many-sockets', limit: this.maxSocketsPerToken }));
      }
      // Released once, by whichever comes first: the socket leaving /live, or its connection
      // closing (which also covers a handshake whose transport dropped before it completed).
      socket.data.release = release;
      socket.conn.once('close', release);
      socket.data.role = caller.role;
      next();
    });
    namespace.on('connection', (socket) => this.connected(socket));
    this.live.attach((ids, update) => namespace.to(ids).emit('update', update));
    this.io = io;
  }

  // Closing the engine drops every transport, which clients take as a network failure: they
  // reconnect (to this instance once back, or another) and resume. A Socket.IO disconnect would
  // tell them not to. The HTTP server is Nest's to close.
  beforeApplicationShutdown(): void {
    this.io?.engine.close();
  }

  private connected(socket: LiveSocket): void {
    const session = this.live.open(socket.id, socket.data.role, connectionOf(socket));
    socket.conn.on('drain', () => session.outbox.flush());
    socket.on('subscribe', (payload: unknown, ack: unknown) =>
      this.subscribe(session, payload, ack),
    );
    socket.on('unsubscribe', (payload: unknown, ack: unknown) =>
      this.unsubscribe(session, payload, ack),
    );
    socket.on('disconnect', () => {
      socket.data.release();
      this.live.close(session);
    });
  }

  /** Counts a socket of the token; undefined when it has `LIVE_MAX_SOCKETS_PER_TOKEN` already. */
  private holdSocket(tokenDigest: string): (() => void) | undefined {
    const open = this.socketsOf.get(tokenDigest) ?? 0;
    if (open >= this.maxSocketsPerToken) return undefined;
    this.socketsOf.set(tokenDigest, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.socketsOf.get(tokenDigest) ?? 1) - 1;
      if (left > 0) this.socketsOf.set(tokenDigest, left);
      else this.socketsOf.delete(tokenDigest);
    };
  }

  private subscribe(session: LiveSession, payload: unknown, ack: unknown): void {
    if (typeof ack !== 'function') return;
    const reply = ack as (reply: SubscribeReply) => void;
    const parsed = parseRequest(SubscribeRequestSchema, payload);
    if (!parsed.ok) return reply({ ok: false, error: parsed.error });
    this.live.subscribe(session, parsed.request, reply).catch((error: unknown) => {
      this.logger.error(`subscribe failed on ${session.id}: ${String(error)}`);
    });
  }

  private unsubscribe(session: LiveSession, payload: unknown, ack: unknown): void {
    const reply =
      typeof ack === 'function' ? (ack as (reply: UnsubscribeReply) => void) : () => undefined;
    const parsed = parseRequest(UnsubscribeRequestSchema, payload);
    if (!parsed.ok) return reply({ ok: false, error: parsed.error });
    this.live.unsubscribe(session, parsed.request, reply).catch((error: unknown) => {
      this.logger.error(`unsubscribe failed on ${session.id}: ${String(error)}`);
    });
  }
}
