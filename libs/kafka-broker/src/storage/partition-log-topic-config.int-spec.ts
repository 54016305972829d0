import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode } from '../protocol/error-codes';
import { expectKafkaError } from '../testing/kafka-errors';
import { aRecordBatch, decodeRecords } from '../testing/record-batch.builder';
import { PartitionDirHarness, testLogConfig } from '../testing/storage.fixture';
import { LOG_START_OFFSET_FILE } from './log-start-offset';
import { TimestampType, parseRecordBatches } from './record-batch';

const HOUR = 3600 * 1000;

function batchAt(timestamp: number, records = 2, valueBytes = 40): Promise<Buffer> {
  return aRecordBatch().withGeneratedRecords(records, valueBytes).withTimestamp(timestamp).build();
}

describe('a partition log under its topic configs', () => {
  let dir: PartitionDirHarness;

  beforeEach(async () => {
    dir = await PartitionDirHarness.create();
  });

  afterEach(async () => {
    await dir.cleanup();
  });

  it('refuses a batch above max.message.bytes with MESSAGE_TOO_LARGE and stores nothing', async () => {
    const log = await dir.open({ maxMessageBytes: 200 });

    await expectKafkaError(
      log.append(await batchAt(Date.now(), 2, 300)),
      ErrorCode.MESSAGE_TOO_LARGE,
    );
    await log.append(await batchAt(Date.now(), 1, 10));

    expect(log.logEndOffset).toBe(1);
  });

  it('refuses CreateTime records further behind or ahead of the clock than allowed', async () => {
    const log = await dir.open({ timestampBeforeMaxMs: HOUR, timestampAfterMaxMs: HOUR });
    const now = Date.now();

    await expectKafkaError(log.append(await batchAt(now - 2 * HOUR)), ErrorCode.INVALID_TIMESTAMP);
    await expectKafkaError(log.append(await batchAt(now + 2 * HOUR)), ErrorCode.INVALID_TIMESTAMP);
    const late = aRecordBatch().withRecords([
      { value: 'in time', timestamp: now },
      { value: 'too old', timestamp: now - 2 * HOUR },
    ]);
    await expectKafkaError(log.append(await late.build()), ErrorCode.INVALID_TIMESTAMP);
    const gzipped = aRecordBatch()
      .withGeneratedRecords(3)
      .withTimestamp(now - 2 * HOUR);
    await expectKafkaError(
      log.append(await gzipped.gzipped().build()),
      ErrorCode.INVALID_TIMESTAMP,
    );
    await log.append(await batchAt(now - HOUR / 2));

    expect(log.logEndOffset).toBe(2);
  });

  it('stamps every batch of a LogAppendTime topic with the append time, CRC and all', async () => {
    const log = await dir.open({ timestampType: TimestampType.LogAppendTime });
    const before = Date.now();

    const plain = await log.append(await batchAt(1_000));
    const gzipped = await log.append(await aRecordBatch().withTimestamp(2_000).gzipped().build());

    const stored = await log.read(0, 1024 * 1024, true);
    const batches = parseRecordBatches(stored);
    expect(batches.map((batch) => batch.timestampType)).toEqual([
      TimestampType.LogAppendTime,
      TimestampType.LogAppendTime,
    ]);
    expect(plain.logAppendTime).toBeGreaterThanOrEqual(before);
    expect(gzipped.logAppendTime).toBeGreaterThanOrEqual(plain.logAppendTime);
    const timestamps = (await decodeRecords(stored)).map((record) => record.timestamp);
    expect(timestamps).toEqual([plain.logAppendTime, plain.logAppendTime, gzipped.logAppendTime]);
  });

  it('rolls the active segment once its first batch is older than segment.ms', async () => {
    const log = await dir.open({ segmentMs: HOUR });
    const t0 = 1_700_000_000_000;

    await log.append(await batchAt(t0));
    await log.append(await batchAt(t0 + HOUR));
    expect(await dir.files('.log')).toHaveLength(1);
    await log.append(await batchAt(t0 + HOUR + 1));

    expect(await dir.files('.log')).toEqual([
      '00000000000000000000.log',
      '00000000000000000004.log',
    ]);
  });

  it('applies a changed config from the next append on', async () => {
    const log = await dir.open();
    await log.append(await batchAt(Date.now(), 2, 300));

    log.reconfigure(testLogConfig({ maxMessageBytes: 200 }));

    expect(log.config.maxMessageBytes).toBe(200);
    await expectKafkaError(
      log.append(await batchAt(Date.now(), 2, 300)),
      ErrorCode.MESSAGE_TOO_LARGE,
    );
  });

  describe('DeleteRecords', () => {
    /** Three segments of two 2-record batches each: offsets 0–3, 4–7, 8–11. */
    async function threeSegments() {
      const size = (await batchAt(1)).length;
      const log = await dir.open({ segmentBytes: 2 * size });
      for (let i = 0; i < 6; i++) await log.append(await batchAt(1_700_000_000_000 + i));
      expect(await dir.files('.log')).toHaveLength(3);
      return log;
    }

    it('moves the log start offset, refuses reads below it and deletes whole segments below', async () => {
      const log = await threeSegments();

      await expect(log.deleteRecordsBefore(5)).resolves.toBe(5);

      expect(log.logStartOffset).toBe(5);
      await expectKafkaError(log.read(4, 1024 * 1024, true), ErrorCode.OFFSET_OUT_OF_RANGE);
      const records = await decodeRecords(await log.read(5, 1024 * 1024, true));
      expect(records[0].offset).toBe(4);
      expect(await dir.files('.log')).toEqual([
        '00000000000000000004.log',
        '00000000000000000008.log',
      ]);
      expect(await readFile(join(dir.path, LOG_START_OFFSET_FILE), 'utf8')).toBe('5\n');
    });

    it('keeps the moved start offset across a restart', async () => {
      const log = await threeSegments();
      await log.deleteRecordsBefore(6);
      await log.close();

      const reopened = await dir.open({ segmentBytes: 1024 });

      expect([reopened.logStartOffset, reopened.logEndOffset]).toEqual([6, 12]);
    });

    it('takes -1 for the high watermark, ignores offsets below the start and refuses past the end', async () => {
      const log = await threeSegments();

      await expect(log.deleteRecordsBefore(7)).resolves.toBe(7);
      await expect(log.deleteRecordsBefore(3)).resolves.toBe(7);
      await expectKafkaError(log.deleteRecordsBefore(13), ErrorCode.OFFSET_OUT_OF_RANGE);
      await expect(log.deleteRecordsBefore(-1)).resolves.toBe(12);

      expect(await dir.files('.log')).toEqual(['00000000000000000008.log']);
      await expect(log.read(12, 1024, true)).resolves.toHaveLength(0);
    });

    it('answers timestamp lookups from the log start on', async () => {
      const log = await threeSegments();
      await log.deleteRecordsBefore(8);

      await expect(log.offsetForTimestamp(0)).resolves.toMatchObject({ offset: 8 });
    });
  });
});
