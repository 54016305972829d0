import { ErrorCode } from '../protocol/error-codes';

const MAX_SEQUENCE = 0x7fff_ffff;
/** Apache Kafka also remembers the last 5 batches per producer (max.in.flight for idempotence). */
const BATCHES_REMEMBERED = 5;
/** Least recently seen producers are forgotten beyond this many per partition. */
const PRODUCERS_PER_PARTITION = 10_000;

/** The idempotence header fields of a produced records blob. */
export interface SequencedBatch {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly firstSequence: number;
  /** Sequence of the blob's last record (wraps after 2^31 - 1 to 0, as Kafka's does). */
  readonly lastSequence: number;
}

export type SequenceVerdict =
  | { readonly kind: 'append' }
  | { readonly kind: 'duplicate'; readonly baseOffset: Promise<number> }
  | { readonly kind: 'reject'; readonly errorCode: ErrorCode };

interface RememberedBatch {
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly baseOffset: Promise<number>;
}

interface ProducerEntry {
  epoch: number;
  batches: RememberedBatch[];
}

/** Sequence after `sequence` + `count` records, wrapping like Kafka's DefaultRecordBatch. */
export function addSequence(sequence: number, count: number): number {
  const next = sequence + count;
  return next > MAX_SEQUENCE ? next - MAX_SEQUENCE - 1 : next;
}

/**
 * Per (partition, producer id) memory of the last batches written by idempotent producers, so
 * a retried batch is answered with its original offset instead of being appended twice, and a
 * gap is refused with OUT_OF_ORDER_SEQUENCE_NUMBER (rules of Apache Kafka's ProducerStateManager).
 *
 * A producer this broker has no state for (new, or from before a restart) is accepted at any
 * sequence, as Kafka does. The state is in memory; the produce handler seeds it from the last
 * stored batch of a partition so that a retry across a restart is still recognised.
 */
export class ProducerSequences {
  private readonly partitions = new Map<string, Map<number, ProducerEntry>>();

  knows(partitionKey: string, producerId: number): boolean {
    return this.partitions.get(partitionKey)?.has(producerId) ?? false;
  }

  check(partitionKey: string, batch: SequencedBatch): SequenceVerdict {
    const entry = this.partitions.get(partitionKey)?.get(batch.producerId);
    if (entry === undefined) return { kind: 'append' };
    if (batch.producerEpoch < entry.epoch) {
      return { kind: 'reject', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH };
    }
    if (batch.producerEpoch > entry.epoch) {
      return batch.firstSequence === 0 ? { kind: 'append' } : outOfOrder();
    }
    const duplicate = entry.batches.find(
      (b) => b.firstSequence === batch.firstSequence && b.lastSequence === batch.lastSequence,
    );
    if (duplicate) return { kind: 'duplicate', baseOffset: duplicate.baseOffset };
    const last = entry.batches.at(-1);
    if (last && batch.firstSequence !== addSequence(last.lastSequence, 1)) return outOfOrder();
    return { kind: 'append' };
  }

  /**
   * Remembers a batch accepted by {@link check}; call it in the same tick as `check`. A batch
   * whose append fails is forgotten again, so its retry is appended.
   */
  track(partitionKey: string, batch: SequencedBatch, baseOffset: Promise<number>): void {
    const producers = this.producersOf(partitionKey);
    let entry = producers.get(batch.producerId);
    if (entry === undefined || entry.epoch !== batch.producerEpoch) {
      entry = { epoch: batch.producerEpoch, batches: [] };
    }
    // Re-inserting keeps the Map in least-recently-seen order for eviction.
    producers.delete(batch.producerId);
    producers.set(batch.producerId, entry);
    if (producers.size > PRODUCERS_PER_PARTITION) {
      producers.delete(producers.keys().next().value as number);
    }
    const remembered: RememberedBatch = { ...sequenceRange(batch), baseOffset };
    entry.batches.push(remembered);
    if (entry.batches.length > BATCHES_REMEMBERED) entry.batches.shift();
    const owner = entry;
    baseOffset.catch(() => {
      owner.batches = owner.batches.filter((b) => b !== remembered);
    });
  }

  /** Drops the state of every partition of a deleted topic. */
  forgetTopic(topic: string): void {
    const prefix = `${topic}\u0000`;
    for (const key of this.partitions.keys()) {
      if (key.startsWith(prefix)) this.partitions.delete(key);
    }
  }

  private producersOf(partitionKey: string): Map<number, ProducerEntry> {
    let producers = this.partitions.get(partitionKey);
    if (producers === undefined) {
      producers = new Map();
      this.partitions.set(partitionKey, producers);
    }
    return producers;
  }
}

/** Map key of one partition; NUL cannot occur in a legal topic name. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

function sequenceRange(batch: SequencedBatch): { firstSequence: number; lastSequence: number } {
  return { firstSequence: batch.firstSequence, lastSequence: batch.lastSequence };
}

function outOfOrder(): SequenceVerdict {
  return { kind: 'reject', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };
}
