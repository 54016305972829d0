import { Injectable } from '@nestjs/common';

/**
 * How a write reaches the relay after its commit. When this process's relay is the one
 * publishing (the usual case: one instance per service), the write wakes it in memory after the
 * commit; otherwise the write asks Postgres to NOTIFY the publishing instance on commit.
 * Postgres takes one database-wide lock to queue a notification at commit, which serialises
 * every committing write, so the in-memory path matters for ingest. A wake-up that is missed
 * (leadership moved between the write and its commit) is covered by the relay's polling.
 */
@Injectable()
export class RelayWakeup {
  private listener?: () => void;

  /** Set by the relay while it publishes here: writes then wake it in memory. */
  publishingHere(listener: (() => void) | undefined): void {
    this.listener = listener;
  }

  /** Whether a write must NOTIFY through Postgres (no relay publishes in this process). */
  get needsNotify(): boolean {
    return this.listener === undefined;
  }

  /** After a commit that wrote outbox rows. */
  committed(): void {
    this.listener?.();
  }
}
