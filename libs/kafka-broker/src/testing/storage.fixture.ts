import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { KAFKA_LOG_DEFAULTS, type LogConfig } from '../storage/log-config';
import { PartitionLog } from '../storage/partition-log';
import { parseRecordBatches } from '../storage/record-batch';

/** Log settings for tests: small segments, no retention, no fsync (fast), unless overridden. */
export function testLogConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  return {
    segmentBytes: 64 * 1024,
    retentionBytes: -1,
    retentionMs: -1,
    maxMessageBytes: 1_048_588,
    fsync: 'never',
    fsyncIntervalMs: 1000,
    ...KAFKA_LOG_DEFAULTS,
    ...overrides,
  };
}

/** A fresh directory under the OS temp dir; `remove()` deletes it and everything in it. */
export async function aTempDir(
  prefix = 'kafka-storage-',
): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A pino logger that keeps every line it logs, parsed, for assertions. */
export function aRecordingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

/**
 * One partition directory for a test: opens logs on it and closes them all, then removes the
 * directory, in `cleanup()`.
 */
export class PartitionDirHarness {
  private readonly opened: PartitionLog[] = [];

  private constructor(private readonly tempDir: { path: string; remove: () => Promise<void> }) {}

  static async create(): Promise<PartitionDirHarness> {
    return new PartitionDirHarness(await aTempDir());
  }

  get path(): string {
    return this.tempDir.path;
  }

  async open(
    config: Partial<LogConfig> = {},
    logger = aRecordingLogger().logger,
  ): Promise<PartitionLog> {
    const log = await PartitionLog.open({ dir: this.path, config: testLogConfig(config), logger });
    this.opened.push(log);
    return log;
  }

  /** Names of the directory's files with that extension, sorted. */
  async files(extension: '.log' | '.index'): Promise<string[]> {
    return (await readdir(this.path)).filter((name) => name.endsWith(extension)).sort();
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.opened.splice(0).map((log) => log.close()));
    await this.tempDir.remove();
  }
}

/** Every batch from `from` to the log end, fetched the way a consumer does. */
export async function readAllBatches(
  log: PartitionLog,
  from = log.logStartOffset,
  maxBytes = 1024 * 1024,
): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let next = from; next < log.logEndOffset;) {
    const data = await log.read(next, maxBytes, true);
    const batches = parseRecordBatches(data);
    const last = batches[batches.length - 1];
    next = last.baseOffset + last.lastOffsetDelta + 1;
    parts.push(data);
  }
  return Buffer.concat(parts);
}
