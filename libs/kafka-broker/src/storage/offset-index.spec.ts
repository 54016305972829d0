import { INDEX_ENTRY_SIZE, OffsetIndex, type IndexEntry } from './offset-index';

const entries: IndexEntry[] = [
  { relativeOffset: 0, position: 0, maxTimestamp: 100 },
  { relativeOffset: 40, position: 4200, maxTimestamp: 100 },
  { relativeOffset: 90, position: 8500, maxTimestamp: 250 },
  { relativeOffset: 130, position: 12800, maxTimestamp: 400 },
];

function indexOf(list: IndexEntry[]): OffsetIndex {
  return OffsetIndex.decode(OffsetIndex.encode(list), 1_000_000);
}

describe(OffsetIndex.name, () => {
  it('round-trips its entries through the 16-byte file format, timestamps included', () => {
    const withNegative = [
      { relativeOffset: 0, position: 0, maxTimestamp: -1 },
      ...entries.slice(1),
    ];
    const file = OffsetIndex.encode(withNegative);

    const index = OffsetIndex.decode(file, 1_000_000);

    expect(file.length).toBe(withNegative.length * INDEX_ENTRY_SIZE);
    expect(Array.from({ length: index.length }, (_, i) => index.entry(i))).toEqual(withNegative);
  });

  it('keeps only the valid prefix of a damaged file', () => {
    const zeroedTail = Buffer.concat([
      OffsetIndex.encode(entries.slice(0, 2)),
      Buffer.alloc(INDEX_ENTRY_SIZE * 2),
    ]);
    const partialEntry = OffsetIndex.encode(entries).subarray(0, INDEX_ENTRY_SIZE * 3 - 5);

    expect(OffsetIndex.decode(zeroedTail, 1_000_000).length).toBe(2);
    expect(OffsetIndex.decode(partialEntry, 1_000_000).length).toBe(2);
    expect(OffsetIndex.decode(OffsetIndex.encode(entries), 9000).length).toBe(3);
  });

  it('finds the last indexed batch at or before an offset', () => {
    const index = indexOf(entries);

    expect(index.floorPosition(0)).toBe(0);
    expect(index.floorPosition(39)).toBe(0);
    expect(index.floorPosition(40)).toBe(4200);
    expect(index.floorPosition(129)).toBe(8500);
    expect(index.floorPosition(10_000)).toBe(12800);
    expect(new OffsetIndex().floorPosition(5)).toBe(0);
  });

  it('narrows a timestamp search to the stretch between two entries', () => {
    const index = indexOf(entries);

    expect(index.timestampRange(50)).toEqual({ from: 0, to: 0 });
    expect(index.timestampRange(101)).toEqual({ from: 4200, to: 8500 });
    expect(index.timestampRange(400)).toEqual({ from: 8500, to: 12800 });
    expect(index.timestampRange(401)).toEqual({ from: 12800, to: undefined });
  });
});
