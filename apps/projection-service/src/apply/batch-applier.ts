import type { ReadModelWriter } from '@tracker/read-model';
import { BatchChanges, planBatch, RecordedEvent } from './batch-plan';
import { documentsOf } from './routes';

/** One kafkajs batch of one partition, parsed (poison messages already set aside). */
export interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  /** Offset of the batch's first message, as a decimal string. */
  readonly firstOffset: string;
  /** The offset after its last message. */
  readonly nextOffset: string;
  readonly events: readonly RecordedEvent[];
}

export type BatchOutcome =
  | { readonly kind: 'applied'; readonly events: number }
  /** Not applied: the partition must be read from `offset` (null: from its first offset). */
  | { readonly kind: 'fenced'; readonly offset: string | null };

/** Which epoch the applier writes to: the current one (live) or a rebuild's. */
export interface EpochTarget {
  epoch: string;
  readonly live: boolean;
}

/**
 * Thrown when a batch keeps conflicting. kafkajs retries a batch whose handler throws, with the
 * consumer's backoff (see ProjectionConsumer), so the batch is folded again from a fresh read.
 */
export class ApplyContention extends Error {}

const MAX_ATTEMPTS = 100;

interface Pending {
  readonly batch: PartitionBatch;
  readonly resolve: (outcome: BatchOutcome) => void;
  readonly reject: (error: unknown) => void;
}

export const offsetField = (topic: string, partition: number): string => `${topic}:${partition}`;

/**
 * Applies partition batches exactly once: read what the batch touches, fold it (pure), write
 * everything in one atomic step that also moves the partition's stored offset. The step refuses
 * to write when another writer got there first: a document changed since it was read (fold again
 * from a fresh read), the partition's offset moved (another group member applied it: the
 * consumer seeks), or the epoch changed (a rebuild switched, or Redis was flushed).
 *
 * It also knows where each partition must continue in the current epoch, so a batch fetched
 * before a seek or a switch is refused rather than applied out of place.
 */
export class BatchApplier {
  private readonly expected = new Map<string, string>();
  private readonly queue: Pending[] = [];
  private draining = false;

  constructor(
    private readonly writer: ReadModelWriter,
    private readonly target: EpochTarget,
    private readonly earliestOffset: (topic: string, partition: number) => Promise<string>,
    private readonly options: {
      readonly emit: boolean;
      /** Told when the epoch changed under a batch: every partition must be sought again. */
      readonly onEpochChange?: () => void;
      /** Told when a step was refused because another writer changed what it read. */
      readonly onConflict?: (what: string) => void;
    } = { emit: true },
  ) {}

  get epoch(): string {
    return this.target.epoch;
  }

  /** Where a partition continues in the current epoch: its stored offset, else its first one. */
  async resumeOffset(topic: string, partition: number): Promise<string> {
    return (await this.resumePosition(topic, partition)).offset;
  }

  /** {@link resumeOffset}, and whether it is a stored offset (false: the partition's first). */
  async resumePosition(
    topic: string,
    partition: number,
  ): Promise<{ offset: string; stored: boolean }> {
    const field = offsetField(topic, partition);
    const stored = (await this.writer.load(this.target.epoch, emptyRequest([field]))).offsets.get(
      field,
    );
    const offset = stored ?? (await this.earliestOffset(topic, partition));
    this.expected.set(field, offset);
    return { offset, stored: stored !== null && stored !== undefined };
  }

  /** Where a partition continues, when already known (without asking Redis). */
  knownOffset(topic: string, partition: number): string | undefined {
    return this.expected.get(offsetField(topic, partition));
  }

  /** Forgets where partitions continue (after a rebalance: they may have moved on elsewhere). */
  forgetPositions(): void {
    this.expected.clear();
  }

  /**
   * Applies one partition batch. Batches of several partitions arriving while a step is in
   * flight are applied together in the next step (group commit): one writer per process never
   * conflicts with itself, and the per-step cost is shared.
   */
  apply(batch: PartitionBatch): Promise<BatchOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ batch, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const waiting = this.queue.splice(0, this.queue.length);
        try {
          await this.applyTogether(waiting);
        } catch (error) {
          for (const pending of waiting) pending.reject(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async applyTogether(waiting: Pending[]): Promise<void> {
    let pending = waiting;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      pending = await this.admitted(pending);
      if (pending.length === 0) return;
      const epoch = this.target.epoch;
      const events = pending.flatMap(({ batch }) => batch.events);
      const loaded = await this.writer.load(epoch, {
        docs: [...new Set(events.flatMap(({ event }) => documentsOf(event)))],
        events: events.map(({ event }) => event.id),
        offsets: [],
        aggregates: [],
      });
      const asOf = loaded.meta.get('asOf') ?? '';
      const changes = planBatch(events, loaded, asOf);
      const result = await this.writer.apply(epoch, {
        ...changes,
        emits: this.options.emit ? changes.emits : [],
        live: this.target.live,
        asOf,
        offsets: pending.map(({ batch }) => ({
          field: offsetField(batch.topic, batch.partition),
          from: batch.firstOffset,
          next: batch.nextOffset,
        })),
      });
      switch (result.kind) {
        case 'ok':
          return this.settle(pending, changes.events);
        case 'fenced':
          // Another member applied that partition: it is read again from there; the others retry.
          this.expected.set(result.field, result.stored);
          break;
        case 'epoch':
          await this.followEpoch(result.current);
          this.options.onEpochChange?.();
          break;
        case 'conflict':
          this.options.onConflict?.(result.what);
          if (attempt > 3) await pause(Math.random() * Math.min(50, attempt * 2));
          break;
      }
    }
    throw new ApplyContention(`a step of ${pending.length} batches kept conflicting`);
  }

  /** The batches that start where their partition continues; the others are told where that is. */
  private async admitted(pending: Pending[]): Promise<Pending[]> {
    const admitted: Pending[] = [];
    for (const entry of pending) {
      const { topic, partition, firstOffset } = entry.batch;
      const expected =
        this.expected.get(offsetField(topic, partition)) ??
        (await this.resumeOffset(topic, partition));
      if (expected === firstOffset) admitted.push(entry);
      else entry.resolve({ kind: 'fenced', offset: expected });
    }
    return admitted;
  }

  private settle(applied: Pending[], events: BatchChanges['events']): void {
    const fresh = new Set(events.map((event) => event.id));
    for (const { batch, resolve } of applied) {
      this.expected.set(offsetField(batch.topic, batch.partition), batch.nextOffset);
      let count = 0;
      for (const { event } of batch.events) if (fresh.delete(event.id)) count += 1;
      resolve({ kind: 'applied', events: count });
    }
  }

  /**
   * Moves to the current epoch (creating one when Redis lost it, which replays every topic);
   * positions start over. Returns whether the epoch changed.
   */
  async followEpoch(current: string | null): Promise<boolean> {
    if (!this.target.live)
      throw new Error(`rebuild epoch ${this.target.epoch} is no longer being built`);
    const next = current ?? (await this.writer.startEpoch()).epoch;
    if (next === this.target.epoch) return false;
    this.target.epoch = next;
    this.expected.clear();
    return true;
  }
}

function emptyRequest(offsets: string[]) {
  return { docs: [], events: [], offsets, aggregates: [] };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
