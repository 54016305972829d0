import type { FileHandle } from 'node:fs/promises';
import { ChunkReader } from './chunk-reader';
import {
  INDEX_ENTRY_SIZE,
  INDEX_INTERVAL_BYTES,
  MAX_RELATIVE_OFFSET,
  OffsetIndex,
} from './offset-index';
import {
  BATCH_HEADER_SIZE,
  BatchField,
  LOG_OVERHEAD,
  MAGIC_V2,
  baseOffsetAt,
  declaredSizeAt,
  hasValidCrc,
  lastOffsetAt,
  maxTimestampAt,
} from './record-batch';

const RECOVERY_CHUNK_BYTES = 256 * 1024;

/** What a segment looks like once its tail has been checked. */
export interface RecoveredSegment {
  index: OffsetIndex;
  /** Bytes of the log up to the end of its last good batch. */
  validSize: number;
  nextOffset: number;
  maxTimestamp: number;
  /** Why the bytes after `validSize` were rejected, when there are any. */
  tailProblem?: string;
  /** True when the index file no longer matches `index` and must be rewritten. */
  indexChanged: boolean;
}

interface ScannedBatch {
  size: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
}

/**
 * Checks the log of one segment from its last trustworthy index entry to the end of the file
 * and rebuilds the index entries for that stretch. An index entry is trusted when the batch it
 * points at passes the checks below and carries the offset it claims; otherwise it is dropped,
 * up to a full rescan. Every
 * batch scanned must have a sane length, magic 2 and offsets moving forward; with `verifyCrc`
 * (the last segment, the only one a crash can tear) its CRC-32C is checked too. The first batch
 * that fails ends the valid log.
 */
export async function recoverSegment(
  file: FileHandle,
  fileSize: number,
  indexBytes: Buffer,
  baseOffset: number,
  verifyCrc: boolean,
): Promise<RecoveredSegment> {
  const reader = new ChunkReader(file, fileSize, RECOVERY_CHUNK_BYTES);
  const cursor: ScanCursor = { reader, fileSize, segmentBase: baseOffset, verifyCrc };
  const index = OffsetIndex.decode(indexBytes, fileSize);
  await dropUntrustedEntries(index, cursor, baseOffset);
  const kept = index.length;
  const start = index.last();

  let position = start?.position ?? 0;
  let nextOffset = start === undefined ? baseOffset : baseOffset + start.relativeOffset;
  let maxTimestamp = start?.maxTimestamp ?? -1;
  let lastIndexed = start?.position ?? -INDEX_INTERVAL_BYTES;
  let tailProblem: string | undefined;
  while (position < fileSize) {
    const scanned = await checkBatch(cursor, position, nextOffset);
    if (typeof scanned === 'string') {
      tailProblem = scanned;
      break;
    }
    maxTimestamp = Math.max(maxTimestamp, scanned.maxTimestamp);
    if (position - lastIndexed >= INDEX_INTERVAL_BYTES) {
      index.append({ relativeOffset: scanned.baseOffset - baseOffset, position, maxTimestamp });
      lastIndexed = position;
    }
    nextOffset = scanned.lastOffset + 1;
    position += scanned.size;
  }
  const indexChanged = kept * INDEX_ENTRY_SIZE !== indexBytes.length || index.length !== kept;
  return { index, validSize: position, nextOffset, maxTimestamp, tailProblem, indexChanged };
}

/** Drops index entries from the end until the last one points at a valid batch with its offset. */
async function dropUntrustedEntries(
  index: OffsetIndex,
  cursor: ScanCursor,
  baseOffset: number,
): Promise<void> {
  while (index.length > 0) {
    const last = index.entry(index.length - 1);
    const expected = baseOffset + last.relativeOffset;
    const batch = await checkBatch(cursor, last.position, expected);
    if (typeof batch !== 'string' && batch.baseOffset === expected) {
      return;
    }
    index.truncate(index.length - 1);
  }
}

interface ScanCursor {
  reader: ChunkReader;
  fileSize: number;
  segmentBase: number;
  verifyCrc: boolean;
}

/** The batch at `position`, or a sentence saying why it is not a valid continuation of the log. */
async function checkBatch(
  cursor: ScanCursor,
  position: number,
  minOffset: number,
): Promise<ScannedBatch | string> {
  const { reader, fileSize, segmentBase, verifyCrc } = cursor;
  const head = await reader.view(position, LOG_OVERHEAD);
  if (head === undefined) {
    return `torn batch header (${fileSize - position} bytes)`;
  }
  const size = declaredSizeAt(head.buf, head.at);
  if (size < BATCH_HEADER_SIZE) {
    return `impossible batch length ${size - LOG_OVERHEAD}`;
  }
  if (position + size > fileSize) {
    return `torn batch (declares ${size} bytes, ${fileSize - position} present)`;
  }
  const { buf, at } = await reader.mustView(position, verifyCrc ? size : BATCH_HEADER_SIZE);
  const magic = buf.readInt8(at + BatchField.magic);
  if (magic !== MAGIC_V2) {
    return `bad magic byte ${magic}`;
  }
  if (verifyCrc && !hasValidCrc(buf, at, size)) {
    return 'CRC-32C mismatch';
  }
  const baseOffset = baseOffsetAt(buf, at);
  const lastOffset = lastOffsetAt(buf, at);
  if (
    baseOffset < minOffset ||
    lastOffset < baseOffset ||
    lastOffset - segmentBase > MAX_RELATIVE_OFFSET
  ) {
    return `offsets ${baseOffset}..${lastOffset} do not follow ${minOffset - 1}`;
  }
  return { size, baseOffset, lastOffset, maxTimestamp: maxTimestampAt(buf, at) };
}
