import { eventTypeDefinition, TrackerEvent } from '@tracker/contracts';

/** Where time-based rules get the time: the system clock in service, a driven one in tests. */
export interface Clock {
  /** Milliseconds since the epoch; NaN while the clock has no time yet. */
  now(): number;
  /** Told of every batch of events the projection applied. */
  observe?(events: readonly TrackerEvent[]): void;
}

export const SYSTEM_CLOCK: Clock = { now: () => Date.now() };

/**
 * The latest time the applied events say something happened (the `time` of types that carry
 * their occurrence, such as `announcedAt`, `completedAt`, `receivedAt`; a capacity declaration
 * or a QA change only says when it was sent). A replayed story is then judged at its own pace:
 * a pledge turns late when the story passes its target date, not at once because the story's
 * dates are years ago. It never goes back, and has no time until the first such event after a
 * start (the clock then waits; the stored `asOf` stands).
 */
export class EventTimeClock implements Clock {
  private latest = NaN;

  now(): number {
    return this.latest;
  }

  observe(events: readonly TrackerEvent[]): void {
    for (const event of events) {
      if (eventTypeDefinition(event.type)?.occurredAt === undefined) continue;
      const at = Date.parse(event.time);
      if (Number.isNaN(this.latest) || at > this.latest) this.latest = at;
    }
  }
}

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  constructor(private ms: number) {}

  now(): number {
    return this.ms;
  }

  set(iso: string): void {
    this.ms = Date.parse(iso);
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}

const MINUTE_MS = 60_000;

/**
 * The model's `asOf` for an instant: the minute it falls in. Every instance ticking within the
 * same minute computes the same `asOf`, so only the first tick of a minute does any work.
 */
export function asOfMinute(ms: number): string {
  return new Date(Math.floor(ms / MINUTE_MS) * MINUTE_MS).toISOString();
}
