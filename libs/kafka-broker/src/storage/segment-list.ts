import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { syncDirectory } from './file-io';
import type { LogConfig } from './log-config';
import { Segment } from './segment';

const SEGMENT_LOG_FILE = /^(\d{20})\.log$/;
const SEGMENT_INDEX_FILE = /^(\d{20})\.index$/;

/** What retention and lookups need to know about a segment. */
export interface SegmentSummary {
  baseOffset: number;
  size: number;
  maxTimestamp: number;
}

/** Base offsets of the segments in `dir`, ascending; index files without a log are removed. */
export async function listSegmentBaseOffsets(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  const logs = new Set(names.filter((name) => SEGMENT_LOG_FILE.test(name)));
  const strayIndexes = names.filter(
    (name) => SEGMENT_INDEX_FILE.test(name) && !logs.has(name.replace(/\.index$/, '.log')),
  );
  await Promise.all(strayIndexes.map((name) => rm(join(dir, name), { force: true })));
  return [...logs].map((name) => Number(name.slice(0, 20))).sort((a, b) => a - b);
}

/**
 * Opens every segment of a partition directory, oldest first, recovering each (the last one,
 * the only one a crash can tear, with its CRCs checked); an empty directory gets a first
 * segment at offset 0.
 */
export async function openSegments(dir: string, logger: Logger): Promise<Segment[]> {
  const baseOffsets = await listSegmentBaseOffsets(dir);
  const segments: Segment[] = [];
  try {
    for (const [i, baseOffset] of baseOffsets.entries()) {
      segments.push(await Segment.recover(dir, baseOffset, i === baseOffsets.length - 1, logger));
    }
    if (segments.length === 0) {
      segments.push(await Segment.create(dir, 0));
      await syncDirectory(dir);
    }
  } catch (error) {
    await Promise.all(segments.map((segment) => segment.close()));
    throw error;
  }
  return segments;
}

/** Index of the last segment whose base offset is <= `offset` (segments sorted by base). */
export function segmentIndexFor(segments: readonly SegmentSummary[], offset: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (segments[mid].baseOffset <= offset) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

/**
 * How many of the oldest segments retention deletes: it takes them oldest first, never the
 * last (active) one, while the partition is larger than `retentionBytes` or while the oldest
 * segment's newest timestamp is before `now - retentionMs`. A segment with no timestamp at all
 * (-1) counts as expired. -1 disables either limit.
 */
export function expiredSegmentCount(
  segments: readonly SegmentSummary[],
  { retentionBytes, retentionMs }: Pick<LogConfig, 'retentionBytes' | 'retentionMs'>,
  now: number,
): number {
  let total = segments.reduce((sum, segment) => sum + segment.size, 0);
  let count = 0;
  while (count < segments.length - 1) {
    const oldest = segments[count];
    const tooBig = retentionBytes >= 0 && total > retentionBytes;
    const tooOld = retentionMs >= 0 && oldest.maxTimestamp < now - retentionMs;
    if (!tooBig && !tooOld) {
      break;
    }
    total -= oldest.size;
    count++;
  }
  return count;
}

/**
 * How many of the oldest segments hold only offsets below `offset`: those whose successor
 * starts at or below it. The last segment is never counted, as Kafka keeps the active one.
 */
export function segmentsBelow(segments: readonly SegmentSummary[], offset: number): number {
  let count = 0;
  while (count < segments.length - 1 && segments[count + 1].baseOffset <= offset) count++;
  return count;
}
