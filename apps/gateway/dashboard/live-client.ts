import { io, Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  LiveCause,
  LiveError,
  LiveReset,
  LiveUpdate,
  ServerToClientEvents,
  SubscribeReply,
} from '../src/live/live.events';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'refused' | 'closed';

export interface LiveClientOptions {
  /** The gateway's base URL, e.g. `http://localhost:3000`. */
  readonly url: string;
  readonly token: string;
  /** `['websocket']` skips the long-polling start; the default lets Socket.IO choose. */
  readonly transports?: ('websocket' | 'polling')[];
  /** State saved by an earlier client (another tab, another gateway): resumed, not reloaded. */
  readonly resume?: { readonly cursor: string; readonly values: ReadonlyMap<string, unknown> };
}

export interface LiveClientEvents {
  /** A channel's value changed (snapshot, update or reset). */
  value: (channel: string, value: unknown) => void;
  state: (state: ConnectionState, detail?: string) => void;
  /** A subscription was refused; the channel names which one. */
  refused: (error: LiveError) => void;
}

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long to wait before asking again when the gateway could not serve a subscription. */
const RETRY_UNAVAILABLE_MS = 1000;

/**
 * A client of the gateway's `/live` namespace that keeps the latest value of each channel and
 * the cursor to resume from: after any reconnection (to this gateway or another) it subscribes
 * again with `since`, receiving what it missed or a fresh snapshot. Used by the dashboard and by
 * the tests, so the tests drive the same resume logic users run.
 */
export class LiveClient {
  readonly values = new Map<string, unknown>();
  /** Where a resume continues; undefined before the first snapshot. */
  cursor?: string;
  /** When the newest update arrived (ms since the epoch), and the event that caused it. */
  newest?: { receivedAt: number; cause: LiveCause };
  state: ConnectionState = 'connecting';
  /** How many times the client resumed with a replay, and how many with a reset. */
  readonly resumes = { replayed: 0, reset: 0 };

  private readonly channels = new Set<string>();
  private readonly socket: LiveSocket;
  private readonly listeners: { [K in keyof LiveClientEvents]: LiveClientEvents[K][] } = {
    value: [],
    state: [],
    refused: [],
  };

  constructor(options: LiveClientOptions) {
    if (options.resume) {
      this.cursor = options.resume.cursor;
      for (const [channel, value] of options.resume.values) {
        this.channels.add(channel);
        this.values.set(channel, value);
      }
    }
    this.socket = io(`${options.url.replace(/\/+$/, '')}/live`, {
      auth: { token: options.token },
      transports: options.transports,
      // Each client its own connection: dropping one must not drop others in the same page.
      forceNew: true,
      reconnectionDelay: 250,
      reconnectionDelayMax: 2000,
    });
    this.socket.on('connect', () => this.resubscribe());
    this.socket.on('disconnect', (reason) => {
      this.setState('reconnecting');
      // Socket.IO does not reconnect after a disconnect the server asked for; a gateway that
      // sheds connections still wants its clients back, on it or another instance.
      if (reason === 'io server disconnect') {
        setTimeout(() => this.socket.connect(), RETRY_UNAVAILABLE_MS);
      }
    });
    this.socket.on('connect_error', (error) => {
      // A refusal by the server's middleware is final; Socket.IO only retries transport errors.
      if (this.socket.active) this.setState('reconnecting', error.message);
      else this.setState('refused', error.message);
    });
    this.socket.on('update', (update) => this.apply(update));
    this.socket.on('reset', (reset) => this.replace(reset));
  }

  on<K extends keyof LiveClientEvents>(event: K, listener: LiveClientEvents[K]): this {
    this.listeners[event].push(listener);
    return this;
  }

  /** Channels subscribed or being subscribed. */
  get subscribed(): ReadonlySet<string> {
    return this.channels;
  }

  /** The socket's id on the server, while connected. */
  get id(): string | undefined {
    return this.socket.id;
  }

  /** Adds channels; the reply is the server's ack (also applied to the client's values). */
  async subscribe(channels: string[]): Promise<SubscribeReply> {
    for (const channel of channels) this.channels.add(channel);
    if (!this.socket.connected) return { ok: true, snapshot: {}, cursor: this.cursor ?? '' };
    return this.request(channels, undefined);
  }

  async unsubscribe(channels: string[]): Promise<void> {
    for (const channel of channels) {
      this.channels.delete(channel);
      this.values.delete(channel);
    }
    if (this.socket.connected) await this.socket.emitWithAck('unsubscribe', { channels });
  }

  /** Drops the transport as a network failure would; Socket.IO then reconnects by itself. */
  dropConnection(): void {
    this.socket.io.engine.close();
  }

  close(): void {
    this.socket.disconnect();
    this.setState('closed');
  }

  private resubscribe(): void {
    if (this.channels.size === 0) {
      this.setState('live');
      return;
    }
    void this.request([...this.channels], this.cursor);
  }

  private request(channels: string[], since: string | undefined): Promise<SubscribeReply> {
    const request = since === undefined ? { channels } : { channels, since };
    // The ack is applied in its callback, in packet order: awaiting emitWithAck would apply it
    // a microtask late, after updates that arrived behind it, and move the cursor back.
    return new Promise((resolve) => {
      this.socket.emit('subscribe', request, (reply) => {
        this.acknowledged(channels, since, reply);
        resolve(reply);
      });
    });
  }

  private acknowledged(channels: string[], since: string | undefined, reply: SubscribeReply) {
    if (!reply.ok && reply.error.code === 'unavailable') {
      this.setState('reconnecting', reply.error.message);
      setTimeout(() => {
        if (this.socket.connected) void this.request(channels, since && this.cursor);
      }, RETRY_UNAVAILABLE_MS);
      return;
    }
    if (!reply.ok) {
      // A refused subscribe subscribes none of its channels: keeping them would make every
      // later resubscription fail the same way.
      for (const channel of channels) {
        this.channels.delete(channel);
        this.values.delete(channel);
      }
      for (const listener of this.listeners.refused) listener(reply.error);
      return;
    }
    if ('reset' in reply) {
      this.resumes.reset += 1;
      this.replace({ snapshot: reply.snapshot, cursor: reply.cursor, reason: reply.reason });
    } else {
      if ('replayed' in reply) this.resumes.replayed += 1;
      for (const [channel, value] of Object.entries(reply.snapshot)) this.set(channel, value);
      this.cursor = reply.cursor;
    }
    this.setState('live');
  }

  private apply(update: LiveUpdate): void {
    this.cursor = update.cursor;
    this.newest = { receivedAt: Date.now(), cause: update.cause };
    this.set(update.channel, update.value);
  }

  private replace(reset: LiveReset): void {
    for (const [channel, value] of Object.entries(reset.snapshot)) this.set(channel, value);
    this.cursor = reset.cursor;
  }

  private set(channel: string, value: unknown): void {
    if (!this.channels.has(channel)) return;
    this.values.set(channel, value);
    for (const listener of this.listeners.value) listener(channel, value);
  }

  private setState(state: ConnectionState, detail?: string): void {
    this.state = state;
    for (const listener of this.listeners.state) listener(state, detail);
  }
}
