import { crc32c } from '@node-rs/crc32';
import type { OffsetCommitEntry } from './committed-offset-store';

/**
 * The on-disk format of the committed-offset log, `<dataDir>/groups/offsets.log`.
 *
 * ```
 * File    := Header Record*
 * Header  := magic "TKOF" (4 bytes) | version u16 = 1 | reserved u16 = 0         (8 bytes)
 * Record  := length u32 | crc u32 | body          length = bytes in body, crc = CRC-32C(body)
 * Body    := 0x01 groupId:Str count:u32 count × Entry                             (commit)
 *          | 0x02 groupId:Str                                                      (delete group)
 * Entry   := topic:Str partition:i32 offset:i64 metadata:NStr
 * Str     := length u32 | UTF-8 bytes
 * NStr    := length i32 (-1 = null) | UTF-8 bytes
 * ```
 *
 * All integers are big-endian. Replaying the records in order rebuilds the state: a commit
 * overwrites the offsets it names, a delete drops every offset of the group. A record is only
 * trusted once its length and CRC check out; the first one that does not marks the end of the
 * valid log (a write torn by a crash), and everything from there on is discarded.
 */
export const OFFSET_LOG_HEADER = Buffer.from([0x54, 0x4b, 0x4f, 0x46, 0x00, 0x01, 0x00, 0x00]);

const RECORD_PREFIX_BYTES = 8;
const COMMIT = 0x01;
const DELETE_GROUP = 0x02;

export type OffsetLogRecord =
  | { kind: 'commit'; groupId: string; entries: readonly OffsetCommitEntry[] }
  | { kind: 'delete-group'; groupId: string };

export interface DecodedOffsetLog {
  records: OffsetLogRecord[];
  /** Bytes from the start of the buffer up to the end of the last valid record. */
  validBytes: number;
}

/** Frames one record: length, CRC-32C and body. */
export function encodeRecord(record: OffsetLogRecord): Buffer {
  const body = new BodyWriter();
  if (record.kind === 'commit') {
    body.u8(COMMIT).str(record.groupId).u32(record.entries.length);
    for (const entry of record.entries) {
      body.str(entry.topic).i32(entry.partition).i64(entry.offset).nullableStr(entry.metadata);
    }
  } else {
    body.u8(DELETE_GROUP).str(record.groupId);
  }
  const bytes = body.toBuffer();
  const prefix = Buffer.alloc(RECORD_PREFIX_BYTES);
  prefix.writeUInt32BE(bytes.length, 0);
  prefix.writeUInt32BE(crc32c(bytes), 4);
  return Buffer.concat([prefix, bytes]);
}

/**
 * Decodes the records that follow the header, stopping at the first incomplete or corrupt one.
 * `start` is where the first record begins (normally right after the header).
 */
export function decodeRecords(buf: Buffer, start: number): DecodedOffsetLog {
  const records: OffsetLogRecord[] = [];
  let pos = start;
  while (buf.length - pos >= RECORD_PREFIX_BYTES) {
    const length = buf.readUInt32BE(pos);
    const end = pos + RECORD_PREFIX_BYTES + length;
    if (end > buf.length) break;
    const body = buf.subarray(pos + RECORD_PREFIX_BYTES, end);
    if (crc32c(body) !== buf.readUInt32BE(pos + 4)) break;
    const record = decodeBody(body);
    if (record === undefined) break;
    records.push(record);
    pos = end;
  }
  return { records, validBytes: pos };
}

function decodeBody(body: Buffer): OffsetLogRecord | undefined {
  const reader = new BodyReader(body);
  try {
    const type = reader.u8();
    const groupId = reader.str();
    let record: OffsetLogRecord | undefined;
    if (type === DELETE_GROUP) {
      record = { kind: 'delete-group', groupId };
    } else if (type === COMMIT) {
      const entries: OffsetCommitEntry[] = [];
      for (let count = reader.u32(); count > 0; count -= 1) {
        const topic = reader.str();
        entries.push({
          topic,
          partition: reader.i32(),
          offset: reader.i64(),
          metadata: reader.nullableStr(),
        });
      }
      record = { kind: 'commit', groupId, entries };
    }
    return reader.atEnd ? record : undefined;
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

class BodyWriter {
  private readonly chunks: Buffer[] = [];

  u8(value: number): this {
    return this.push(Buffer.of(value));
  }

  u32(value: number): this {
    const buf = Buffer.alloc(4);
    buf.writeUInt32BE(value);
    return this.push(buf);
  }

  i32(value: number): this {
    const buf = Buffer.alloc(4);
    buf.writeInt32BE(value);
    return this.push(buf);
  }

  i64(value: number): this {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64BE(BigInt(value));
    return this.push(buf);
  }

  str(value: string): this {
    const bytes = Buffer.from(value, 'utf8');
    return this.u32(bytes.length).push(bytes);
  }

  nullableStr(value: string | null): this {
    if (value === null) return this.i32(-1);
    const bytes = Buffer.from(value, 'utf8');
    return this.i32(bytes.length).push(bytes);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }

  private push(chunk: Buffer): this {
    this.chunks.push(chunk);
    return this;
  }
}

/** Reads a CRC-checked body; Buffer's own bounds checks throw RangeError on a short body. */
class BodyReader {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  get atEnd(): boolean {
    return this.pos === this.buf.length;
  }

  u8(): number {
    return this.advance(1, this.buf.readUInt8(this.pos));
  }

  u32(): number {
    return this.advance(4, this.buf.readUInt32BE(this.pos));
  }

  i32(): number {
    return this.advance(4, this.buf.readInt32BE(this.pos));
  }

  i64(): number {
    return this.advance(8, Number(this.buf.readBigInt64BE(this.pos)));
  }

  str(): string {
    return this.text(this.u32());
  }

  nullableStr(): string | null {
    const length = this.i32();
    return length < 0 ? null : this.text(length);
  }

  private text(length: number): string {
    if (this.pos + length > this.buf.length) throw new RangeError('string runs past the record');
    const value = this.buf.toString('utf8', this.pos, this.pos + length);
    return this.advance(length, value);
  }

  private advance<T>(bytes: number, value: T): T {
    this.pos += bytes;
    return value;
  }
}
