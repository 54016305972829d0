import { expiredSegmentCount, segmentIndexFor, type SegmentSummary } from './segment-list';

const segments: SegmentSummary[] = [
  { baseOffset: 0, size: 1000, maxTimestamp: 100 },
  { baseOffset: 40, size: 1000, maxTimestamp: 300 },
  { baseOffset: 90, size: 1000, maxTimestamp: 200 },
  { baseOffset: 130, size: 500, maxTimestamp: 900 },
];

describe(expiredSegmentCount.name, () => {
  it('deletes oldest segments until the partition fits retentionBytes', () => {
    expect(expiredSegmentCount(segments, { retentionBytes: 2500, retentionMs: -1 }, 0)).toBe(1);
    expect(expiredSegmentCount(segments, { retentionBytes: 1500, retentionMs: -1 }, 0)).toBe(2);
    expect(expiredSegmentCount(segments, { retentionBytes: 3500, retentionMs: -1 }, 0)).toBe(0);
  });

  it('deletes the expired prefix only: a newer segment shields older-looking ones after it', () => {
    expect(expiredSegmentCount(segments, { retentionBytes: -1, retentionMs: 100 }, 350)).toBe(1);
    expect(expiredSegmentCount(segments, { retentionBytes: -1, retentionMs: 100 }, 450)).toBe(3);
  });

  it('never deletes the active segment, however old or large', () => {
    expect(expiredSegmentCount(segments, { retentionBytes: 0, retentionMs: 0 }, 10_000)).toBe(3);
    expect(
      expiredSegmentCount(segments.slice(3), { retentionBytes: 0, retentionMs: 0 }, 10_000),
    ).toBe(0);
  });

  it('keeps everything when both limits are -1', () => {
    expect(
      expiredSegmentCount(
        segments,
        { retentionBytes: -1, retentionMs: -1 },
        Number.MAX_SAFE_INTEGER,
      ),
    ).toBe(0);
  });
});

describe(segmentIndexFor.name, () => {
  it('picks the segment whose range holds the offset', () => {
    expect(
      [0, 39, 40, 129, 130, 10_000].map((offset) => segmentIndexFor(segments, offset)),
    ).toEqual([0, 0, 1, 2, 3, 3]);
  });
});
