import { readInt64, writeInt64 } from '../protocol/int64';

/**
 * Sparse offset index of one segment, kept whole in memory and mirrored in the segment's
 * `.index` file.
 *
 * File format: a flat array of 16-byte big-endian entries, no header, no padding.
 *
 * | bytes | field          | meaning                                                          |
 * |-------|----------------|------------------------------------------------------------------|
 * | 0..3  | relativeOffset | u32: baseOffset of the indexed batch − baseOffset of the segment |
 * | 4..7  | position       | u32: byte position of that batch in the segment's `.log` file     |
 * | 8..15 | maxTimestamp   | i64: largest batch maxTimestamp in the segment up to and          |
 * |       |                | including the indexed batch (-1 when none had a timestamp)       |
 *
 * Rules: the first batch of a segment is always indexed; after that a batch is indexed when it
 * starts at least {@link INDEX_INTERVAL_BYTES} after the previously indexed batch. Entries are
 * strictly increasing in relativeOffset and position and non-decreasing in maxTimestamp, so a
 * lookup is a binary search followed by a forward scan of roughly 4 KiB of the log. The
 * running maxTimestamp doubles as a time index: the first batch whose maxTimestamp reaches a
 * target lies between the last entry below it and the first entry at or above it.
 *
 * The file is written after the log data it points to and is never trusted blindly: on open, a
 * damaged suffix (not monotonic, pointing past the log, or at a batch with another offset) is
 * dropped and rebuilt by scanning the log from the last good entry.
 */
export const INDEX_INTERVAL_BYTES = 4096;
export const INDEX_ENTRY_SIZE = 16;
/** relativeOffset is a u32: a segment holds at most this many offsets past its base. */
export const MAX_RELATIVE_OFFSET = 0xffff_ffff;

export interface IndexEntry {
  relativeOffset: number;
  position: number;
  maxTimestamp: number;
}

export class OffsetIndex {
  private readonly relativeOffsets: number[] = [];
  private readonly positions: number[] = [];
  private readonly maxTimestamps: number[] = [];

  /**
   * Decodes the longest valid prefix of an index file for a log of `logSize` bytes: entries
   * must be strictly increasing and point inside the log.
   */
  static decode(buf: Buffer, logSize: number): OffsetIndex {
    const index = new OffsetIndex();
    const count = Math.floor(buf.length / INDEX_ENTRY_SIZE);
    for (let i = 0; i < count; i++) {
      const at = i * INDEX_ENTRY_SIZE;
      const entry: IndexEntry = {
        relativeOffset: buf.readUInt32BE(at),
        position: buf.readUInt32BE(at + 4),
        maxTimestamp: readInt64(buf, at + 8),
      };
      if (!index.canAppend(entry) || entry.position >= logSize) {
        break;
      }
      index.append(entry);
    }
    return index;
  }

  static encode(entries: readonly IndexEntry[]): Buffer {
    const buf = Buffer.allocUnsafe(entries.length * INDEX_ENTRY_SIZE);
    entries.forEach((entry, i) => {
      const at = i * INDEX_ENTRY_SIZE;
      buf.writeUInt32BE(entry.relativeOffset, at);
      buf.writeUInt32BE(entry.position, at + 4);
      writeInt64(buf, at + 8, entry.maxTimestamp);
    });
    return buf;
  }

  get length(): number {
    return this.positions.length;
  }

  entry(i: number): IndexEntry {
    return {
      relativeOffset: this.relativeOffsets[i],
      position: this.positions[i],
      maxTimestamp: this.maxTimestamps[i],
    };
  }

  last(): IndexEntry | undefined {
    return this.length === 0 ? undefined : this.entry(this.length - 1);
  }

  /** Whether `entry` may follow the current last entry (keeps the ordering invariants). */
  canAppend(entry: IndexEntry): boolean {
    const last = this.last();
    return (
      last === undefined ||
      (entry.relativeOffset > last.relativeOffset &&
        entry.position > last.position &&
        entry.maxTimestamp >= last.maxTimestamp)
    );
  }

  append(entry: IndexEntry): void {
    this.relativeOffsets.push(entry.relativeOffset);
    this.positions.push(entry.position);
    this.maxTimestamps.push(entry.maxTimestamp);
  }

  /** Drops every entry from index `count` on. */
  truncate(count: number): void {
    this.relativeOffsets.length = count;
    this.positions.length = count;
    this.maxTimestamps.length = count;
  }

  /** Position of the last indexed batch whose base offset is <= `relativeOffset`; 0 if none. */
  floorPosition(relativeOffset: number): number {
    const i = lastIndexWhere(this.relativeOffsets, (value) => value <= relativeOffset);
    return i < 0 ? 0 : this.positions[i];
  }

  /**
   * Byte range of the log holding the first batch whose maxTimestamp is >= `timestamp`, as
   * `[from, to]` (to inclusive, `undefined` = up to the end of the log).
   */
  timestampRange(timestamp: number): { from: number; to: number | undefined } {
    const i = lastIndexWhere(this.maxTimestamps, (value) => value < timestamp) + 1;
    const from = i === 0 ? 0 : this.positions[i - 1];
    return { from, to: i < this.length ? this.positions[i] : undefined };
  }
}

/** Binary search over a sorted array: index of the last element satisfying `below`, or -1. */
function lastIndexWhere(values: readonly number[], below: (value: number) => boolean): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (below(values[mid])) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo - 1;
}
