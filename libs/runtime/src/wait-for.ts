/** A wait that ran out of time; names what was awaited, so a hang reads as a clear failure. */
export class DeadlineExceeded extends Error {
  constructor(
    readonly description: string,
    readonly timeoutMs: number,
    cause?: unknown,
  ) {
    const detail = cause instanceof Error ? ` (last error: ${cause.message})` : '';
    super(`timed out after ${timeoutMs} ms waiting for ${description}${detail}`, { cause });
    this.name = 'DeadlineExceeded';
  }
}

/** Something to poll: `undefined` or `false` mean "not yet", anything else is the answer. */
export type Probe<T> = () => T | undefined | false | PromiseLike<T | undefined | false>;

export interface WaitOptions {
  /** How long to wait in all. Default 10 s. */
  readonly timeoutMs?: number;
  /** Pause between two polls of a probe. Default 25 ms. */
  readonly intervalMs?: number;
}

const NOT_YET = Symbol('not yet');

/**
 * Waits, with a deadline, for a condition instead of sleeping for luck: a probe, polled until it
 * returns something other than `undefined`/`false` (a probe that throws counts as "not yet"; the
 * last error is reported), or a promise, awaited until it settles. A probe or promise that
 * hangs cannot outlast the deadline either.
 * @throws DeadlineExceeded after `timeoutMs`
 */
export function waitFor<T>(description: string, probe: Probe<T>, options?: WaitOptions): Promise<T>;
export function waitFor<T>(
  description: string,
  promise: PromiseLike<T>,
  options?: WaitOptions,
): Promise<T>;
export async function waitFor<T>(
  description: string,
  condition: Probe<T> | PromiseLike<T>,
  { timeoutMs = 10_000, intervalMs = 25 }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  if (typeof condition !== 'function') {
    const settled = await beforeDeadline(condition, deadline);
    if (settled === NOT_YET) throw new DeadlineExceeded(description, timeoutMs);
    return settled;
  }
  let lastError: unknown;
  for (;;) {
    try {
      const value = await beforeDeadline(condition(), deadline);
      if (value !== NOT_YET && value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new DeadlineExceeded(description, timeoutMs, lastError);
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, left)));
  }
}

/** `value` once it settles, or {@link NOT_YET} when `deadline` comes first. */
async function beforeDeadline<T>(
  value: T | PromiseLike<T>,
  deadline: number,
): Promise<T | typeof NOT_YET> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<typeof NOT_YET>((resolve) => {
    timer = setTimeout(() => resolve(NOT_YET), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([value, expired]);
  } finally {
    clearTimeout(timer);
  }
}
