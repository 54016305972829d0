import { randomUUID } from 'node:crypto';
import { isKnownChannel } from '@tracker/read-model';
import {
  Cause,
  ChannelName,
  ChannelUpdate,
  ReadModelReader,
  Resume,
  Snapshot,
  TailResult,
} from './read-model.port';

interface Entry {
  readonly seq: number;
  readonly updates: ChannelUpdate[];
}

/**
 * A read model in memory with the semantics the gateway relies on: an epoch-tagged change stream
 * with bounded history, atomic snapshots, all-or-nothing resume and a blocking tail. For tests and
 * the benchmark only; the gateway itself runs on @tracker/read-model over Redis.
 */
export class InMemoryReadModel implements ReadModelReader {
  private epoch = randomUUID().slice(0, 8);
  private seq = 0;
  private entries: Entry[] = [];
  private readonly values = new Map<ChannelName, unknown>();
  private waiters: (() => void)[] = [];
  /** How many calls touched the store, by method: the storm tests check what was asked. */
  readonly calls = { snapshot: 0, resume: 0, tail: 0, value: 0 };

  constructor(private readonly retention = 10_000) {}

  /** Applies one event: sets each channel's value and appends one stream entry. */
  publish(changes: Record<ChannelName, unknown>, cause: Partial<Cause> = {}): string {
    this.seq += 1;
    const cursor = this.cursorAt(this.seq);
    const fullCause: Cause = {
      id: cause.id ?? randomUUID(),
      type: cause.type ?? 'tracker.test.changed.v1',
      time: cause.time ?? new Date().toISOString(),
    };
    const updates = Object.entries(changes).map(([channel, value]) => {
      this.values.set(channel, value);
      return { channel, cursor, value, cause: fullCause };
    });
    this.entries.push({ seq: this.seq, updates });
    if (this.entries.length > this.retention) this.entries.shift();
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
    return cursor;
  }

  /** What a rebuild or a flushed Redis does: a new epoch, the history gone, values kept. */
  startNewEpoch(): void {
    this.epoch = randomUUID().slice(0, 8);
    this.entries = [];
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  get cursor(): string {
    return this.cursorAt(this.seq);
  }

  current(channel: ChannelName): unknown {
    return this.values.get(channel) ?? null;
  }

  isKnownChannel(channel: string): boolean {
    return isKnownChannel(channel);
  }

  async value(channel: ChannelName): Promise<unknown> {
    this.calls.value += 1;
    return this.current(channel);
  }

  async snapshot(channels: readonly ChannelName[]): Promise<Snapshot> {
    this.calls.snapshot += 1;
    return this.snapshotNow(channels);
  }

  async resume(
    channels: readonly ChannelName[],
    since: string,
    maxReplay: number,
  ): Promise<Resume> {
    this.calls.resume += 1;
    const position = this.parse(since);
    if (position === undefined) return this.reset(channels, 'malformed');
    if (position.epoch !== this.epoch) return this.reset(channels, 'epoch');
    if (!this.retains(position.seq)) return this.reset(channels, 'expired');
    const wanted = new Set(channels);
    const updates = this.entriesAfter(position.seq)
      .flatMap((entry) => entry.updates)
      .filter((update) => wanted.has(update.channel));
    if (updates.length > maxReplay) return this.reset(channels, 'cap');
    return { kind: 'replay', updates, cursor: this.cursor };
  }

  async tail(after: string, blockMs: number, count: number): Promise<TailResult> {
    this.calls.tail += 1;
    const position = this.parse(after);
    if (position === undefined || position.epoch !== this.epoch || !this.retains(position.seq)) {
      return { reset: true };
    }
    if (position.seq === this.seq && blockMs > 0) {
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, blockMs);
        this.waiters.push(() => {
          clearTimeout(timer);
          wake();
        });
      });
      return this.tail(after, 0, count);
    }
    const updates: ChannelUpdate[] = [];
    let cursor = after;
    for (const entry of this.entriesAfter(position.seq)) {
      if (updates.length > 0 && updates.length + entry.updates.length > count) break;
      updates.push(...entry.updates);
      cursor = this.cursorAt(entry.seq);
    }
    return { updates, cursor };
  }

  private snapshotNow(channels: readonly ChannelName[]): Snapshot {
    const values = Object.fromEntries(channels.map((channel) => [channel, this.current(channel)]));
    return { values, cursor: this.cursor };
  }

  private reset(
    channels: readonly ChannelName[],
    reason: 'epoch' | 'expired' | 'cap' | 'malformed',
  ) {
    return { kind: 'reset', snapshot: this.snapshotNow(channels), reason } as const;
  }

  private retains(seq: number): boolean {
    if (seq > this.seq) return false;
    const oldest = this.entries[0]?.seq ?? this.seq + 1;
    return seq >= oldest - 1;
  }

  private entriesAfter(seq: number): Entry[] {
    const oldest = this.entries[0]?.seq;
    return oldest === undefined ? [] : this.entries.slice(Math.max(0, seq - oldest + 1));
  }

  private cursorAt(seq: number): string {
    return `${this.epoch}-${seq}`;
  }

  private parse(cursor: string): { epoch: string; seq: number } | undefined {
    const match = /^([0-9a-f]{8})-(\d+)$/.exec(cursor);
    return match ? { epoch: match[1], seq: Number(match[2]) } : undefined;
  }
}
