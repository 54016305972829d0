import { mkdir, rm } from 'node:fs/promises';
import pino, { type Logger } from 'pino';
import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';
import { syncDirectory } from './file-io';
import type { LogConfig } from './log-config';
import { assignOffsets, validateProducedBatches, type RecordBatchInfo } from './record-batch';
import { MAX_RELATIVE_OFFSET } from './offset-index';
import { Segment, SegmentClosedError, type BatchToWrite } from './segment';
import { expiredSegmentCount, listSegmentBaseOffsets, segmentIndexFor } from './segment-list';

/** Result of an append, shaped like a Produce response partition. */
export interface AppendResult {
  baseOffset: number;
  lastOffset: number;
  /** Always -1: topics use CreateTime, the broker never stamps LogAppendTime. */
  logAppendTime: -1;
}

export interface PartitionLogOptions {
  /** The partition directory; created when missing. */
  dir: string;
  config: LogConfig;
  logger?: Logger;
}

interface QueuedAppend {
  blob: Buffer;
  batches: RecordBatchInfo[];
  records: number;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** Keeps one writev under the usual IOV_MAX of 1024 buffers. */
const MAX_APPENDS_PER_WRITE = 512;
const EMPTY = Buffer.alloc(0);

/**
 * The durable log of one partition: a directory of segments (file formats in segment.ts and
 * offset-index.ts).
 *
 * Appends are validated, queued and written by a single writer loop, so they are serialized per
 * partition; appends that arrive while a write is in flight are written together with one
 * `writev` and, under `fsync: 'always'`, one fdatasync (group commit). An append becomes visible
 * to readers, advances the log end offset and wakes `onAppend` listeners only once it is written
 * (and synced, under `always`): a consumer never sees a record the producer could lose. Under
 * `always` only the log file is synced per write; the index is synced when the segment is
 * sealed or the log closed, since recovery rebuilds whatever index tail a crash loses.
 */
export class PartitionLog {
  /** Replaced, never mutated, so a read can keep walking the array it started with. */
  private segments: readonly Segment[];
  private readonly queue: QueuedAppend[] = [];
  private writing = false;
  private drained: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  private dirty = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private state: 'open' | 'closed' | 'deleted' = 'open';
  private shutdown: Promise<void> | undefined;

  private constructor(
    readonly dir: string,
    readonly config: LogConfig,
    private readonly logger: Logger,
    segments: Segment[],
  ) {
    this.segments = segments;
    if (config.fsync === 'interval') {
      this.flushTimer = setInterval(() => void this.flushIfDirty(), config.fsyncIntervalMs);
      this.flushTimer.unref();
    }
  }

  /**
   * Opens (or creates) the partition directory and recovers it: the last segment's tail is
   * verified batch by batch (lengths, CRC-32C) from its last index entry and cut at the first
   * torn or corrupt batch; missing or damaged indexes are rebuilt. A new directory starts at
   * offset 0.
   */
  static async open(options: PartitionLogOptions): Promise<PartitionLog> {
    const logger = (options.logger ?? pino({ level: 'silent' })).child({
      partitionDir: options.dir,
    });
    await mkdir(options.dir, { recursive: true });
    const baseOffsets = await listSegmentBaseOffsets(options.dir);
    const segments: Segment[] = [];
    try {
      for (const [i, baseOffset] of baseOffsets.entries()) {
        segments.push(
          await Segment.recover(options.dir, baseOffset, i === baseOffsets.length - 1, logger),
        );
      }
      if (segments.length === 0) {
        segments.push(await Segment.create(options.dir, 0));
        await syncDirectory(options.dir);
      }
    } catch (error) {
      await Promise.all(segments.map((segment) => segment.close()));
      throw error;
    }
    return new PartitionLog(options.dir, options.config, logger, segments);
  }

  /** First offset still stored; advances when retention deletes segments. */
  get logStartOffset(): number {
    return this.segments[0].baseOffset;
  }

  /** Offset the next appended record gets; also the high watermark (single replica). */
  get logEndOffset(): number {
    return this.active.nextOffset;
  }

  get sizeBytes(): number {
    return this.segments.reduce((sum, segment) => sum + segment.size, 0);
  }

  /**
   * Validates a Produce records blob (see `validateProducedBatches`), assigns offsets from the
   * log end offset (rewriting the batches' baseOffset in place) and writes the batches whole.
   * Resolves once durable per the fsync policy; rejects with a KafkaProtocolError for a bad blob.
   */
  async append(blob: Buffer): Promise<AppendResult> {
    this.assertOpen();
    const batches = validateProducedBatches(blob);
    const records = batches.reduce((sum, batch) => sum + batch.lastOffsetDelta + 1, 0);
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ blob, batches, records, resolve, reject });
      this.startWriting();
    });
  }

  /**
   * Whole stored batches, starting with the batch whose last offset is >= `fetchOffset` (so the
   * first batch may begin before it; clients skip those records), totalling at most `maxBytes`
   * — except that with `minOneBatch` the first batch is returned whole even when larger. Never
   * a partial batch. Empty at the log end offset. Reads stay within one segment.
   * @throws KafkaProtocolError OFFSET_OUT_OF_RANGE below the log start or past the log end.
   */
  async read(fetchOffset: number, maxBytes: number, minOneBatch: boolean): Promise<Buffer> {
    this.assertOpen();
    const segments = this.segments;
    const endOffset = this.logEndOffset;
    this.assertInRange(fetchOffset, segments[0].baseOffset, endOffset);
    if (fetchOffset === endOffset) {
      return EMPTY;
    }
    try {
      for (let i = segmentIndexFor(segments, fetchOffset); i < segments.length; i++) {
        const data = await segments[i].read(fetchOffset, maxBytes, minOneBatch);
        if (data !== undefined) {
          return data;
        }
      }
      return EMPTY;
    } catch (error) {
      if (error instanceof SegmentClosedError) {
        this.assertOpen();
        this.assertInRange(fetchOffset, this.logStartOffset, this.logEndOffset);
      }
      throw error;
    }
  }

  /**
   * The first batch whose maxTimestamp is >= `timestamp`: its base offset (which may hold
   * records older than `timestamp`; the batch is not decompressed to find the exact record) and
   * its maxTimestamp. `null` when no stored batch reaches `timestamp`.
   */
  async offsetForTimestamp(
    timestamp: number,
  ): Promise<{ offset: number; timestamp: number } | null> {
    this.assertOpen();
    for (const segment of this.segments) {
      if (segment.maxTimestamp >= timestamp) {
        const found = await segment.findByTimestamp(timestamp);
        if (found !== undefined) {
          return found;
        }
      }
    }
    return null;
  }

  /** Calls `listener` after each write that made new records readable. Returns unsubscribe. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Deletes the oldest whole segments, never the active one, while the partition is larger
   * than `retentionBytes` or while the oldest segment's newest timestamp is before
   * `now - retentionMs` (see `expiredSegmentCount`). The log start offset moves to the first
   * remaining segment. Returns the number of segments deleted.
   */
  async enforceRetention(now: number = Date.now()): Promise<number> {
    if (this.state !== 'open') {
      return 0;
    }
    const doomed = this.segments.slice(0, expiredSegmentCount(this.segments, this.config, now));
    if (doomed.length > 0) {
      this.segments = this.segments.slice(doomed.length);
      this.logger.info(
        { segments: doomed.length, logStartOffset: this.logStartOffset },
        'retention deleted segments',
      );
      await Promise.all(doomed.map((segment) => segment.destroy()));
    }
    return doomed.length;
  }

  /** fdatasync of the active segment, whatever the policy. */
  async flush(): Promise<void> {
    this.dirty = false;
    await this.active.sync();
  }

  /** Finishes queued appends, fsyncs and closes every file. Idempotent. */
  close(): Promise<void> {
    if (this.state === 'open') {
      this.state = 'closed';
      this.shutdown = this.stop(true);
    }
    return this.shutdown ?? Promise.resolve();
  }

  /** Closes the log (without syncing) and removes its directory. */
  async delete(): Promise<void> {
    if (this.state === 'open') {
      this.state = 'deleted';
      this.shutdown = this.stop(false);
    }
    this.state = 'deleted';
    await this.shutdown;
    await rm(this.dir, { recursive: true, force: true });
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1];
  }

  private startWriting(): void {
    if (!this.writing) {
      this.writing = true;
      this.drained = this.writeQueued();
    }
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      await this.writeNextGroup();
    }
    // Cleared in the same synchronous step as the emptiness check, so no append is stranded.
    this.writing = false;
  }

  private async writeNextGroup(): Promise<void> {
    let segment = this.active;
    if (this.mustRoll(segment, this.queue[0])) {
      try {
        segment = await this.roll();
      } catch (error) {
        this.queue.shift()?.reject(error);
        return;
      }
    }
    const group = this.takeGroup(segment);
    const { results, batches } = assignGroupOffsets(group, segment.nextOffset);
    try {
      const pending = await segment.write(
        group.map((item) => item.blob),
        batches,
      );
      if (this.config.fsync === 'always') {
        await segment.syncLog();
      }
      segment.publish(pending);
      this.dirty = true;
      group.forEach((item, i) => item.resolve(results[i]));
      this.notifyListeners();
    } catch (error) {
      this.logger.error({ err: error }, 'append failed');
      await segment.discardUnpublished().catch(() => undefined);
      group.forEach((item) => item.reject(error));
    }
  }

  private mustRoll(segment: Segment, next: QueuedAppend): boolean {
    return (
      segment.size > 0 &&
      !this.fits(segment, segment.size + next.blob.length, segment.nextOffset + next.records)
    );
  }

  private fits(segment: Segment, size: number, nextOffset: number): boolean {
    return (
      size <= this.config.segmentBytes && nextOffset - 1 - segment.baseOffset <= MAX_RELATIVE_OFFSET
    );
  }

  /** The queued appends that go into one write: at least one, then as many as fit the segment. */
  private takeGroup(segment: Segment): QueuedAppend[] {
    let size = segment.size + this.queue[0].blob.length;
    let nextOffset = segment.nextOffset + this.queue[0].records;
    let count = 1;
    while (count < this.queue.length && count < MAX_APPENDS_PER_WRITE) {
      const candidate = this.queue[count];
      if (!this.fits(segment, size + candidate.blob.length, nextOffset + candidate.records)) {
        break;
      }
      size += candidate.blob.length;
      nextOffset += candidate.records;
      count++;
    }
    return this.queue.splice(0, count);
  }

  private async roll(): Promise<Segment> {
    const sync = this.config.fsync !== 'never';
    const previous = this.active;
    await previous.seal(sync);
    const next = await Segment.create(this.dir, previous.nextOffset);
    if (sync) {
      await syncDirectory(this.dir);
    }
    this.segments = [...this.segments, next];
    this.logger.debug({ baseOffset: next.baseOffset }, 'rolled a new segment');
    return next;
  }

  private notifyListeners(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        this.logger.error({ err: error }, 'onAppend listener threw');
      }
    }
  }

  private async flushIfDirty(): Promise<void> {
    if (!this.dirty || this.state !== 'open') {
      return;
    }
    try {
      await this.flush();
    } catch (error) {
      this.logger.warn({ err: error }, 'periodic fsync failed');
    }
  }

  private async stop(sync: boolean): Promise<void> {
    clearInterval(this.flushTimer);
    await this.drained;
    if (sync) {
      await this.active.sync();
    }
    await Promise.all(this.segments.map((segment) => segment.close()));
    this.listeners.clear();
  }

  private assertOpen(): void {
    if (this.state === 'deleted') {
      throw new KafkaProtocolError(
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        `partition log ${this.dir} was deleted`,
      );
    }
    if (this.state === 'closed') {
      throw new KafkaProtocolError(
        ErrorCode.NOT_LEADER_OR_FOLLOWER,
        `partition log ${this.dir} is closed`,
      );
    }
  }

  private assertInRange(fetchOffset: number, startOffset: number, endOffset: number): void {
    if (fetchOffset < startOffset || fetchOffset > endOffset) {
      throw new KafkaProtocolError(
        ErrorCode.OFFSET_OUT_OF_RANGE,
        `offset ${fetchOffset} is outside the log [${startOffset}, ${endOffset}]`,
      );
    }
  }
}

/** Gives each queued append its offsets, in queue order, starting at `firstOffset`. */
function assignGroupOffsets(
  group: readonly QueuedAppend[],
  firstOffset: number,
): { results: AppendResult[]; batches: BatchToWrite[] } {
  const results: AppendResult[] = [];
  const batches: BatchToWrite[] = [];
  let nextOffset = firstOffset;
  for (const item of group) {
    const baseOffset = nextOffset;
    nextOffset = assignOffsets(item.blob, item.batches, baseOffset);
    results.push({ baseOffset, lastOffset: nextOffset - 1, logAppendTime: -1 });
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
