import fc from 'fast-check';
import { aRecordBatch } from '../testing/record-batch.builder';
import { aTempDir, testLogConfig } from '../testing/storage.fixture';
import { PartitionLog } from './partition-log';
import { parseRecordBatches } from './record-batch';

interface StoredBatch {
  bytes: Buffer;
  baseOffset: number;
  lastOffset: number;
}

type Command =
  | { kind: 'append'; records: number; valueBytes: number; gzip: boolean; batches: number }
  | { kind: 'read'; at: number; maxBytes: number; minOneBatch: boolean };

const appendCommand = fc.record({
  kind: fc.constant('append' as const),
  records: fc.integer({ min: 1, max: 6 }),
  valueBytes: fc.integer({ min: 0, max: 400 }),
  gzip: fc.boolean(),
  batches: fc.integer({ min: 1, max: 3 }),
});
const readCommand = fc.record({
  kind: fc.constant('read' as const),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  maxBytes: fc.integer({ min: 0, max: 3000 }),
  minOneBatch: fc.boolean(),
});

async function buildBlob(command: Extract<Command, { kind: 'append' }>): Promise<Buffer> {
  const batches: Buffer[] = [];
  for (let i = 0; i < command.batches; i++) {
    const builder = aRecordBatch().withGeneratedRecords(command.records, command.valueBytes);
    batches.push(await (command.gzip ? builder.gzipped() : builder).build());
  }
  return Buffer.concat(batches);
}

/** A read must be whole model batches, starting with the one holding `fetchOffset`, within maxBytes. */
function expectValidRead(
  data: Buffer,
  model: StoredBatch[],
  fetchOffset: number,
  maxBytes: number,
  minOne: boolean,
): void {
  const first = model.findIndex((batch) => batch.lastOffset >= fetchOffset);
  if (first < 0) {
    expect(data).toHaveLength(0);
    return;
  }
  const count = parseRecordBatches(data).length;
  expect(
    data.equals(Buffer.concat(model.slice(first, first + count).map((batch) => batch.bytes))),
  ).toBe(true);
  if (count > 1 || !minOne) {
    expect(data.length).toBeLessThanOrEqual(maxBytes);
  }
  if (minOne) {
    expect(count).toBeGreaterThanOrEqual(1);
  }
}

async function readEverything(log: PartitionLog): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let next = log.logStartOffset; next < log.logEndOffset;) {
    const data = await log.read(next, 2000, true);
    const batches = parseRecordBatches(data);
    next = batches[batches.length - 1].baseOffset + batches[batches.length - 1].lastOffsetDelta + 1;
    parts.push(data);
  }
  return Buffer.concat(parts);
}

describe('a partition log under any sequence of appends and reads', () => {
  it('returns exactly the appended batches, in order, before and after a reopen', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(appendCommand, readCommand), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 300, max: 5000 }),
        async (commands: Command[], segmentBytes) => {
          const dir = await aTempDir('kafka-property-');
          const config = testLogConfig({ segmentBytes });
          let log = await PartitionLog.open({ dir: dir.path, config });
          try {
            const model: StoredBatch[] = [];
            for (const command of commands) {
              if (command.kind === 'append') {
                const blob = await buildBlob(command);
                await log.append(blob);
                for (const batch of parseRecordBatches(blob)) {
                  const bytes = blob.subarray(batch.position, batch.position + batch.size);
                  model.push({
                    bytes,
                    baseOffset: batch.baseOffset,
                    lastOffset: batch.baseOffset + batch.lastOffsetDelta,
                  });
                }
              } else {
                const fetchOffset = Math.floor(command.at * log.logEndOffset);
                const data = await log.read(fetchOffset, command.maxBytes, command.minOneBatch);
                expectValidRead(data, model, fetchOffset, command.maxBytes, command.minOneBatch);
              }
            }
            const everything = Buffer.concat(model.map((batch) => batch.bytes));
            expect((await readEverything(log)).equals(everything)).toBe(true);
            await log.close();
            log = await PartitionLog.open({ dir: dir.path, config });
            expect(log.logEndOffset).toBe(
              model.length === 0 ? 0 : model[model.length - 1].lastOffset + 1,
            );
            expect((await readEverything(log)).equals(everything)).toBe(true);
          } finally {
            await log.close();
            await dir.remove();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
