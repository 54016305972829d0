import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';
import { aRecordBatch, decodeRecords, resealRecordBatch } from '../testing/record-batch.builder';
import {
  BatchField,
  CompressionCodec,
  TimestampType,
  assignOffsets,
  parseRecordBatches,
  validateProducedBatches,
} from './record-batch';

const T0 = 1_700_000_000_000;

function expectKafkaError(run: () => unknown, code: ErrorCode): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(KafkaProtocolError);
  expect((thrown as KafkaProtocolError).code).toBe(code);
}

/** Rewrites an i32 inside the CRC'd range and fixes the CRC, to forge a "valid" odd batch. */
function withInt32(batch: Buffer, at: number, value: number): Buffer {
  const copy = Buffer.from(batch);
  copy.writeInt32BE(value, at);
  resealRecordBatch(copy);
  return copy;
}

describe('parseRecordBatches', () => {
  it('reads the header fields of a kafkajs-encoded batch', async () => {
    const blob = await aRecordBatch()
      .withRecords([
        { key: 'a', value: 'one', timestamp: T0 + 5 },
        { key: 'b', value: 'two', timestamp: T0 },
        { key: 'c', value: 'three', timestamp: T0 + 9 },
      ])
      .build();

    const [batch] = parseRecordBatches(blob);

    expect(batch).toMatchObject({
      position: 0,
      size: blob.length,
      baseOffset: 0,
      lastOffsetDelta: 2,
      recordCount: 3,
      compression: CompressionCodec.None,
      timestampType: TimestampType.CreateTime,
      isTransactional: false,
      isControl: false,
      baseTimestamp: T0,
      maxTimestamp: T0 + 9,
      producerId: -1,
      producerEpoch: 0,
      baseSequence: 0,
    });
  });

  it('walks several batches sent back to back and reports where each one lies', async () => {
    const first = await aRecordBatch().withGeneratedRecords(2).build();
    const second = await aRecordBatch().withGeneratedRecords(5).build();

    const batches = parseRecordBatches(Buffer.concat([first, second]));

    expect(batches.map((b) => [b.position, b.size, b.recordCount])).toEqual([
      [0, first.length, 2],
      [first.length, second.length, 5],
    ]);
  });

  it('accepts a gzip batch without decompressing it', async () => {
    const blob = await aRecordBatch().withGeneratedRecords(50, 200).gzipped().build();

    const [batch] = parseRecordBatches(blob);

    expect(batch.compression).toBe(CompressionCodec.Gzip);
    expect(batch.recordCount).toBe(50);
    expect(blob.length).toBeLessThan(50 * 200);
  });

  it('reports a batch cut short as CORRUPT_MESSAGE', async () => {
    const blob = await aRecordBatch().build();

    expectKafkaError(
      () => parseRecordBatches(blob.subarray(0, blob.length - 1)),
      ErrorCode.CORRUPT_MESSAGE,
    );
    expectKafkaError(() => parseRecordBatches(blob.subarray(0, 10)), ErrorCode.CORRUPT_MESSAGE);
  });

  it('reports a length too small to hold a v2 header as CORRUPT_MESSAGE', async () => {
    const blob = Buffer.from(await aRecordBatch().build());
    blob.writeInt32BE(20, BatchField.batchLength);

    expectKafkaError(() => parseRecordBatches(blob), ErrorCode.CORRUPT_MESSAGE);
  });

  it('refuses a magic other than 2 with INVALID_RECORD', async () => {
    const blob = Buffer.from(await aRecordBatch().build());
    blob.writeInt8(1, 16);

    expectKafkaError(() => parseRecordBatches(blob), ErrorCode.INVALID_RECORD);
  });

  it('detects a flipped payload byte through the CRC-32C as CORRUPT_MESSAGE', async () => {
    const blob = Buffer.from(
      await aRecordBatch()
        .withRecords([{ value: 'payload' }])
        .build(),
    );
    blob[blob.length - 3] ^= 0xff;

    expectKafkaError(() => parseRecordBatches(blob), ErrorCode.CORRUPT_MESSAGE);
  });
});

describe('validateProducedBatches', () => {
  it('accepts an idempotent producer batch', async () => {
    const blob = await aRecordBatch().withProducer(42, 3, 17).build();

    const [batch] = validateProducedBatches(blob);

    expect(batch).toMatchObject({ producerId: 42, producerEpoch: 3, baseSequence: 17 });
  });

  it('refuses an empty records blob with INVALID_RECORD', () => {
    expectKafkaError(() => validateProducedBatches(Buffer.alloc(0)), ErrorCode.INVALID_RECORD);
  });

  it('refuses transactional batches with INVALID_TXN_STATE: the broker has no transactions', async () => {
    const blob = await aRecordBatch().withProducer(7, 0, 0).transactional().build();

    expectKafkaError(() => validateProducedBatches(blob), ErrorCode.INVALID_TXN_STATE);
  });

  it('refuses control batches from clients with INVALID_RECORD', async () => {
    const blob = await aRecordBatch().control().build();

    expectKafkaError(() => validateProducedBatches(blob), ErrorCode.INVALID_RECORD);
  });

  it('refuses a record count that disagrees with the offset range with INVALID_RECORD', async () => {
    const blob = withInt32(
      await aRecordBatch().withGeneratedRecords(3).build(),
      BatchField.recordCount,
      4,
    );

    expect(() => parseRecordBatches(blob)).not.toThrow();
    expectKafkaError(() => validateProducedBatches(blob), ErrorCode.INVALID_RECORD);
  });

  it('refuses a batch whose records cannot be walked, even with a valid CRC', async () => {
    const blob = Buffer.from(await aRecordBatch().withGeneratedRecords(3).build());
    blob.writeUInt8(0x01, BatchField.records); // first record's length varint: zig-zag -1
    resealRecordBatch(blob);

    expect(() => parseRecordBatches(blob)).not.toThrow();
    expectKafkaError(() => validateProducedBatches(blob), ErrorCode.INVALID_RECORD);
  });

  it('refuses a batch holding more records than it counts', async () => {
    const three = await aRecordBatch().withGeneratedRecords(3).build();
    const blob = withInt32(
      withInt32(three, BatchField.recordCount, 2),
      BatchField.lastOffsetDelta,
      1,
    );

    expectKafkaError(() => validateProducedBatches(blob), ErrorCode.INVALID_RECORD);
  });

  it('refuses an idempotent batch with a negative sequence with INVALID_RECORD', async () => {
    const blob = withInt32(
      await aRecordBatch().withProducer(9, 0, 0).build(),
      BatchField.baseSequence,
      -1,
    );

    expectKafkaError(() => validateProducedBatches(blob), ErrorCode.INVALID_RECORD);
  });
});

describe('assignOffsets', () => {
  it('gives consecutive base offsets without breaking the CRC, as clients decode them', async () => {
    const blob = Buffer.concat([
      await aRecordBatch().withGeneratedRecords(3).build(),
      await aRecordBatch().withGeneratedRecords(2).gzipped().build(),
    ]);
    blob.writeInt32BE(99, BatchField.partitionLeaderEpoch);
    const batches = validateProducedBatches(blob);

    const next = assignOffsets(blob, batches, 1000);

    expect(next).toBe(1005);
    expect(parseRecordBatches(blob).map((b) => [b.baseOffset, b.partitionLeaderEpoch])).toEqual([
      [1000, 0],
      [1003, 0],
    ]);
    expect((await decodeRecords(blob)).map((r) => r.offset)).toEqual([
      1000, 1001, 1002, 1003, 1004,
    ]);
  });

  it('writes offsets beyond 32 bits exactly', async () => {
    const blob = await aRecordBatch().build();
    const batches = validateProducedBatches(blob);

    assignOffsets(blob, batches, 2 ** 40 + 7);

    expect(parseRecordBatches(blob)[0].baseOffset).toBe(2 ** 40 + 7);
  });
});
