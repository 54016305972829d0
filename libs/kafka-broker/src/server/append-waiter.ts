import type { PartitionLog } from '../storage';

/**
 * Resolves a parked Fetch when any of its partitions receives an append. Listeners are attached
 * on construction, so an append that happens between construction and {@link wait} is
 * remembered and `wait` returns at once.
 */
export class AppendWaiter {
  private appended = false;
  private wake: (() => void) | undefined;
  private readonly unsubscribers: (() => void)[];

  constructor(logs: readonly PartitionLog[]) {
    const onAppend = (): void => {
      this.appended = true;
      this.wake?.();
    };
    this.unsubscribers = logs.map((log) => log.onAppend(onAppend));
  }

  /** Waits for an append, at most `timeoutMs`, and returns early when `signal` aborts. */
  wait(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.appended || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done);
      this.wake = done;
    });
  }

  cancel(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers.length = 0;
    this.wake?.();
  }
}
