/** When a crashed service is started again, and when the launcher gives up on it. */
export interface RestartPolicy {
  /** Crashes within {@link windowMs} that end the run. */
  readonly maxCrashes: number;
  readonly windowMs: number;
  /** Delay before the first restart; doubled for each further crash in the window. */
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

/** 5 crashes in 60 s stop the run; restarts wait 0.5 s, 1 s, 2 s, 4 s. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  maxCrashes: 5,
  windowMs: 60_000,
  firstDelayMs: 500,
  maxDelayMs: 8_000,
};

export type RestartDecision =
  | { readonly giveUp: false; readonly delayMs: number; readonly crashesInWindow: number }
  | { readonly giveUp: true; readonly crashesInWindow: number };

/**
 * What to do after a crash at `now`, given the times of earlier crashes (this one included).
 * Crashes older than the window are forgotten, so a service that crashes once an hour is
 * restarted quickly every time and never stops the run.
 */
export function decideRestart(
  crashTimes: readonly number[],
  now: number,
  policy: RestartPolicy = DEFAULT_RESTART_POLICY,
): RestartDecision {
  const crashesInWindow = crashTimes.filter((time) => now - time < policy.windowMs).length;
  if (crashesInWindow >= policy.maxCrashes) return { giveUp: true, crashesInWindow };
  const delayMs = Math.min(
    policy.firstDelayMs * 2 ** Math.max(0, crashesInWindow - 1),
    policy.maxDelayMs,
  );
  return { giveUp: false, delayMs, crashesInWindow };
}
