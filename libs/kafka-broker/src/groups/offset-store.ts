import { type FileHandle, mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { writeFileAtomically } from '../storage/file-io';
import { type OffsetCommitEntry, TableBackedOffsetStore } from './committed-offset-store';
import { decodeRecords, encodeRecord, OFFSET_LOG_HEADER, type OffsetLogRecord } from './offset-log';
import {
  OffsetLogFormatError,
  OffsetStoreClosedError,
  OffsetStoreFailedError,
} from './offset-store.errors';
import { OffsetTable } from './offset-table';

export const OFFSET_LOG_FILE = 'offsets.log';
const COMPACTION_FILE = 'offsets.log.compacting';
const DEFAULT_FSYNC_INTERVAL_MS = 1000;
const DEFAULT_COMPACTION_THRESHOLD_BYTES = 16 * 1024 * 1024;

export interface OffsetStoreOptions {
  /**
   * When a write is forced to disk: `always` before each commit resolves (commits that arrive
   * together share one fsync), `interval` every `fsyncIntervalMs`, `never` left to the OS.
   */
  fsync: 'always' | 'interval' | 'never';
  fsyncIntervalMs?: number;
  /** The log is rewritten from the live state once it grows past this size (default 16 MiB). */
  compactionThresholdBytes?: number;
  logger?: Logger;
}

interface PendingWrite {
  bytes: Buffer;
  apply: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Durable committed offsets: an append-only log of CRC-checked records (the format is documented
 * in offset-log.ts) replayed into memory on open. Reads are served from memory; writes are
 * serialised, batched and made durable per the fsync policy before they resolve and become
 * visible. A torn tail left by a crash is cut off on open, and the log is compacted (tmp file,
 * fsync, rename, directory fsync) when it outgrows its threshold.
 *
 * One process at a time may open a directory; nothing guards against a second one.
 */
export class OffsetStore extends TableBackedOffsetStore {
  private readonly pending: PendingWrite[] = [];
  private flushScheduled = false;
  private exclusiveTail: Promise<unknown> = Promise.resolve();
  private dirty = false;
  private closed = false;
  private failure: OffsetStoreFailedError | undefined;
  private compactAt: number;
  private readonly syncTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly dir: string,
    private handle: FileHandle,
    private size: number,
    table: OffsetTable,
    private readonly options: Required<OffsetStoreOptions>,
  ) {
    super(table);
    this.compactAt = options.compactionThresholdBytes;
    if (options.fsync === 'interval') {
      this.syncTimer = setInterval(() => {
        void this.exclusive(() => this.syncIfDirty());
      }, options.fsyncIntervalMs).unref();
    }
  }

  /**
   * Opens (creating if needed) the store in `dir`, which it owns: pass `<dataDir>/groups`.
   * Replays the log, truncating a torn or corrupt tail, and compacts it if it is too large.
   */
  static async open(dir: string, options: OffsetStoreOptions): Promise<OffsetStore> {
    const settings: Required<OffsetStoreOptions> = {
      fsync: options.fsync,
      fsyncIntervalMs: options.fsyncIntervalMs ?? DEFAULT_FSYNC_INTERVAL_MS,
      compactionThresholdBytes:
        options.compactionThresholdBytes ?? DEFAULT_COMPACTION_THRESHOLD_BYTES,
      logger: options.logger ?? pino({ level: 'silent' }),
    };
    await mkdir(dir, { recursive: true });
    // A compaction that crashed before its rename left only garbage: the log is still whole.
    await rm(join(dir, COMPACTION_FILE), { force: true });
    const table = new OffsetTable();
    const size = await recover(dir, table, settings.logger);
    const handle = await open(join(dir, OFFSET_LOG_FILE), 'r+');
    const store = new OffsetStore(dir, handle, size, table, settings);
    await store.exclusive(() => store.compactIfDue());
    return store;
  }

  commit(groupId: string, entries: readonly OffsetCommitEntry[]): Promise<void> {
    const copy = entries.map((entry) => ({ ...entry }));
    return this.enqueue({ kind: 'commit', groupId, entries: copy }, () =>
      this.table.apply(groupId, copy),
    );
  }

  deleteGroup(groupId: string): Promise<void> {
    return this.enqueue({ kind: 'delete-group', groupId }, () => this.table.deleteGroup(groupId));
  }

  /** Writes what is queued, forces it to disk and closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return this.exclusive(async () => undefined);
    this.closed = true;
    clearInterval(this.syncTimer);
    await this.exclusive(async () => {
      if (this.failure === undefined) await this.handle.datasync();
      await this.handle.close();
    });
  }

  /** Current size of the log file in bytes (for tests and metrics). */
  get logBytes(): number {
    return this.size;
  }

  private enqueue(record: OffsetLogRecord, apply: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new OffsetStoreClosedError());
      if (this.failure !== undefined) return reject(this.failure);
      this.pending.push({ bytes: encodeRecord(record), apply, resolve, reject });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      void this.exclusive(() => this.flushPending());
    });
  }

  /** Runs file operations one at a time, in call order. */
  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.exclusiveTail.then(operation);
    this.exclusiveTail = run.catch(() => undefined);
    return run;
  }

  /** Group commit: everything queued so far shares one write and, with `always`, one fsync. */
  private async flushPending(): Promise<void> {
    this.flushScheduled = false;
    const batch = this.pending.splice(0);
    try {
      await this.append(Buffer.concat(batch.map((write) => write.bytes)));
    } catch (error) {
      for (const write of batch) write.reject(error);
      return;
    }
    for (const write of batch) {
      write.apply();
      write.resolve();
    }
    await this.compactIfDue();
  }

  private async compactIfDue(): Promise<void> {
    if (this.size < this.compactAt) return;
    await this.compact().catch((error: unknown) => {
      // Try again only once the log has doubled, rather than after every commit.
      this.compactAt = 2 * this.size;
      this.options.logger.error({ err: error, dir: this.dir }, 'offset log compaction failed');
    });
  }

  private async append(bytes: Buffer): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    try {
      let written = 0;
      while (written < bytes.length) {
        const result = await this.handle.write(
          bytes,
          written,
          bytes.length - written,
          this.size + written,
        );
        written += result.bytesWritten;
      }
      if (this.options.fsync === 'always') await this.handle.datasync();
    } catch (error) {
      await this.cutBackAfter(error);
      throw error;
    }
    this.size += bytes.length;
    this.dirty = this.options.fsync !== 'always';
  }

  /** A half-written batch must not stay in front of later records, or replay would stop there. */
  private async cutBackAfter(error: unknown): Promise<void> {
    try {
      await this.handle.truncate(this.size);
    } catch (truncateError) {
      this.failure = new OffsetStoreFailedError(truncateError);
      this.options.logger.error({ err: error, truncateError }, 'offset log is unusable');
    }
  }

  private async syncIfDirty(): Promise<void> {
    if (!this.dirty || this.closed) return;
    this.dirty = false;
    await this.handle.datasync().catch((error: unknown) => {
      this.dirty = true;
      this.options.logger.warn({ err: error }, 'periodic fsync of the offset log failed');
    });
  }

  /** Rewrites the log from the live state; the old file stays authoritative until the rename. */
  private async compact(): Promise<void> {
    const records: OffsetLogRecord[] = this.table
      .groups()
      .map((groupId) => ({ kind: 'commit', groupId, entries: this.table.list(groupId) }));
    const before = this.size;
    const size = await writeLogFile(this.dir, records);
    await this.handle.close();
    this.handle = await open(join(this.dir, OFFSET_LOG_FILE), 'r+');
    this.size = size;
    this.dirty = false;
    this.compactAt = Math.max(this.options.compactionThresholdBytes, 2 * size);
    this.options.logger.info({ dir: this.dir, before, after: size }, 'compacted the offset log');
  }
}

/** Replays the log into `table`, cutting off a torn tail; creates the log if it is missing. */
async function recover(dir: string, table: OffsetTable, logger: Logger): Promise<number> {
  const file = join(dir, OFFSET_LOG_FILE);
  const content = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (content === undefined || content.length < OFFSET_LOG_HEADER.length) {
    // Missing, or torn while being created: the log is written whole (tmp + rename) first.
    if (content !== undefined && !OFFSET_LOG_HEADER.subarray(0, content.length).equals(content)) {
      throw new OffsetLogFormatError(file, 'unknown header');
    }
    return writeLogFile(dir, []);
  }
  if (!content.subarray(0, OFFSET_LOG_HEADER.length).equals(OFFSET_LOG_HEADER)) {
    throw new OffsetLogFormatError(file, 'unknown header');
  }
  const { records, validBytes } = decodeRecords(content, OFFSET_LOG_HEADER.length);
  for (const record of records) {
    if (record.kind === 'commit') table.apply(record.groupId, record.entries);
    else table.deleteGroup(record.groupId);
  }
  if (validBytes < content.length) {
    logger.warn(
      { file, validBytes, droppedBytes: content.length - validBytes },
      'truncating a torn or corrupt tail of the offset log',
    );
    const handle = await open(file, 'r+');
    try {
      await handle.truncate(validBytes);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }
  return validBytes;
}

/** Atomically replaces the log with a fresh one holding `records`; returns its size. */
async function writeLogFile(dir: string, records: readonly OffsetLogRecord[]): Promise<number> {
  const bytes = Buffer.concat([OFFSET_LOG_HEADER, ...records.map(encodeRecord)]);
  await writeFileAtomically(join(dir, OFFSET_LOG_FILE), bytes, join(dir, COMPACTION_FILE));
  return bytes.length;
}
