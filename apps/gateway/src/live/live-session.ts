import { Role } from '@tracker/config';
import { ChannelUpdate, scopeValue } from '@tracker/read-model';
import { ChangeRound, RoundItem } from './change-round';
import { ClientOutbox, OutboxTransport } from './client-outbox';
import { LiveReset, LiveUpdate } from './live.events';

/** The client's end of a session: its socket. */
export interface LiveConnection extends OutboxTransport {
  reset(reset: LiveReset): void;
}

/** The change stream lost its history while a subscription was being set up: start it again. */
export class SyncInterrupted extends Error {}

/** The change feed did not reach a snapshot's cursor in time. */
export class SyncTimeout extends Error {}

/** How a snapshot or a replay joins the live stream. */
export interface SyncPoint {
  /** The cursor the snapshot or replay holds at. */
  readonly cursor: string;
  /** Channels it covers. */
  readonly channels: readonly string[];
  /** False for a reset: the channels the session had are replaced, not kept. */
  readonly keepCurrent: boolean;
  /** Replayed updates, sent before the reply. */
  readonly replayed: readonly ChannelUpdate[];
  /** Where the replay started, the resume point of the first replayed update. */
  readonly replayFrom?: string;
  /** The ack or reset event, sent once everything before `cursor` is. */
  readonly reply: () => void;
}

interface Pending {
  /** Where the change feed stood when the session paused: later rounds are buffered. */
  readonly feedCursor: string;
  readonly rounds: ChangeRound[];
  point?: SyncPoint;
  done?: (error?: Error) => void;
}

/**
 * Cursors for a client's updates. An update's own cursor is a resume point once every update
 * before it was sent too; within a stream entry of several updates (same cursor) only the last
 * qualifies, and the others carry the resume point before them.
 */
function labelled(
  role: Role,
  items: readonly { update: ChannelUpdate; endsEntry: boolean }[],
  from: string,
): LiveUpdate[] {
  let cursor = from;
  return items.map((item) => {
    if (item.endsEntry) cursor = item.update.cursor;
    const { channel, value, cause } = item.update;
    return { channel, cursor, value: scopeValue(role, channel, value), cause };
  });
}

function entriesOf(updates: readonly ChannelUpdate[]) {
  return updates.map((update, index) => ({
    update,
    endsEntry: updates[index + 1]?.cursor !== update.cursor,
  }));
}

/**
 * One connected client: its channels, its outbox, and while it (re)subscribes, the rounds that
 * arrive between the change feed's position and the snapshot's cursor. Joining a snapshot to the
 * live stream this way means no update falls between them and none is sent twice.
 */
export class LiveSession {
  readonly outbox: ClientOutbox;
  private readonly live = new Set<string>();
  private pending?: Pending;
  private work: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    readonly id: string,
    readonly role: Role,
    private readonly connection: LiveConnection,
    bufferLimit: number,
  ) {
    this.outbox = new ClientOutbox(connection, bufferLimit);
  }

  get channels(): ReadonlySet<string> {
    return this.live;
  }

  get paused(): boolean {
    return this.pending !== undefined;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Runs `task` after the session's earlier tasks: subscribes and resets never interleave. */
  serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.work.then(task, task);
    this.work = run.catch(() => undefined);
    return run;
  }

  /** Sends a reply in order behind what is queued. */
  reply(send: () => void): void {
    this.outbox.pushControl(send);
    this.outbox.flush();
  }

  /** Queues a `reset` event; used as the reply of a resync. */
  emitReset(reset: LiveReset): void {
    this.connection.reset(reset);
  }

  /**
   * True when the session can take an update written for many sockets at once: live, nothing
   * queued (which it would overtake), and its socket keeping up.
   */
  takesBroadcast(): boolean {
    return !this.closed && !this.pending && this.outbox.size === 0 && this.connection.writable();
  }

  /** Live delivery of the round's items for this session's channels. */
  deliver(round: ChangeRound, items: readonly RoundItem[]): void {
    if (this.closed || items.length === 0) return;
    for (const update of labelled(this.role, items, round.from)) this.outbox.push(update);
    this.outbox.flush();
  }

  /** Holds live delivery back until {@link join}; `feedCursor` is the change feed's position. */
  pause(feedCursor: string): void {
    if (this.pending) throw new Error('session is already joining');
    this.pending = { feedCursor, rounds: [] };
  }

  /** A round while paused. */
  buffer(round: ChangeRound): void {
    if (!this.pending) return;
    this.pending.rounds.push(round);
    this.tryJoin();
  }

  /**
   * Joins a snapshot or replay at `point.cursor` to the live stream once the change feed has
   * reached that cursor: updates before it for channels kept, then the replay and the reply, then
   * everything after it. Rejects with {@link SyncTimeout} or {@link SyncInterrupted}.
   */
  join(point: SyncPoint, timeoutMs: number): Promise<void> {
    const pending = this.pending;
    if (!pending) return Promise.reject(new Error('session is not paused'));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.abandon(new SyncTimeout()), timeoutMs);
      pending.point = point;
      pending.done = (error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      this.tryJoin();
    });
  }

  /** Gives up joining: what was buffered reaches the channels the session already had. */
  abandon(error: Error = new SyncInterrupted()): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    for (const round of pending.rounds) this.deliver(round, this.itemsFor(round, this.live));
    pending.done?.(error);
  }

  /** Stops delivering `channels`, including what is queued for them. */
  remove(channels: readonly string[]): void {
    for (const channel of channels) this.live.delete(channel);
    const removed = new Set(channels);
    this.outbox.discard((update) => removed.has(update.channel));
  }

  close(): void {
    this.closed = true;
    this.abandon();
  }

  private tryJoin(): void {
    const pending = this.pending;
    const point = pending?.point;
    if (!pending || !point) return;
    let index = -1;
    let position = -1;
    if (point.cursor !== pending.feedCursor) {
      index = pending.rounds.findIndex((round) => round.positionOf(point.cursor) !== undefined);
      if (index < 0) return;
      position = pending.rounds[index].positionOf(point.cursor)!;
    }
    this.pending = undefined;
    const kept = point.keepCurrent ? new Set(this.live) : new Set<string>();
    if (!point.keepCurrent) {
      this.live.clear();
      this.outbox.discard(() => true);
    }
    // Before the point: what the kept channels had not yet received.
    for (const round of pending.rounds.slice(0, Math.max(index, 0))) {
      this.deliver(round, this.itemsFor(round, kept));
    }
    if (index >= 0) {
      const round = pending.rounds[index];
      const before = this.itemsFor(round, kept).filter((item) => item.rawIndex <= position);
      this.push(labelled(this.role, before, round.from));
    }
    const from = point.replayFrom ?? point.cursor;
    this.push(labelled(this.role, entriesOf(point.replayed), from));
    this.outbox.pushControl(point.reply);
    for (const channel of point.channels) this.live.add(channel);
    // After the point: everything, for the kept and the new channels alike.
    if (index >= 0) {
      const round = pending.rounds[index];
      const after = this.itemsFor(round, this.live).filter((item) => item.rawIndex > position);
      this.push(labelled(this.role, after, point.cursor));
    }
    for (const round of pending.rounds.slice(index + 1)) {
      this.deliver(round, this.itemsFor(round, this.live));
    }
    this.outbox.flush();
    pending.done?.();
  }

  private push(updates: readonly LiveUpdate[]): void {
    for (const update of updates) this.outbox.push(update);
  }

  private itemsFor(round: ChangeRound, channels: ReadonlySet<string>): RoundItem[] {
    return round.items.filter((item) => channels.has(item.update.channel));
  }
}
