import type Redis from 'ioredis';

// The gateway-facing API of @tracker/read-model (branch `projection`), mirrored here until that
// library is merged; then this file re-exports it and nothing else in the gateway changes.

/** `overview`, `donor:<CC>`, `item:<CODE>`, `pledge:<id>`, `alerts` or `feed`. */
export type ChannelName = string;

/** The event that made a channel change. */
export interface Cause {
  readonly id: string;
  readonly type: string;
  readonly time: string;
}

/** A channel's new full value at one position of the change stream. */
export interface ChannelUpdate {
  readonly channel: ChannelName;
  readonly cursor: string;
  readonly value: unknown;
  readonly cause: Cause;
}

/** Values of several channels read atomically, and the stream position they hold at. */
export interface Snapshot {
  /** A channel without data maps to `null`. */
  readonly values: Record<ChannelName, unknown>;
  readonly cursor: string;
}

export type ResetReason = 'epoch' | 'expired' | 'cap' | 'malformed';

export type Resume =
  | { readonly kind: 'replay'; readonly updates: ChannelUpdate[]; readonly cursor: string }
  | { readonly kind: 'reset'; readonly snapshot: Snapshot; readonly reason: ResetReason };

export type TailResult = { updates: ChannelUpdate[]; cursor: string } | { reset: true };

export interface ReadModelReader {
  /** Values of `channels` and the cursor they hold at, read in one atomic step. */
  snapshot(channels: readonly ChannelName[]): Promise<Snapshot>;
  /** Every update of `channels` after `since` (at most `maxReplay`), or a fresh snapshot. */
  resume(channels: readonly ChannelName[], since: string, maxReplay: number): Promise<Resume>;
  /** The change stream after `after`, waiting up to `blockMs` for at least one update. */
  tail(after: string, blockMs: number, count: number): Promise<TailResult>;
  value(channel: ChannelName): Promise<unknown>;
  isKnownChannel(channel: string): boolean;
}

export type ReadModelReaderFactory = (
  redis: Redis,
  options?: { namespace?: string },
) => ReadModelReader;

/** Injection token of the gateway's {@link ReadModelReader}. */
export const READ_MODEL = Symbol('READ_MODEL');
