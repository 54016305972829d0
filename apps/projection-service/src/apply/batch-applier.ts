import type { TrackerEvent } from '@tracker/contracts';
import type { ReadModelWriter } from '@tracker/read-model';
import { planBatch } from './batch-plan';
import { documentsOf } from './routes';

/** One kafkajs batch of one partition, parsed (poison messages already set aside). */
export interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  /** Offset of the batch's first message, as a decimal string. */
  readonly firstOffset: string;
  /** The offset after its last message. */
  readonly nextOffset: string;
  readonly events: readonly TrackerEvent[];
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

/** Thrown when a batch keeps conflicting: retried by the consumer like any transient failure. */
export class ApplyContention extends Error {
  readonly retriable = true;
}

const MAX_ATTEMPTS = 100;

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

  constructor(
    private readonly writer: ReadModelWriter,
    private readonly target: EpochTarget,
    private readonly earliestOffset: (topic: string, partition: number) => Promise<string>,
    private readonly options: {
      readonly emit: boolean;
      /** Told when the epoch changed under a batch: every partition must be sought again. */
      readonly onEpochChange?: () => void;
    } = { emit: true },
  ) {}

  get epoch(): string {
    return this.target.epoch;
  }

  /** Where a partition continues in the current epoch: its stored offset, else its first one. */
  async resumeOffset(topic: string, partition: number): Promise<string> {
    const field = offsetField(topic, partition);
    const stored = (await this.writer.load(this.target.epoch, emptyRequest([field]))).offsets.get(
      field,
    );
    const offset = stored ?? (await this.earliestOffset(topic, partition));
    this.expected.set(field, offset);
    return offset;
  }

  /** Forgets where partitions continue (after a rebalance: they may have moved on elsewhere). */
  forgetPositions(): void {
    this.expected.clear();
  }

  async apply(batch: PartitionBatch): Promise<BatchOutcome> {
    const field = offsetField(batch.topic, batch.partition);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const epoch = this.target.epoch;
      const expected =
        this.expected.get(field) ?? (await this.resumeOffset(batch.topic, batch.partition));
      if (expected !== batch.firstOffset) return { kind: 'fenced', offset: expected };
      const loaded = await this.writer.load(epoch, {
        docs: [...new Set(batch.events.flatMap(documentsOf))],
        events: batch.events.map((event) => event.id),
        offsets: [],
        aggregates: [],
      });
      const asOf = loaded.meta.get('asOf') ?? '';
      const changes = planBatch(batch.events, loaded, asOf);
      const result = await this.writer.apply(epoch, {
        ...changes,
        emits: this.options.emit ? changes.emits : [],
        live: this.target.live,
        asOf,
        offsets: [{ field, from: batch.firstOffset, next: batch.nextOffset }],
      });
      switch (result.kind) {
        case 'ok':
          this.expected.set(field, batch.nextOffset);
          return { kind: 'applied', events: changes.events.length };
        case 'fenced':
          this.expected.set(field, result.stored);
          return { kind: 'fenced', offset: result.stored };
        case 'epoch':
          await this.followEpoch(result.current);
          this.options.onEpochChange?.();
          break;
        case 'conflict':
          if (attempt > 3) await pause(Math.random() * Math.min(50, attempt * 2));
          break;
      }
    }
    throw new ApplyContention(`batch of ${field} at ${batch.firstOffset} kept conflicting`);
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
