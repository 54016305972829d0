import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';
import { expectKafkaError } from '../testing/kafka-errors';
import { aRecordBatch, decodeRecords } from '../testing/record-batch.builder';
import { PartitionDirHarness, readAllBatches as readAll } from '../testing/storage.fixture';
import { PartitionLog } from './partition-log';

const T0 = 1_700_000_000_000;

function batchOf(records: number, valueBytes = 40, timestamp = T0): Promise<Buffer> {
  return aRecordBatch().withGeneratedRecords(records, valueBytes).withTimestamp(timestamp).build();
}

describe(PartitionLog.name, () => {
  let dir: PartitionDirHarness;

  beforeEach(async () => {
    dir = await PartitionDirHarness.create();
  });

  afterEach(async () => {
    await dir.cleanup();
  });

  describe('append and read', () => {
    it('assigns consecutive offsets from 0 and reads back the stored batches byte for byte', async () => {
      const log = await dir.open();
      const blobs = [await batchOf(1), await batchOf(3), await batchOf(2)];

      const results = [];
      for (const blob of blobs) {
        results.push(await log.append(blob));
      }

      expect(results).toEqual([
        { baseOffset: 0, lastOffset: 0, logAppendTime: -1 },
        { baseOffset: 1, lastOffset: 3, logAppendTime: -1 },
        { baseOffset: 4, lastOffset: 5, logAppendTime: -1 },
      ]);
      expect(log.logEndOffset).toBe(6);
      const stored = await log.read(0, 1024 * 1024, true);
      expect(stored.equals(Buffer.concat(blobs))).toBe(true);
      expect((await decodeRecords(stored)).map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(log.sizeBytes).toBe(stored.length);
    });

    it('starts a read at the batch holding the fetch offset, which may begin before it', async () => {
      const log = await dir.open();
      await log.append(await batchOf(1));
      const second = await batchOf(3);
      await log.append(second);

      const data = await log.read(2, 1024 * 1024, true);

      expect(data.equals(second)).toBe(true);
    });

    it('answers an empty buffer at the log end and OFFSET_OUT_OF_RANGE outside the log', async () => {
      const log = await dir.open();
      await log.append(await batchOf(2));

      await expect(log.read(2, 1024, true)).resolves.toHaveLength(0);
      await expectKafkaError(log.read(3, 1024, true), ErrorCode.OFFSET_OUT_OF_RANGE);
      await expectKafkaError(log.read(-1, 1024, true), ErrorCode.OFFSET_OUT_OF_RANGE);
    });

    it('never returns a partial batch: stops before the batch that would pass maxBytes', async () => {
      const log = await dir.open();
      const blobs = [await batchOf(2), await batchOf(2), await batchOf(2)];
      for (const blob of blobs) {
        await log.append(blob);
      }

      const data = await log.read(0, blobs[0].length + blobs[1].length - 1, true);

      expect(data.equals(blobs[0])).toBe(true);
    });

    it('returns a first batch larger than maxBytes whole when minOneBatch, and nothing otherwise', async () => {
      const log = await dir.open();
      const big = await batchOf(20, 500);
      await log.append(big);
      await log.append(await batchOf(1));

      await expect(log.read(0, 100, true)).resolves.toEqual(big);
      await expect(log.read(0, 100, false)).resolves.toHaveLength(0);
    });

    it('writes concurrent appends one after another with contiguous offsets', async () => {
      const log = await dir.open({ segmentBytes: 4096 });
      const blobs = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          aRecordBatch()
            .withRecords([{ value: `v${i}` }, { value: `w${i}` }])
            .build(),
        ),
      );

      const results = await Promise.all(blobs.map((blob) => log.append(blob)));

      const starts = results.map((r) => r.baseOffset).sort((a, b) => a - b);
      expect(starts).toEqual(Array.from({ length: 60 }, (_, i) => i * 2));
      const records = await decodeRecords(await readAll(log));
      results.forEach((result, i) => {
        expect(records[result.baseOffset].value?.toString()).toBe(`v${i}`);
        expect(records[result.lastOffset].value?.toString()).toBe(`w${i}`);
      });
    });

    it('refuses a corrupt blob without consuming offsets', async () => {
      const log = await dir.open();
      const bad = Buffer.from(await batchOf(1));
      bad[bad.length - 1] ^= 0xff;

      await expectKafkaError(log.append(bad), ErrorCode.CORRUPT_MESSAGE);
      await expect(log.append(await batchOf(1))).resolves.toMatchObject({ baseOffset: 0 });
    });

    it('wakes onAppend listeners once the records are readable, until they unsubscribe', async () => {
      const log = await dir.open();
      const seen: number[] = [];
      const unsubscribe = log.onAppend(() => seen.push(log.logEndOffset));

      await log.append(await batchOf(2));
      unsubscribe();
      await log.append(await batchOf(1));

      expect(seen).toEqual([2]);
    });
  });

  describe('segments', () => {
    it('rolls a new segment named by its base offset when the active one would pass segmentBytes', async () => {
      const log = await dir.open({ segmentBytes: 1000 });
      const blobs: Buffer[] = [];
      for (let i = 0; i < 30; i++) {
        blobs.push(await batchOf(2, 60));
        await log.append(blobs[i]);
      }

      const logs = await dir.files('.log');
      expect(logs.length).toBeGreaterThan(5);
      expect(logs[0]).toBe('00000000000000000000.log');
      expect(logs.every((name) => /^\d{20}\.log$/.test(name))).toBe(true);
      for (const name of logs) {
        expect((await stat(join(dir.path, name))).size).toBeLessThanOrEqual(1000);
      }
      expect(await dir.files('.index')).toHaveLength(logs.length);
      expect((await readAll(log)).equals(Buffer.concat(blobs))).toBe(true);
      expect((await readAll(log, 37)).equals(Buffer.concat(blobs.slice(18)))).toBe(true);
    });

    it('finds offsets deep inside a segment through its sparse index', async () => {
      const log = await dir.open({ segmentBytes: 1024 * 1024 });
      const blobs: Buffer[] = [];
      for (let i = 0; i < 400; i++) {
        blobs.push(await batchOf(1, 100));
        await log.append(blobs[i]);
      }

      expect((await stat(join(dir.path, '00000000000000000000.index'))).size).toBeGreaterThan(16);
      for (const offset of [0, 1, 150, 333, 399]) {
        await expect(log.read(offset, 1, true)).resolves.toEqual(blobs[offset]);
      }
    });
  });

  describe('offsetForTimestamp', () => {
    it('finds the first batch whose max timestamp reaches the target, in offset order', async () => {
      const log = await dir.open({ segmentBytes: 2000 });
      const timestamps = [100, 300, 200, 500, 400];
      for (let i = 0; i < 100; i++) {
        await log.append(await batchOf(2, 60, T0 + timestamps[i % 5] + 1000 * Math.floor(i / 5)));
      }

      await expect(log.offsetForTimestamp(0)).resolves.toEqual({ offset: 0, timestamp: T0 + 100 });
      await expect(log.offsetForTimestamp(T0 + 250)).resolves.toEqual({
        offset: 2,
        timestamp: T0 + 300,
      });
      await expect(log.offsetForTimestamp(T0 + 15_450)).resolves.toEqual({
        offset: 156,
        timestamp: T0 + 15_500,
      });
      await expect(log.offsetForTimestamp(T0 + 99_999)).resolves.toBeNull();
    });
  });

  describe('retention', () => {
    it('deletes the oldest segments while the partition is over retentionBytes, never the active one', async () => {
      const log = await dir.open({ segmentBytes: 1000, retentionBytes: 2500 });
      for (let i = 0; i < 30; i++) {
        await log.append(await batchOf(2, 60));
      }
      const before = await dir.files('.log');

      const deleted = await log.enforceRetention();

      expect(deleted).toBeGreaterThan(0);
      expect(log.sizeBytes).toBeLessThanOrEqual(2500);
      expect(await dir.files('.log')).toEqual(before.slice(deleted));
      expect(log.logStartOffset).toBe(Number(before[deleted].slice(0, 20)));
      await expectKafkaError(log.read(0, 1024, true), ErrorCode.OFFSET_OUT_OF_RANGE);
      await expect(log.read(log.logStartOffset, 1024, true)).resolves.not.toHaveLength(0);
      expect(log.logEndOffset).toBe(60);
    });

    it('deletes segments whose newest record is older than retentionMs, but keeps the active one', async () => {
      const log = await dir.open({ segmentBytes: 1000, retentionMs: 60_000 });
      for (let i = 0; i < 20; i++) {
        await log.append(await batchOf(2, 60, T0 + i * 10_000));
      }
      const segments = await dir.files('.log');

      await log.enforceRetention(T0 + 100_000);
      const afterFirstPass = log.logStartOffset;
      await log.enforceRetention(T0 + 10_000_000);

      expect(afterFirstPass).toBeGreaterThan(0);
      expect(afterFirstPass).toBeLessThan(log.logStartOffset);
      const [survivor] = await dir.files('.log');
      expect(await dir.files('.log')).toEqual([segments[segments.length - 1]]);
      expect(log.logStartOffset).toBe(Number(survivor.slice(0, 20)));
    });

    it('keeps everything when retention is unlimited', async () => {
      const log = await dir.open({ segmentBytes: 1000 });
      for (let i = 0; i < 20; i++) {
        await log.append(await batchOf(2, 60, T0));
      }

      await expect(log.enforceRetention(T0 * 2)).resolves.toBe(0);
      expect(log.logStartOffset).toBe(0);
    });
  });

  describe('lifecycle', () => {
    it('refuses appends and reads after close', async () => {
      const log = await dir.open();
      await log.close();

      await expect(log.append(await batchOf(1))).rejects.toBeInstanceOf(KafkaProtocolError);
      await expect(log.read(0, 1, true)).rejects.toBeInstanceOf(KafkaProtocolError);
    });

    it('finishes appends accepted before close', async () => {
      const log = await dir.open({ fsync: 'interval', fsyncIntervalMs: 5 });
      const pending = [log.append(await batchOf(1)), log.append(await batchOf(1))];
      const closing = log.close();

      await expect(Promise.all(pending)).resolves.toHaveLength(2);
      await closing;
      const reopened = await dir.open();
      expect(reopened.logEndOffset).toBe(2);
    });

    it('removes its directory on delete', async () => {
      const log = await dir.open();
      await log.append(await batchOf(1));

      await log.delete();

      await expect(stat(log.dir)).rejects.toMatchObject({ code: 'ENOENT' });
      await expectKafkaError(log.append(await batchOf(1)), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    });
  });
});
