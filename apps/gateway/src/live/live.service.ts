import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig, Role } from '@tracker/config';
import { ReadModelReader, scopeValue, Snapshot } from '@tracker/read-model';
import { READ_MODEL } from '../read-model/read-model.module';
import { ChangeFeed, ChangeFeedListener } from './change-feed';
import { ChangeRound, RoundItem } from './change-round';
import {
  LiveError,
  LiveReset,
  LiveUpdate,
  SubscribeReply,
  SubscribeRequest,
  UnsubscribeReply,
  UnsubscribeRequest,
} from './live.events';
import {
  LiveConnection,
  LiveSession,
  SyncInterrupted,
  SyncPoint,
  SyncTimeout,
} from './live-session';
import { Semaphore } from './semaphore';

/** How long a subscription waits for the change feed to reach its snapshot. */
const JOIN_TIMEOUT_MS = 10_000;
/** Attempts at joining when the stream's history is lost meanwhile. */
const JOIN_ATTEMPTS = 3;

type Reply<T> = (reply: T) => void;

/** Writes one update to the sockets of `ids`. */
export type Broadcast = (ids: string[], update: LiveUpdate) => void;

function failure(error: LiveError): { ok: false; error: LiveError } {
  return { ok: false, error };
}

/**
 * The rules of the live stream: who may subscribe to what, how a snapshot or a replay joins the
 * live updates, and the fan-out of each round of the change feed to the sessions that want it.
 */
@Injectable()
export class LiveService implements ChangeFeedListener, OnModuleInit {
  private readonly logger = new Logger(LiveService.name);
  private readonly sessions = new Set<LiveSession>();
  private readonly subscribers = new Map<string, Set<LiveSession>>();
  private readonly paused = new Set<LiveSession>();
  private closedMerges = 0;
  private broadcast?: Broadcast;
  /**
   * Resumes reading Redis at once (`LIVE_RESUME_CONCURRENCY`, default 1). Each reads at most
   * `LIVE_REPLAY_CAP` + 1 entries; with this, a flood of them queues here instead of at Redis,
   * where every one would run ahead of the REST reads and snapshots sharing the connection.
   */
  private readonly resumes: Semaphore;

  constructor(
    @Inject(READ_MODEL) private readonly reader: ReadModelReader,
    private readonly feed: ChangeFeed,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.resumes = new Semaphore(config.live.resumeConcurrency);
  }

  onModuleInit(): void {
    this.feed.listen(this);
  }

  /** How to write one update to many sockets at once (the gateway's Socket.IO namespace). */
  attach(broadcast: Broadcast): void {
    this.broadcast = broadcast;
  }

  /** Open connections, and how often slow ones had their queue merged since start. */
  stats(): { connections: number; queued: number; merges: number } {
    let queued = 0;
    let merges = 0;
    for (const session of this.sessions) {
      queued += session.outbox.size;
      merges += session.outbox.merges;
    }
    return { connections: this.sessions.size, queued, merges: merges + this.closedMerges };
  }

  open(id: string, role: Role, connection: LiveConnection): LiveSession {
    const session = new LiveSession(id, role, connection, this.config.live.clientBuffer);
    this.sessions.add(session);
    return session;
  }

  close(session: LiveSession): void {
    session.close();
    this.closedMerges += session.outbox.merges;
    this.sessions.delete(session);
    this.paused.delete(session);
    this.unindex(session, [...session.channels]);
  }

  /**
   * Subscribes a session to channels, replying through `reply` in order with the updates: a
   * fresh snapshot; or, with `since`, every missed update then the ack; or a reset snapshot.
   */
  subscribe(session: LiveSession, request: SubscribeRequest, reply: Reply<SubscribeReply>) {
    return session.serialize(async () => {
      const refusal = await this.admit(session, request.channels).catch((error: unknown) =>
        this.unavailable(error),
      );
      const outcome = refusal ?? (await this.join(session, request.channels, request.since, reply));
      if (outcome) session.reply(() => reply(failure(outcome)));
    });
  }

  unsubscribe(session: LiveSession, request: UnsubscribeRequest, reply: Reply<UnsubscribeReply>) {
    return session.serialize(async () => {
      session.remove(request.channels);
      this.unindex(session, request.channels);
      session.reply(() => reply({ ok: true, channels: [...session.channels] }));
    });
  }

  /**
   * Fans a round out. Sessions that keep up get each update as one write for all of them that
   * see the same value (one encoding, one WebSocket frame per scoped form of the value: whole,
   * public, a donor's alerts…); a session that lags gets its updates through its outbox. A
   * session leaves the shared path at most once per round, after what it was already sent, so
   * its updates keep their order.
   */
  onRound(round: ChangeRound): void {
    for (const session of this.paused) session.buffer(round);
    const shared = new Set<LiveSession>();
    const seen = new Set<LiveSession>();
    const own = new Map<LiveSession, RoundItem[]>();
    for (const item of round.items) {
      const { channel, cursor, value, cause } = item.update;
      const groups = new Map<unknown, string[]>();
      for (const session of this.subscribers.get(channel) ?? []) {
        if (session.paused) continue;
        if (!seen.has(session)) {
          seen.add(session);
          if (session.takesBroadcast()) shared.add(session);
        }
        if (shared.has(session) && item.endsEntry) {
          const visible = scopeValue(session.role, channel, value);
          const ids = groups.get(visible);
          if (ids) ids.push(session.id);
          else groups.set(visible, [session.id]);
          continue;
        }
        shared.delete(session);
        const items = own.get(session);
        if (items) items.push(item);
        else own.set(session, [item]);
      }
      for (const [visible, ids] of groups) {
        this.broadcast?.(ids, { channel, cursor, value: visible, cause });
      }
    }
    for (const [session, items] of own) session.deliver(round, items);
  }

  onReset(): void {
    for (const session of this.paused) session.abandon(new SyncInterrupted());
    for (const session of this.sessions) {
      if (session.channels.size > 0) void this.resync(session);
    }
  }

  /** Why the session may not add `channels`, or undefined. */
  private async admit(session: LiveSession, channels: string[]): Promise<LiveError | undefined> {
    const unknown = channels.find((channel) => !this.reader.isKnownChannel(channel));
    if (unknown !== undefined) {
      return { code: 'unknown-channel', channel: unknown, message: `${unknown} is not a channel` };
    }
    const limit = this.config.live.maxChannelsPerSocket;
    if (new Set([...session.channels, ...channels]).size > limit) {
      const message = `a socket holds at most ${limit} channels (LIVE_MAX_CHANNELS_PER_SOCKET); unsubscribe some first`;
      return { code: 'too-many-channels', message };
    }
    return undefined;
  }

  /** Joins the session to the stream; a refusal to send instead of the ack, or undefined. */
  private async join(
    session: LiveSession,
    requested: string[],
    since: string | undefined,
    reply: Reply<SubscribeReply>,
  ): Promise<LiveError | undefined> {
    const channels = [...new Set(requested)];
    // Indexed before the snapshot is read: a round that arrives meanwhile is buffered by the
    // paused session, and once joined it needs these channels routed to it.
    this.index(session, channels);
    for (let attempt = 1; attempt <= JOIN_ATTEMPTS && !session.isClosed; attempt += 1) {
      this.pause(session);
      try {
        const point = await this.syncPoint(session, channels, since, reply);
        await session.join(point, JOIN_TIMEOUT_MS);
        return undefined;
      } catch (error) {
        session.abandon(error instanceof Error ? error : undefined);
        if (error instanceof SyncInterrupted) continue;
        this.unindex(
          session,
          channels.filter((channel) => !session.channels.has(channel)),
        );
        return this.unavailable(error);
      } finally {
        this.paused.delete(session);
      }
    }
    this.unindex(
      session,
      channels.filter((channel) => !session.channels.has(channel)),
    );
    return this.unavailable(new SyncInterrupted('the change stream kept resetting'));
  }

  private async syncPoint(
    session: LiveSession,
    channels: string[],
    since: string | undefined,
    reply: Reply<SubscribeReply>,
  ): Promise<SyncPoint> {
    const common = { channels, keepCurrent: true };
    if (since === undefined) {
      const snapshot = await this.reader.snapshot(channels);
      const values = this.scoped(session, snapshot);
      return {
        ...common,
        cursor: snapshot.cursor,
        replayed: [],
        reply: () => reply({ ok: true, snapshot: values, cursor: snapshot.cursor }),
      };
    }
    const resumed = await this.resumes.run(() =>
      this.reader.resume(channels, since, this.config.live.replayCap),
    );
    if (resumed.kind === 'reset') {
      const { snapshot, reason } = resumed;
      const values = this.scoped(session, snapshot);
      return {
        ...common,
        cursor: snapshot.cursor,
        replayed: [],
        reply: () =>
          reply({ ok: true, snapshot: values, cursor: snapshot.cursor, reset: true, reason }),
      };
    }
    const wanted = new Set(channels);
    const replayed = resumed.updates.filter((update) => wanted.has(update.channel));
    return {
      ...common,
      cursor: resumed.cursor,
      replayed,
      replayFrom: since,
      reply: () =>
        reply({ ok: true, snapshot: {}, cursor: resumed.cursor, replayed: replayed.length }),
    };
  }

  /** After the stream lost its history: every channel of the session afresh, as a `reset`. */
  private resync(session: LiveSession): Promise<void> {
    return session.serialize(async () => {
      const channels = [...session.channels];
      for (let attempt = 1; attempt <= JOIN_ATTEMPTS && !session.isClosed; attempt += 1) {
        this.pause(session);
        try {
          const snapshot = await this.reader.snapshot(channels);
          const reset: LiveReset = {
            snapshot: this.scoped(session, snapshot),
            cursor: snapshot.cursor,
            reason: 'epoch',
          };
          const point: SyncPoint = {
            cursor: snapshot.cursor,
            channels,
            keepCurrent: false,
            replayed: [],
            reply: () => session.emitReset(reset),
          };
          await session.join(point, JOIN_TIMEOUT_MS);
          return;
        } catch (error) {
          session.abandon(error instanceof Error ? error : undefined);
          if (!(error instanceof SyncInterrupted)) {
            this.logger.warn(`could not reset session ${session.id}: ${String(error)}`);
            return;
          }
        } finally {
          this.paused.delete(session);
        }
      }
    });
  }

  private pause(session: LiveSession): void {
    session.pause(this.feed.position);
    this.paused.add(session);
  }

  private scoped(session: LiveSession, snapshot: Snapshot): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(snapshot.values).map(([channel, value]) => [
        channel,
        scopeValue(session.role, channel, value),
      ]),
    );
  }

  private unavailable(error: unknown): LiveError {
    const reason = error instanceof SyncTimeout ? 'the change feed lags' : String(error);
    this.logger.warn(`subscription failed: ${reason}`);
    return { code: 'unavailable', message: 'the live stream is unavailable, retry shortly' };
  }

  private index(session: LiveSession, channels: readonly string[]): void {
    for (const channel of channels) {
      let set = this.subscribers.get(channel);
      if (!set) this.subscribers.set(channel, (set = new Set()));
      set.add(session);
    }
  }

  private unindex(session: LiveSession, channels: readonly string[]): void {
    for (const channel of channels) {
      const set = this.subscribers.get(channel);
      set?.delete(session);
      if (set?.size === 0) this.subscribers.delete(channel);
    }
  }
}
