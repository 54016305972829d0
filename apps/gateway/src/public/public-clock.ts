/** Milliseconds since the epoch: what the public view takes as now. */
export type Clock = () => number;

/**
 * Injection token of the public view's {@link Clock} (default `Date.now`): the cutoff, and the
 * windows of its rate limit, move with it, so a test can move time instead of waiting for it.
 */
export const PUBLIC_CLOCK = Symbol('PUBLIC_CLOCK');
