/**
 * At most `limit` tasks at once; the others wait their turn, first come first served. Bounds
 * how much Redis work the gateway's resumes ask for together, however many sockets send one.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  /** Tasks waiting for a turn. */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The turn passes straight to the next waiter, so `active` never drops under the limit
      // while tasks wait.
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
