import fc from 'fast-check';
import { decodeRecords, encodeRecord, OFFSET_LOG_HEADER, type OffsetLogRecord } from './offset-log';

const commit: OffsetLogRecord = {
  kind: 'commit',
  groupId: 'projection-service',
  entries: [
    { topic: 'tracker.pledges.v1', partition: 0, offset: 41, metadata: null },
    { topic: 'tracker.pledges.v1', partition: 1, offset: Number.MAX_SAFE_INTEGER, metadata: 'é✓' },
  ],
};
const deletion: OffsetLogRecord = { kind: 'delete-group', groupId: 'old-group' };

function logOf(...records: OffsetLogRecord[]): Buffer {
  return Buffer.concat([OFFSET_LOG_HEADER, ...records.map(encodeRecord)]);
}

describe('offset log format', () => {
  it('decodes exactly the records it encoded', () => {
    const log = logOf(commit, deletion, commit);
    expect(decodeRecords(log, OFFSET_LOG_HEADER.length)).toEqual({
      records: [commit, deletion, commit],
      validBytes: log.length,
    });
  });

  it('round-trips any commit record', () => {
    const entry = fc.record({
      topic: fc.string({ maxLength: 40 }),
      partition: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      offset: fc.maxSafeInteger(),
      metadata: fc.option(fc.string({ unit: 'grapheme', maxLength: 60 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.string(), fc.array(entry, { maxLength: 8 }), (groupId, entries) => {
        const record: OffsetLogRecord = { kind: 'commit', groupId, entries };
        expect(decodeRecords(logOf(record), OFFSET_LOG_HEADER.length).records).toEqual([record]);
      }),
    );
  });

  it('stops before a record torn anywhere by a crash', () => {
    const whole = logOf(commit, deletion);
    const lastStart = logOf(commit).length;
    for (let cut = lastStart; cut < whole.length; cut += 1) {
      expect(decodeRecords(whole.subarray(0, cut), OFFSET_LOG_HEADER.length)).toEqual({
        records: [commit],
        validBytes: lastStart,
      });
    }
  });

  it('stops at a record whose checksum does not match, ignoring everything after it', () => {
    const log = logOf(deletion, commit, deletion);
    const corrupt = Buffer.from(log);
    const secondRecordBody = logOf(deletion).length + 8;
    corrupt[secondRecordBody + 3] ^= 0xff;
    expect(decodeRecords(corrupt, OFFSET_LOG_HEADER.length)).toEqual({
      records: [deletion],
      validBytes: logOf(deletion).length,
    });
  });
});
