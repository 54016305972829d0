import { appendFile, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { aRecordBatch } from '../testing/record-batch.builder';
import {
  PartitionDirHarness,
  aRecordingLogger,
  readAllBatches as readAll,
} from '../testing/storage.fixture';
import type { LogConfig } from './log-config';
import { PartitionLog } from './partition-log';

function batchOf(records: number, valueBytes = 60): Promise<Buffer> {
  return aRecordBatch().withGeneratedRecords(records, valueBytes).build();
}

describe(`${PartitionLog.name} recovery on open`, () => {
  let dir: PartitionDirHarness;

  beforeEach(async () => {
    dir = await PartitionDirHarness.create();
  });

  afterEach(async () => {
    await dir.cleanup();
  });

  async function fillAndClose(
    count: number,
    config: Partial<LogConfig> = {},
  ): Promise<{ blobs: Buffer[]; lastSegment: string }> {
    const log = await dir.open(config);
    const blobs: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      blobs.push(await batchOf(2, 60));
      await log.append(blobs[i]);
    }
    await log.close();
    const logs = await dir.files('.log');
    return { blobs, lastSegment: join(dir.path, logs[logs.length - 1]) };
  }

  it('keeps every record and offset across close and reopen, and continues after them', async () => {
    const { blobs } = await fillAndClose(25, { segmentBytes: 1000, fsync: 'always' });

    const log = await dir.open({ segmentBytes: 1000 });

    expect(log.logEndOffset).toBe(50);
    expect((await readAll(log)).equals(Buffer.concat(blobs))).toBe(true);
    await expect(log.append(await batchOf(1))).resolves.toMatchObject({ baseOffset: 50 });
  });

  it('cuts a torn last batch on reopen and continues at its offset', async () => {
    const { blobs, lastSegment } = await fillAndClose(10);
    const { size } = await stat(lastSegment);
    await truncate(lastSegment, size - 7);
    const { logger, lines } = aRecordingLogger();

    const log = await dir.open({}, logger);

    expect(log.logEndOffset).toBe(18);
    expect((await readAll(log)).equals(Buffer.concat(blobs.slice(0, 9)))).toBe(true);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        truncatedBytes: blobs[9].length - 7,
        msg: 'truncating torn or corrupt log tail',
      }),
    );
    await expect(log.append(await batchOf(1))).resolves.toMatchObject({ baseOffset: 18 });
    expect((await stat(lastSegment)).size).toBe(log.sizeBytes);
  });

  it('forgets a torn batch that its index already pointed at', async () => {
    const { lastSegment } = await fillAndClose(1);
    await truncate(lastSegment, 30);

    const log = await dir.open();

    expect([log.logEndOffset, log.sizeBytes]).toEqual([0, 0]);
    await expect(log.offsetForTimestamp(0)).resolves.toBeNull();
    const blob = await batchOf(3);
    await expect(log.append(blob)).resolves.toMatchObject({ baseOffset: 0, lastOffset: 2 });
    await log.close();
    await expect((await dir.open()).read(0, 1, true)).resolves.toEqual(blob);
  });

  it('cuts garbage written after the last batch', async () => {
    const { blobs, lastSegment } = await fillAndClose(4);
    const garbage = Buffer.from('garbage that is no record batch at all');
    await appendFile(lastSegment, garbage);
    const { logger, lines } = aRecordingLogger();

    const log = await dir.open({}, logger);

    expect(log.logEndOffset).toBe(8);
    expect((await readAll(log)).equals(Buffer.concat(blobs))).toBe(true);
    expect(lines).toContainEqual(expect.objectContaining({ truncatedBytes: garbage.length }));
  });

  it('cuts from a last batch whose checksum no longer matches', async () => {
    const { blobs, lastSegment } = await fillAndClose(5);
    const bytes = await readFile(lastSegment);
    bytes[bytes.length - blobs[4].length + 70] ^= 0x01;
    await writeFile(lastSegment, bytes);

    const log = await dir.open();

    expect(log.logEndOffset).toBe(8);
    expect((await readAll(log)).equals(Buffer.concat(blobs.slice(0, 4)))).toBe(true);
  });

  it('rebuilds missing indexes and still finds every offset', async () => {
    const { blobs } = await fillAndClose(200, { segmentBytes: 20_000 });
    const indexes = await dir.files('.index');
    const sizes = await Promise.all(
      indexes.map(async (name) => (await stat(join(dir.path, name))).size),
    );
    await Promise.all(indexes.map((name) => rm(join(dir.path, name))));

    const log = await dir.open({ segmentBytes: 20_000 });

    for (const offset of [0, 101, 257, 399]) {
      await expect(log.read(offset, 1, true)).resolves.toEqual(blobs[Math.floor(offset / 2)]);
    }
    const rebuilt = await Promise.all(
      indexes.map(async (name) => (await stat(join(dir.path, name))).size),
    );
    expect(rebuilt).toEqual(sizes);
  });

  it('ignores index entries that point at the wrong place', async () => {
    const { blobs } = await fillAndClose(100);
    const indexPath = join(dir.path, '00000000000000000000.index');
    const index = await readFile(indexPath);
    index.writeUInt32BE(index.readUInt32BE(index.length - 12) + 5, index.length - 12);
    await writeFile(indexPath, index);

    const log = await dir.open();

    expect(log.logEndOffset).toBe(200);
    for (const offset of [0, 150, 198]) {
      await expect(log.read(offset, 1, true)).resolves.toEqual(blobs[Math.floor(offset / 2)]);
    }
  });

  it('recovers a crash between creating a segment log file and its index', async () => {
    const { blobs } = await fillAndClose(6, { segmentBytes: 500 });
    await writeFile(join(dir.path, '00000000000000000012.log'), Buffer.alloc(0));

    const log = await dir.open({ segmentBytes: 500 });

    expect(log.logEndOffset).toBe(12);
    expect((await readAll(log)).equals(Buffer.concat(blobs))).toBe(true);
    await expect(log.append(await batchOf(1))).resolves.toMatchObject({ baseOffset: 12 });
  });

  it('starts an empty directory at offset 0', async () => {
    const log = await dir.open();

    expect([log.logStartOffset, log.logEndOffset, log.sizeBytes]).toEqual([0, 0, 0]);
    await expect(log.read(0, 1024, true)).resolves.toHaveLength(0);
  });
});
