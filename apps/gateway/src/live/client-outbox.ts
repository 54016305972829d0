import { LiveUpdate } from './live.events';

/** Where an outbox writes: one client's socket. */
export interface OutboxTransport {
  /** False while the client has not taken what it was already sent. */
  writable(): boolean;
  write(update: LiveUpdate): void;
}

/** An update to send, or a reply that must keep its place among them (an ack, a reset). */
type Outgoing =
  | { readonly kind: 'update'; readonly update: LiveUpdate }
  | { readonly kind: 'control'; readonly send: () => void };

/**
 * What one client has yet to receive, in order. A client that reads slowly fills its own queue,
 * never the others': past `limit` entries the queue merges to the latest update per channel
 * (each is a full value, so nothing is lost but intermediate states), keeping the order of those
 * latest updates, so the cursor of every update the client receives remains a gap-free resume
 * point: whatever it misses before that cursor is superseded by an update still queued after it.
 */
export class ClientOutbox {
  private queue: Outgoing[] = [];
  private head = 0;
  private mergeCount = 0;
  /** Size that triggers a merge: above `limit` when the client has more channels than that. */
  private mergeAt: number;

  constructor(
    private readonly transport: OutboxTransport,
    private readonly limit: number,
  ) {
    this.mergeAt = limit;
  }

  /** Entries waiting. */
  get size(): number {
    return this.queue.length - this.head;
  }

  /** How many times the queue overflowed and merged. */
  get merges(): number {
    return this.mergeCount;
  }

  push(update: LiveUpdate): void {
    this.queue.push({ kind: 'update', update });
    if (this.size > this.mergeAt) this.merge();
  }

  /** Queues a reply behind the updates already queued; it is never merged away. */
  pushControl(send: () => void): void {
    this.queue.push({ kind: 'control', send });
  }

  /** Writes while the transport takes more; call again when it drains. */
  flush(): void {
    while (this.head < this.queue.length && this.transport.writable()) {
      const next = this.queue[this.head];
      this.head += 1;
      if (next.kind === 'update') this.transport.write(next.update);
      else next.send();
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    }
  }

  /** Drops queued updates the predicate rejects (channels unsubscribed, a lost epoch). */
  discard(drop: (update: LiveUpdate) => boolean): void {
    this.queue = this.pending().filter((entry) => entry.kind !== 'update' || !drop(entry.update));
    this.head = 0;
  }

  private merge(): void {
    const seen = new Set<string>();
    const kept: Outgoing[] = [];
    const pending = this.pending();
    for (let index = pending.length - 1; index >= 0; index -= 1) {
      const entry = pending[index];
      if (entry.kind === 'control' || !seen.has(entry.update.channel)) {
        if (entry.kind === 'update') seen.add(entry.update.channel);
        kept.push(entry);
      }
    }
    this.queue = kept.reverse();
    this.head = 0;
    this.mergeCount += 1;
    this.mergeAt = Math.max(this.limit, 2 * this.queue.length);
  }

  private pending(): Outgoing[] {
    return this.queue.slice(this.head);
  }
}
