// The /live protocol (DESIGN.md §5) as Socket.IO event maps. Types only and no imports, so the
// dashboard's bundle shares them with the server.

/** Why a subscriber got a fresh snapshot instead of the updates it missed. */
export type LiveResetReason = 'epoch' | 'expired' | 'cap' | 'malformed';

/** `{ channels, since? }`: start (or, with `since`, resume) receiving these channels. */
export interface SubscribeRequest {
  channels: string[];
  /** The last cursor this client received, on any gateway instance. */
  since?: string;
}

export interface UnsubscribeRequest {
  channels: string[];
}

export type LiveErrorCode =
  | 'invalid-request'
  | 'unknown-channel'
  | 'unavailable'
  /** More channels than `LIVE_MAX_CHANNELS_PER_SOCKET` on one socket. */
  | 'too-many-channels';

export interface LiveError {
  code: LiveErrorCode;
  message: string;
  /** The channel refused, for `unknown-channel`. */
  channel?: string;
}

export type SubscribeReply =
  /** Fresh subscription: every channel's value (null without data) as of `cursor`. */
  | { ok: true; snapshot: Record<string, unknown>; cursor: string }
  /** Resumed: the `replayed` missed updates were emitted before this ack; `snapshot` is empty. */
  | { ok: true; snapshot: Record<string, never>; cursor: string; replayed: number }
  /** Could not resume gap-free: a fresh snapshot, and the reason. */
  | {
      ok: true;
      snapshot: Record<string, unknown>;
      cursor: string;
      reset: true;
      reason: LiveResetReason;
    }
  | { ok: false; error: LiveError };

export type UnsubscribeReply = { ok: true; channels: string[] } | { ok: false; error: LiveError };

export interface LiveCause {
  id: string;
  type: string;
  time: string;
}

/** A channel's new full value. `cursor` is where a resume continues without a gap. */
export interface LiveUpdate {
  channel: string;
  cursor: string;
  value: unknown;
  cause: LiveCause;
}

/** Sent when the stream's history was lost while connected: every subscribed channel afresh. */
export interface LiveReset {
  snapshot: Record<string, unknown>;
  cursor: string;
  reason: LiveResetReason;
}

export interface ServerToClientEvents {
  update: (update: LiveUpdate) => void;
  reset: (reset: LiveReset) => void;
}

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (reply: SubscribeReply) => void) => void;
  unsubscribe: (request: UnsubscribeRequest, ack: (reply: UnsubscribeReply) => void) => void;
}

/** `connect_error` data when the handshake is refused (the error's message is the code). */
export type LiveConnectError =
  /** No token, or one `AUTH_TOKENS` does not list. */
  | { code: 'unauthorized' }
  /**
   * The client's address failed authentication more than `AUTH_FAILURES_PER_MINUTE` times
   * within a minute: every handshake from it is refused, a good token too, for `retryAfter`
   * seconds (or longer, if it keeps failing).
   */
  | { code: 'too-many-failed-authentications'; retryAfter: number }
  /** The token already has `limit` (`LIVE_MAX_SOCKETS_PER_TOKEN`) sockets open here. */
  | { code: 'too-many-sockets'; limit: number };
