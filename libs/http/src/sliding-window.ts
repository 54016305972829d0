import { isIPv6 } from 'node:net';

/** What a limiter says about one more event for a key. */
export interface LimitVerdict {
  /** False when one more event would go over the limit. */
  readonly allowed: boolean;
  /** Whole seconds until one more event fits (0 when allowed). */
  readonly retryAfterSeconds: number;
}

/** Counts of one key: the current fixed window and the one before it. */
interface Windows {
  start: number;
  current: number;
  previous: number;
}

const ALLOWED: LimitVerdict = { allowed: true, retryAfterSeconds: 0 };

/**
 * A sliding-window counter: fixed windows aligned on `windowMs`, the previous window's count
 * weighted by how much of it the sliding window still covers. O(1) time and two numbers per key,
 * whatever the rate; keys idle for two windows are swept once per window (amortised O(1)).
 * Serves both the per-token request limit and the per-address failed-authentication limit.
 */
export class SlidingWindowLimiter {
  private readonly windows = new Map<string, Windows>();
  private lastSweep: number;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.lastSweep = now();
  }

  /** Counts one event for `key` if it fits under the limit; refused events are not counted. */
  take(key: string): LimitVerdict {
    const windows = this.advance(key);
    const verdict = this.verdict(windows);
    if (verdict.allowed) windows.current += 1;
    return verdict;
  }

  /** Counts one event for `key` whether or not it fits (failures happened, refused or not). */
  record(key: string): void {
    this.advance(key).current += 1;
  }

  /** Whether one more event for `key` would fit, without counting it. */
  check(key: string): LimitVerdict {
    const windows = this.windows.get(key);
    if (windows === undefined) {
      this.sweep();
      return ALLOWED;
    }
    return this.verdict(this.advance(key));
  }

  /** Keys held (tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  private verdict(windows: Windows): LimitVerdict {
    const elapsed = this.now() - windows.start;
    const weight = (this.windowMs - elapsed) / this.windowMs;
    const estimate = windows.previous * weight + windows.current;
    const room = this.limit - 1;
    if (estimate <= room + 1e-9) return ALLOWED;
    let waitMs: number;
    if (windows.current <= room) {
      // The previous window's share fades out within this window.
      waitMs = this.windowMs * (1 - (room - windows.current) / windows.previous) - elapsed;
    } else {
      // This window alone is over: wait for the next, until this one's share fades enough.
      waitMs = this.windowMs - elapsed + this.windowMs * (1 - room / windows.current);
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  private advance(key: string): Windows {
    this.sweep();
    const start = this.windowStart();
    let windows = this.windows.get(key);
    if (windows === undefined) {
      windows = { start, current: 0, previous: 0 };
      this.windows.set(key, windows);
    } else if (windows.start !== start) {
      windows.previous = windows.start === start - this.windowMs ? windows.current : 0;
      windows.current = 0;
      windows.start = start;
    }
    return windows;
  }

  private windowStart(): number {
    return Math.floor(this.now() / this.windowMs) * this.windowMs;
  }

  /** Drops keys whose counts no longer weigh: at most once a window. */
  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    const stale = this.windowStart() - this.windowMs;
    for (const [key, windows] of this.windows) {
      if (windows.start < stale) this.windows.delete(key);
    }
  }
}

/**
 * The key a client address is counted under: IPv4 (also IPv4-mapped IPv6) as is, IPv6 by its
 * /64 network, since one host usually holds a whole /64 and could rotate through it.
 */
export function addressKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const missing = address.includes('::') ? 8 - left.length - right.length : 0;
  const groups = [...left, ...Array<string>(missing).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
