/** How a failing delivery is retried: exponential backoff with full jitter, for a while. */
export interface RetryPolicy {
  /** Ceiling of the first retry's delay, in ms; doubled per attempt. */
  readonly initialMs: number;
  /** Largest ceiling of a delay, in ms. */
  readonly maxMs: number;
  /** How long after its first attempt a delivery is retried before it is parked, in ms. */
  readonly retryForMs: number;
}

/** What follows a failed attempt: another at `at`, or parking the delivery. */
export type AfterFailure =
  { readonly kind: 'retry'; readonly at: Date } | { readonly kind: 'park' };

/**
 * The ceiling of the delay after failed attempt number `attempt` (1 for the first):
 * `initialMs × 2^(attempt − 1)`, at most `maxMs`.
 */
export function backoffCeilingMs(attempt: number, policy: RetryPolicy): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 52);
  return Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
}

/**
 * When to try again after failed attempt `attempt` (full jitter: a uniformly random delay up to
 * the ceiling, so that receivers coming back are not hit by every sender at once), or park the
 * delivery when that would fall past `retryForMs` after its first attempt.
 */
export function afterFailure(
  attempt: number,
  firstAttemptAt: Date,
  now: Date,
  policy: RetryPolicy,
  random: () => number = Math.random,
): AfterFailure {
  const delay = Math.floor(random() * backoffCeilingMs(attempt, policy));
  const at = new Date(now.getTime() + delay);
  if (at.getTime() - firstAttemptAt.getTime() > policy.retryForMs) return { kind: 'park' };
  return { kind: 'retry', at };
}
