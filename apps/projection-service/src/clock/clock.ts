/** Where time-based rules get the time: the system clock in service, a driven one in tests. */
export interface Clock {
  now(): number;
}

export const SYSTEM_CLOCK: Clock = { now: () => Date.now() };

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
