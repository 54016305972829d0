import { mkdir, rm } from 'node:fs/promises';
import pino, { type Logger } from 'pino';
import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';
import { applyTopicPolicy } from './append-policy';
import {
  AppendQueue,
  assignGroupOffsets,
  type AppendResult,
  type QueuedAppend,
} from './append-queue';
import { syncDirectory } from './file-io';
import type { LogConfig } from './log-config';
import { readLogStartOffset, writeLogStartOffset } from './log-start-offset';
import { validateProducedBatches } from './record-batch';
import { Segment, SegmentClosedError } from './segment';
import { expiredSegmentCount, openSegments, segmentIndexFor, segmentsBelow } from './segment-list';

export interface PartitionLogOptions {
  /** The partition directory; created when missing. */
  dir: string;
  config: LogConfig;
  logger?: Logger;
}

export type { AppendResult } from './append-queue';

const EMPTY = Buffer.alloc(0);

/**
 * The durable log of one partition: a directory of segments (file formats in segment.ts and
 * offset-index.ts) and, once DeleteRecords moved it, the log start offset (log-start-offset.ts).
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
  private readonly queue = new AppendQueue();
  private writing = false;
  private drained: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  private dirty = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private state: 'open' | 'closed' | 'deleted' = 'open';
  private shutdown: Promise<void> | undefined;
  /** Serializes DeleteRecords, so the stored start offset only moves forward. */
  private startOffsetTail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private currentConfig: LogConfig,
    private readonly logger: Logger,
    segments: Segment[],
    /** Where DeleteRecords last moved the start; the first segment's base may be past it. */
    private storedStartOffset: number,
  ) {
    this.segments = segments;
    if (currentConfig.fsync === 'interval') {
      this.flushTimer = setInterval(() => void this.flushIfDirty(), currentConfig.fsyncIntervalMs);
      this.flushTimer.unref();
    }
  }

  /**
   * Opens (or creates) the partition directory and recovers it: the last segment's tail is
   * verified batch by batch (lengths, CRC-32C) from its last index entry and cut at the first
   * torn or corrupt batch; missing or damaged indexes are rebuilt. A new directory starts at
   * offset 0. The log start offset a DeleteRecords stored is restored (at most the log end).
   */
  static async open(options: PartitionLogOptions): Promise<PartitionLog> {
    const logger = (options.logger ?? pino({ level: 'silent' })).child({
      partitionDir: options.dir,
    });
    await mkdir(options.dir, { recursive: true });
    const segments = await openSegments(options.dir, logger);
    const logEnd = segments[segments.length - 1].nextOffset;
    const storedStart = Math.min(await readLogStartOffset(options.dir), logEnd);
    return new PartitionLog(options.dir, options.config, logger, segments, storedStart);
  }

  /** The topic-level settings in force; replaced by {@link reconfigure}. */
  get config(): LogConfig {
    return this.currentConfig;
  }

  /**
   * Applies changed topic configs from the next append, read or retention run on. The fsync
   * policy is the broker's and stays as the log was opened with.
   */
  reconfigure(config: LogConfig): void {
    this.currentConfig = {
      ...config,
      fsync: this.currentConfig.fsync,
      fsyncIntervalMs: this.currentConfig.fsyncIntervalMs,
    };
  }

  /** First offset still readable: moved by DeleteRecords and by retention deleting segments. */
  get logStartOffset(): number {
    return Math.max(this.storedStartOffset, this.segments[0].baseOffset);
  }

  /** Offset the next appended record gets; also the high watermark (single replica). */
  get logEndOffset(): number {
    return this.active.nextOffset;
  }

  get sizeBytes(): number {
    return this.segments.reduce((sum, segment) => sum + segment.size, 0);
  }

  /**
   * Validates a Produce records blob (see `validateProducedBatches`) and applies the topic's
   * policy to it (see `applyTopicPolicy`: size, timestamps, LogAppendTime), assigns offsets from
   * the log end offset (rewriting the batches' baseOffset in place) and writes the batches
   * whole. Resolves once durable per the fsync policy; rejects with a KafkaProtocolError for a
   * refused blob.
   */
  async append(blob: Buffer): Promise<AppendResult> {
    this.assertOpen();
    const batches = validateProducedBatches(blob);
    const logAppendTime = applyTopicPolicy(blob, batches, this.config, Date.now());
    const records = batches.reduce((sum, batch) => sum + batch.lastOffsetDelta + 1, 0);
    const maxTimestamp = Math.max(...batches.map((batch) => batch.maxTimestamp));
    return new Promise<AppendResult>((resolve, reject) => {
      const item: QueuedAppend = {
        blob,
        batches,
        records,
        maxTimestamp,
        logAppendTime,
        resolve,
        reject,
      };
      this.queue.push(item);
      this.startWriting();
    });
  }

  /**
   * DeleteRecords: moves the log start offset forward to `offset` (-1: the high watermark).
   * An offset at or below the current start changes nothing. The new start is stored before
   * this resolves; segments holding only records below it are deleted. Resolves to the log
   * start offset (the response's low watermark).
   * @throws KafkaProtocolError OFFSET_OUT_OF_RANGE for an offset past the high watermark
   */
  deleteRecordsBefore(offset: number): Promise<number> {
    const run = this.startOffsetTail.then(async () => {
      this.assertOpen();
      const target = offset === -1 ? this.logEndOffset : offset;
      this.assertInRange(target, 0, this.logEndOffset);
      if (target > this.logStartOffset) {
        await writeLogStartOffset(this.dir, target);
        this.storedStartOffset = target;
        await this.dropSegments(segmentsBelow(this.segments, target), 'records deleted');
      }
      return this.logStartOffset;
    });
    this.startOffsetTail = run.catch(() => undefined);
    return run;
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
    this.assertInRange(fetchOffset, this.logStartOffset, endOffset);
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
    const start = this.logStartOffset;
    for (const segment of this.segments) {
      if (segment.nextOffset > start && segment.maxTimestamp >= timestamp) {
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
    return this.dropSegments(expiredSegmentCount(this.segments, this.config, now), 'retention');
  }

  /** Deletes the `count` oldest segments (never the active one); returns how many went. */
  private async dropSegments(count: number, reason: string): Promise<number> {
    const doomed = this.segments.slice(0, Math.min(count, this.segments.length - 1));
    if (doomed.length > 0) {
      this.segments = this.segments.slice(doomed.length);
      this.logger.info(
        { segments: doomed.length, logStartOffset: this.logStartOffset, reason },
        'deleted segments',
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
    if (this.queue.mustRoll(segment, this.config, Date.now())) {
      try {
        segment = await this.roll();
      } catch (error) {
        this.queue.failFirst(error);
        return;
      }
    }
    const group = this.queue.takeGroup(segment, this.config);
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
