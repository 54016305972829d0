import { constants } from 'node:fs';
import { open, readFile, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { BrokerError } from '../errors';
import { ChunkReader } from './chunk-reader';
import { writeFully } from './file-io';
import {
  INDEX_ENTRY_SIZE,
  INDEX_INTERVAL_BYTES,
  OffsetIndex,
  type IndexEntry,
} from './offset-index';
import {
  BATCH_HEADER_SIZE,
  LAST_OFFSET_DELTA_END,
  LOG_OVERHEAD,
  MAX_TIMESTAMP_END,
  baseOffsetAt,
  declaredSizeAt,
  lastOffsetAt,
  maxTimestampAt,
} from './record-batch';
import { recoverSegment } from './segment-recovery';

/** Reads on behalf of a fetch never buffer more than this ahead, whatever max_bytes says. */
const MAX_READ_CHUNK_BYTES = 8 * 1024 * 1024;
/** One pread this size usually covers the index-to-batch scan and the batches returned. */
const MIN_READ_CHUNK_BYTES = 64 * 1024;
/** Read-write, created when missing (a crash may fall between creating a log and its index). */
const OPEN_OR_CREATE = constants.O_RDWR | constants.O_CREAT;

/** One batch about to be written, with the offsets already assigned. */
export interface BatchToWrite {
  size: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
}

/** Bytes written to a segment but not yet visible to readers (see {@link Segment.publish}). */
export interface PendingWrite {
  size: number;
  nextOffset: number;
  maxTimestamp: number;
  entries: IndexEntry[];
}

/** `00000000000000000042` — segment files are named by their base offset, zero-padded to 20 digits. */
export function segmentFileName(baseOffset: number, extension: 'log' | 'index'): string {
  return `${String(baseOffset).padStart(20, '0')}.${extension}`;
}

/**
 * One `<base>.log` file of whole RecordBatch v2 batches plus its `<base>.index` (format in
 * {@link OffsetIndex}). Readers only ever see `size` bytes, which moves forward only when a
 * write is published, so a read never observes a batch that is half written or not yet synced.
 * The log file is opened lazily and stays open; the index file only while the segment is active.
 */
export class Segment {
  private logFile: Promise<FileHandle> | undefined;
  private indexFile: FileHandle | undefined;
  private readers = 0;
  private readonly createdAt = Date.now();
  private closing: Promise<void> | undefined;
  private onReaderDone: (() => void) | undefined;

  private constructor(
    private readonly dir: string,
    readonly baseOffset: number,
    private readonly index: OffsetIndex,
    private committedSize: number,
    private committedNextOffset: number,
    private committedMaxTimestamp: number,
  ) {}

  /** Creates the empty files of a new active segment. */
  static async create(dir: string, baseOffset: number): Promise<Segment> {
    const segment = new Segment(dir, baseOffset, new OffsetIndex(), 0, baseOffset, -1);
    segment.logFile = open(segment.path('log'), 'w+');
    await segment.logFile;
    segment.indexFile = await open(segment.path('index'), 'w+');
    return segment;
  }

  /**
   * Opens an existing segment, cuts a torn or corrupt tail (CRC checked when `active`) and
   * repairs its index; an active segment keeps its files open for appends.
   */
  static async recover(
    dir: string,
    baseOffset: number,
    active: boolean,
    logger: Logger,
  ): Promise<Segment> {
    const logPath = join(dir, segmentFileName(baseOffset, 'log'));
    const indexPath = join(dir, segmentFileName(baseOffset, 'index'));
    const file = await open(logPath, 'r+');
    try {
      const { size } = await file.stat();
      const indexBytes = await readFile(indexPath).catch(() => Buffer.alloc(0));
      const found = await recoverSegment(file, size, indexBytes, baseOffset, active);
      if (found.validSize < size) {
        logger.warn(
          { file: logPath, truncatedBytes: size - found.validSize, reason: found.tailProblem },
          'truncating torn or corrupt log tail',
        );
        await file.truncate(found.validSize);
      }
      if (found.indexChanged) {
        await writeFile(indexPath, OffsetIndex.encode(entriesOf(found.index)));
      }
      const segment = new Segment(
        dir,
        baseOffset,
        found.index,
        found.validSize,
        found.nextOffset,
        found.maxTimestamp,
      );
      if (active) {
        segment.logFile = Promise.resolve(file);
        segment.indexFile = await open(indexPath, OPEN_OR_CREATE);
      } else {
        await file.close();
      }
      return segment;
    } catch (error) {
      await file.close().catch(() => undefined);
      throw error;
    }
  }

  get size(): number {
    return this.committedSize;
  }

  /** Offset after the last published batch (the base offset while the segment is empty). */
  get nextOffset(): number {
    return this.committedNextOffset;
  }

  /** Largest batch maxTimestamp published in this segment, -1 when none. */
  get maxTimestamp(): number {
    return this.committedMaxTimestamp;
  }

  /**
   * segment.ms, measured as Kafka does: from the first batch's largest timestamp to that of the
   * incoming batch, or, while the first batch carries none, from the segment's creation to `now`.
   */
  isOlderThan(maxAgeMs: number, incomingTimestamp: number, now: number): boolean {
    const first = this.index.length > 0 ? this.index.entry(0).maxTimestamp : -1;
    return first >= 0 ? incomingTimestamp - first > maxAgeMs : now - this.createdAt > maxAgeMs;
  }

  /** Writes whole batches after the published end; nothing becomes visible until `publish`. */
  async write(buffers: Buffer[], batches: readonly BatchToWrite[]): Promise<PendingWrite> {
    let size = this.committedSize;
    let maxTimestamp = this.committedMaxTimestamp;
    let lastIndexed = this.index.last()?.position ?? -INDEX_INTERVAL_BYTES;
    const entries: IndexEntry[] = [];
    for (const batch of batches) {
      maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp);
      if (size - lastIndexed >= INDEX_INTERVAL_BYTES) {
        entries.push({
          relativeOffset: batch.baseOffset - this.baseOffset,
          position: size,
          maxTimestamp,
        });
        lastIndexed = size;
      }
      size += batch.size;
    }
    await writeFully(await this.file(), buffers, this.committedSize);
    if (entries.length > 0) {
      await writeFully(
        this.activeIndexFile(),
        [OffsetIndex.encode(entries)],
        this.index.length * INDEX_ENTRY_SIZE,
      );
    }
    const nextOffset =
      batches.length > 0 ? batches[batches.length - 1].lastOffset + 1 : this.committedNextOffset;
    return { size, nextOffset, maxTimestamp, entries };
  }

  /** Makes a pending write visible to readers. */
  publish(write: PendingWrite): void {
    for (const entry of write.entries) {
      this.index.append(entry);
    }
    this.committedSize = write.size;
    this.committedNextOffset = write.nextOffset;
    this.committedMaxTimestamp = write.maxTimestamp;
  }

  /** Cuts bytes of a failed write so the file ends at the published size again. */
  async discardUnpublished(): Promise<void> {
    await (await this.file()).truncate(this.committedSize);
    await this.indexFile?.truncate(this.index.length * INDEX_ENTRY_SIZE);
  }

  /** fdatasync of the log and, while active, its index. */
  async sync(): Promise<void> {
    await this.syncLog();
    await this.indexFile?.datasync();
  }

  /** fdatasync of the log only: enough for written batches to survive a power loss. */
  async syncLog(): Promise<void> {
    await (await this.file()).datasync();
  }

  /** Ends the active life of the segment: syncs (unless told not to) and closes its index file. */
  async seal(sync: boolean): Promise<void> {
    if (sync) {
      await this.sync();
    }
    const indexFile = this.indexFile;
    this.indexFile = undefined;
    await indexFile?.close();
  }

  /**
   * Whole batches starting with the first one whose last offset is >= `fetchOffset`, up to
   * `maxBytes` (the first batch whole even when larger, if `minOneBatch`). `undefined` when no
   * published batch of this segment reaches `fetchOffset`.
   */
  async read(
    fetchOffset: number,
    maxBytes: number,
    minOneBatch: boolean,
  ): Promise<Buffer | undefined> {
    const end = this.committedSize;
    const chunkSize = Math.min(maxBytes, MAX_READ_CHUNK_BYTES) + 2 * INDEX_INTERVAL_BYTES;
    return this.withReader(end, Math.max(chunkSize, MIN_READ_CHUNK_BYTES), async (reader) => {
      const start = await this.locate(reader, fetchOffset, end);
      if (start === undefined) {
        return undefined;
      }
      const total = await wholeBatchesLength(reader, start, end, maxBytes, minOneBatch);
      if (total === 0) {
        return Buffer.alloc(0);
      }
      const { buf, at } = await reader.mustView(start, total);
      return buf.subarray(at, at + total);
    });
  }

  /** Base offset and maxTimestamp of the first batch whose maxTimestamp is >= `timestamp`. */
  async findByTimestamp(
    timestamp: number,
  ): Promise<{ offset: number; timestamp: number } | undefined> {
    if (this.committedMaxTimestamp < timestamp) {
      return undefined;
    }
    const end = this.committedSize;
    const { from, to } = this.index.timestampRange(timestamp);
    return this.withReader(end, 2 * INDEX_INTERVAL_BYTES, async (reader) => {
      for (let position = from; position < end && (to === undefined || position <= to);) {
        const { buf, at } = await reader.mustView(position, MAX_TIMESTAMP_END);
        const batchMax = maxTimestampAt(buf, at);
        if (batchMax >= timestamp) {
          return { offset: baseOffsetAt(buf, at), timestamp: batchMax };
        }
        position += declaredSizeAt(buf, at);
      }
      return undefined;
    });
  }

  /** Closes the files once in-flight reads are done; the segment is unusable afterwards. */
  close(): Promise<void> {
    this.closing ??= this.closeWhenIdle();
    return this.closing;
  }

  /** Closes the segment and removes its files. */
  async destroy(): Promise<void> {
    await this.close();
    await rm(this.path('log'), { force: true });
    await rm(this.path('index'), { force: true });
  }

  private async locate(
    reader: ChunkReader,
    fetchOffset: number,
    end: number,
  ): Promise<number | undefined> {
    let position = this.index.floorPosition(fetchOffset - this.baseOffset);
    while (position < end) {
      const { buf, at } = await reader.mustView(position, LAST_OFFSET_DELTA_END);
      if (lastOffsetAt(buf, at) >= fetchOffset) {
        return position;
      }
      position += declaredSizeAt(buf, at);
    }
    return undefined;
  }

  private async withReader<T>(
    end: number,
    chunkSize: number,
    use: (reader: ChunkReader) => Promise<T>,
  ): Promise<T> {
    if (this.closing !== undefined) {
      throw new SegmentClosedError(this.baseOffset);
    }
    this.readers++;
    try {
      return await use(
        new ChunkReader(await this.file(), end, Math.max(chunkSize, BATCH_HEADER_SIZE)),
      );
    } finally {
      this.readers--;
      this.onReaderDone?.();
    }
  }

  private async closeWhenIdle(): Promise<void> {
    if (this.readers > 0) {
      await new Promise<void>((resolve) => {
        this.onReaderDone = () => {
          if (this.readers === 0) {
            resolve();
          }
        };
      });
    }
    await this.indexFile?.close();
    this.indexFile = undefined;
    const logFile = this.logFile;
    this.logFile = undefined;
    await (await logFile?.catch(() => undefined))?.close();
  }

  /** The log file, opened on first use; a failed open is retried by the next caller. */
  private file(): Promise<FileHandle> {
    if (this.closing !== undefined) {
      return Promise.reject(new SegmentClosedError(this.baseOffset));
    }
    if (this.logFile === undefined) {
      const opening = open(this.path('log'), 'r+');
      this.logFile = opening;
      opening.catch(() => {
        if (this.logFile === opening) {
          this.logFile = undefined;
        }
      });
    }
    return this.logFile;
  }

  private activeIndexFile(): FileHandle {
    if (this.indexFile === undefined) {
      throw new Error(`segment ${this.baseOffset} is sealed and takes no more writes`);
    }
    return this.indexFile;
  }

  private path(extension: 'log' | 'index'): string {
    return join(this.dir, segmentFileName(this.baseOffset, extension));
  }
}

/** A read reached a segment that retention or shutdown has already closed. */
export class SegmentClosedError extends BrokerError {
  /** The next read finds the data in the remaining segments, or a proper range error. */
  readonly retriable = true;

  constructor(readonly baseOffset: number) {
    super(`segment ${baseOffset} is closed`);
  }
}

/** Bytes of the whole batches from `start` that fit `maxBytes` (the first one regardless if `minOneBatch`). */
async function wholeBatchesLength(
  reader: ChunkReader,
  start: number,
  end: number,
  maxBytes: number,
  minOneBatch: boolean,
): Promise<number> {
  let total = 0;
  while (start + total < end) {
    const { buf, at } = await reader.mustView(start + total, LOG_OVERHEAD);
    const size = declaredSizeAt(buf, at);
    if (total + size > maxBytes && (total > 0 || !minOneBatch)) {
      break;
    }
    total += size;
  }
  return total;
}

function entriesOf(index: OffsetIndex): IndexEntry[] {
  return Array.from({ length: index.length }, (_, i) => index.entry(i));
}
