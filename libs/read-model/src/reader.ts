import type { PledgeHistoryEntry } from './pledge-history';
import type { RecordedPublicFact } from './public-ledger';

/**
 * What the gateway reads through: snapshots, all-or-nothing resume, the change-stream tail and
 * single values. Channel values are the interfaces of ./values.
 */

/** `'overview' | \`donor:${CC}\` | \`item:${CODE}\` | \`pledge:${id}\` | \`programme:${CODE}\` | 'alerts' | 'feed'` */
export type ChannelName = string;

/** The event (or clock tick) that caused an update. */
export interface Cause {
  readonly id: string;
  readonly type: string;
  readonly time: string;
}

/** One change-stream entry: the new full value of a channel and the cursor just past it. */
export interface ChannelUpdate {
  readonly channel: ChannelName;
  readonly cursor: string;
  readonly value: unknown;
  readonly cause: Cause;
}

/** Values of channels and the cursor they are current at, read atomically. */
export interface Snapshot {
  /** A channel with no data yet maps to null. */
  readonly values: Record<ChannelName, unknown>;
  readonly cursor: string;
}

/**
 * What `resume` answers: every update after `since` for the channels, in order, or a fresh
 * snapshot when that cannot be done without holes.
 */
export type Resume =
  | { readonly kind: 'replay'; readonly updates: ChannelUpdate[]; readonly cursor: string }
  | {
      readonly kind: 'reset';
      readonly snapshot: Snapshot;
      /**
       * `epoch`: the cursor belongs to a lost history (rebuild, flushed Redis); `expired`: the
       * entries after it were trimmed; `cap`: more than `maxReplay` stream entries after it (of
       * any channel: the read stops there, so a resume costs at most that); `malformed`: not a
       * cursor of ours.
       */
      readonly reason: 'epoch' | 'expired' | 'cap' | 'malformed';
    };

export interface ReadModelReader {
  /** Current values of `channels` and the cursor they are current at, in one atomic read. */
  snapshot(channels: readonly ChannelName[]): Promise<Snapshot>;
  /**
   * Every update of `channels` after `since`, in stream order, with the cursor to tail from; or
   * a reset with a fresh snapshot when the cursor is of another epoch, its entries were trimmed,
   * more than `maxReplay` stream entries follow it (at most `maxReplay + 1` are read, whatever
   * channels they are of), or it is not a cursor. All or nothing, one atomic read.
   */
  resume(channels: readonly ChannelName[], since: string, maxReplay: number): Promise<Resume>;
  /**
   * The next change-stream entries (every channel) after `after`, waiting up to `blockMs` for
   * one (XREAD BLOCK on a connection of its own); `{ reset: true }` when the epoch changed or
   * the cursor is not usable. Returns no updates and the same cursor on timeout.
   */
  tail(
    after: string,
    blockMs: number,
    count: number,
  ): Promise<{ updates: ChannelUpdate[]; cursor: string } | { reset: true }>;
  /** The current value of one channel (null when it has no data yet), for REST reads. */
  value(channel: ChannelName): Promise<unknown>;
  /** True when `channel` is a well-formed channel name (says nothing about data). */
  isKnownChannel(channel: string): boolean;
  /**
   * The public ledger of the current epoch (./public-ledger): every public fact the tracker
   * recorded at or before `untilMs` (epoch ms), in order of recording time; empty when no
   * projection ever ran. One atomic read.
   */
  publicFacts(untilMs: number): Promise<RecordedPublicFact[]>;
  /**
   * How many public facts of the current epoch were recorded up to `untilMs`, and the latest
   * recording time among them (null when none): two cheap reads that change whenever the facts
   * {@link publicFacts} would answer do, so a reader can keep what it folded from them.
   */
  publicLedgerMark(untilMs: number): Promise<PublicLedgerMark>;
  /**
   * A pledge's history in the current epoch (./pledge-history), in the order the tracker
   * applied its events; empty when it has none.
   */
  pledgeHistory(pledgeId: string): Promise<PledgeHistoryEntry[]>;
  /**
   * The public ledger of the current epoch as recorded up to `untilMs` (no delay: exports pass
   * the time they started), in order of recording time, a page of at most `pageSize` facts at a
   * time: for exports, which never hold the ledger whole.
   */
  publicFactPages(untilMs: number, pageSize: number): AsyncIterable<RecordedPublicFact[]>;
}

/** See {@link ReadModelReader.publicLedgerMark}. */
export interface PublicLedgerMark {
  readonly count: number;
  readonly lastMs: number | null;
}
