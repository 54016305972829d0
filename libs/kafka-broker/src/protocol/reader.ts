import { BrokerError } from '../errors';
import { readInt64 } from './int64';

/**
 * Thrown when a request body is truncated or structurally invalid. The server answers it by
 * closing the offending connection, as Apache Kafka does; it never reaches a response.
 */
export class ProtocolDecodeError extends BrokerError {
  readonly retriable = false;

  constructor(message: string) {
    super(message);
  }
}

function zigZagDecode(raw: number): number {
  return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
}

/**
 * Cursor over one Kafka request body. Every read checks the remaining length, so a truncated
 * frame surfaces as {@link ProtocolDecodeError} instead of a RangeError from deep inside Buffer.
 *
 * Strings and counts are read leniently, as clients expect of Kafka: a -1 length on a
 * non-nullable string reads as '' and a -1 count on a non-nullable array as [].
 */
export class Reader {
  private pos: number;

  constructor(
    private readonly buf: Buffer,
    offset = 0,
  ) {
    this.pos = offset;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  int8(): number {
    this.need(1);
    const value = this.buf.readInt8(this.pos);
    this.pos += 1;
    return value;
  }

  boolean(): boolean {
    return this.int8() !== 0;
  }

  int16(): number {
    this.need(2);
    const value = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return value;
  }

  int32(): number {
    this.need(4);
    const value = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return value;
  }

  /** Offsets and timestamps fit in 53 bits; see {@link readInt64}. */
  int64(): number {
    this.need(8);
    const value = readInt64(this.buf, this.pos);
    this.pos += 8;
    return value;
  }

  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      this.need(1);
      const byte = this.buf[this.pos++];
      if (shift === 28 && byte > 0x0f) throw new ProtocolDecodeError('unsigned varint overflow');
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
  }

  varint(): number {
    return zigZagDecode(this.uvarint());
  }

  /** Zig-zag varlong (record timestamps and offsets); exact within ±2^53. */
  varlong(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      this.need(1);
      const byte = this.buf[this.pos++];
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return zigZagDecode(result);
      scale *= 128;
    }
    throw new ProtocolDecodeError('varlong longer than 10 bytes');
  }

  string(): string {
    return this.nullableString() ?? '';
  }

  nullableString(): string | null {
    return this.text(this.int16());
  }

  compactString(): string {
    return this.compactNullableString() ?? '';
  }

  compactNullableString(): string | null {
    return this.text(this.uvarint() - 1);
  }

  bytes(): Buffer {
    return this.nullableBytes() ?? Buffer.alloc(0);
  }

  /** Returns a view on the request buffer (no copy): record batches stay zero-copy. */
  nullableBytes(): Buffer | null {
    return this.slice(this.int32());
  }

  compactNullableBytes(): Buffer | null {
    return this.slice(this.uvarint() - 1);
  }

  array<T>(readItem: (reader: Reader) => T): T[] {
    return this.nullableArray(readItem) ?? [];
  }

  nullableArray<T>(readItem: (reader: Reader) => T): T[] | null {
    return this.items(this.int32(), readItem);
  }

  compactArray<T>(readItem: (reader: Reader) => T): T[] {
    return this.items(this.uvarint() - 1, readItem) ?? [];
  }

  int32Array(): number[] {
    return this.array((r) => r.int32());
  }

  stringArray(): string[] {
    return this.array((r) => r.string());
  }

  /** Skips `size` bytes. */
  skip(size: number): void {
    if (size < 0) throw new ProtocolDecodeError(`cannot skip a negative length (${size})`);
    this.need(size);
    this.pos += size;
  }

  /** Skips a tagged-field section: the broker understands none of the optional tags. */
  taggedFields(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint();
      this.skip(this.uvarint());
    }
  }

  private text(length: number): string | null {
    if (length < 0) return null;
    this.need(length);
    const value = this.buf.toString('utf8', this.pos, this.pos + length);
    this.pos += length;
    return value;
  }

  private slice(length: number): Buffer | null {
    if (length < 0) return null;
    this.need(length);
    const value = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return value;
  }

  private items<T>(count: number, readItem: (reader: Reader) => T): T[] | null {
    if (count < 0) return null;
    // Every item takes at least one byte: a huge count in a short body is malformed, and
    // checking it first keeps a hostile count from allocating a huge array.
    if (count > this.remaining) {
      throw new ProtocolDecodeError(
        `array count ${count} exceeds the ${this.remaining} bytes left`,
      );
    }
    const result = new Array<T>(count);
    for (let i = 0; i < count; i++) result[i] = readItem(this);
    return result;
  }

  private need(size: number): void {
    if (this.pos + size > this.buf.length) {
      throw new ProtocolDecodeError(
        `truncated body: need ${size} bytes at offset ${this.pos}, have ${this.remaining}`,
      );
    }
  }
}
