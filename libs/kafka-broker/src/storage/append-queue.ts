import type { LogConfig } from './log-config';
import { MAX_RELATIVE_OFFSET } from './offset-index';
import { assignOffsets, type RecordBatchInfo } from './record-batch';
import type { BatchToWrite, Segment } from './segment';

/** Result of an append, shaped like a Produce response partition. */
export interface AppendResult {
  baseOffset: number;
  lastOffset: number;
  /** The broker's clock at append on a LogAppendTime topic, -1 on a CreateTime topic. */
  logAppendTime: number;
}

/** A validated append waiting for the partition's writer. */
export interface QueuedAppend {
  blob: Buffer;
  batches: RecordBatchInfo[];
  records: number;
  /** Largest batch maxTimestamp of the blob, for segment.ms. */
  maxTimestamp: number;
  logAppendTime: number;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** Keeps one writev under the usual IOV_MAX of 1024 buffers. */
const MAX_APPENDS_PER_WRITE = 512;

/**
 * The appends of one partition in arrival order, and the group-commit plan: which of them go
 * into the next write of the active segment, and when that segment must be rolled first.
 */
export class AppendQueue {
  private readonly items: QueuedAppend[] = [];

  get length(): number {
    return this.items.length;
  }

  push(item: QueuedAppend): void {
    this.items.push(item);
  }

  /** Rejects the first queued append (its segment could not be rolled). */
  failFirst(error: unknown): void {
    this.items.shift()?.reject(error);
  }

  /**
   * True when the next append must start a new segment: the active one is not empty and the
   * append would take it past segment.bytes or the u32 offset range of its index, or the
   * segment is older than segment.ms.
   */
  mustRoll(segment: Segment, config: LogConfig, now: number): boolean {
    const next = this.items[0];
    return (
      segment.size > 0 &&
      (!fits(segment, config, segment.size + next.blob.length, segment.nextOffset + next.records) ||
        segment.isOlderThan(config.segmentMs, next.maxTimestamp, now))
    );
  }

  /** The queued appends that go into one write: at least one, then as many as fit the segment. */
  takeGroup(segment: Segment, config: LogConfig): QueuedAppend[] {
    let size = segment.size + this.items[0].blob.length;
    let nextOffset = segment.nextOffset + this.items[0].records;
    let count = 1;
    while (count < this.items.length && count < MAX_APPENDS_PER_WRITE) {
      const candidate = this.items[count];
      if (!fits(segment, config, size + candidate.blob.length, nextOffset + candidate.records)) {
        break;
      }
      size += candidate.blob.length;
      nextOffset += candidate.records;
      count++;
    }
    return this.items.splice(0, count);
  }
}

function fits(segment: Segment, config: LogConfig, size: number, nextOffset: number): boolean {
  return size <= config.segmentBytes && nextOffset - 1 - segment.baseOffset <= MAX_RELATIVE_OFFSET;
}

/** Gives each queued append its offsets, in queue order, starting at `firstOffset`. */
export function assignGroupOffsets(
  group: readonly QueuedAppend[],
  firstOffset: number,
): { results: AppendResult[]; batches: BatchToWrite[] } {
  const results: AppendResult[] = [];
  const batches: BatchToWrite[] = [];
  let nextOffset = firstOffset;
  for (const item of group) {
    const baseOffset = nextOffset;
    nextOffset = assignOffsets(item.blob, item.batches, baseOffset);
    results.push({ baseOffset, lastOffset: nextOffset - 1, logAppendTime: item.logAppendTime });
    batches.push(...item.batches.map(toBatchToWrite));
  }
  return { results, batches };
}

function toBatchToWrite(batch: RecordBatchInfo): BatchToWrite {
  return {
    size: batch.size,
    baseOffset: batch.baseOffset,
    lastOffset: batch.baseOffset + batch.lastOffsetDelta,
    maxTimestamp: batch.maxTimestamp,
  };
}
