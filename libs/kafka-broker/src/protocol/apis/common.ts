/**
 * throttle_time_ms, in every response that has it: the broker enforces no quotas, so it never
 * throttles a client.
 */
export const NO_THROTTLE_MS = 0;
