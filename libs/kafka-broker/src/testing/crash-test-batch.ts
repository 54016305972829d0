import { aRecordBatch } from './record-batch.builder';

/** The i-th batch of the crash test: the same bytes every time it is built, in any process. */
export function crashTestBatch(i: number): Promise<Buffer> {
  return aRecordBatch()
    .withRecords([
      { key: `key-${i}`, value: `record-${i}-`.padEnd(200, 'x'), timestamp: 1_700_000_000_000 + i },
      { key: `key-${i}`, value: `second-${i}`, timestamp: 1_700_000_000_000 + i },
    ])
    .build();
}
