import { writeInt64 } from './int64';

const INITIAL_CAPACITY = 256;
/** Byte blobs at least this large are kept by reference instead of being copied. */
const ZERO_COPY_THRESHOLD = 1024;

/**
 * Builds one response body as a list of buffers. Small fields go into a growing scratch buffer;
 * large blobs (record batches read from disk) are appended by reference, so a Fetch response
 * never copies the data it serves. The result is written with `socket.cork()` + several writes.
 */
export class Writer {
  private readonly chunks: Buffer[] = [];
  private scratch = Buffer.allocUnsafe(INITIAL_CAPACITY);
  private pos = 0;
  private flushed = 0;

  /** Total number of bytes written so far. */
  get size(): number {
    return this.flushed + this.pos;
  }

  int8(value: number): this {
    this.ensure(1);
    this.scratch.writeInt8(value, this.pos);
    this.pos += 1;
    return this;
  }

  boolean(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  int16(value: number): this {
    this.ensure(2);
    this.scratch.writeInt16BE(value, this.pos);
    this.pos += 2;
    return this;
  }

  int32(value: number): this {
    this.ensure(4);
    this.scratch.writeInt32BE(value, this.pos);
    this.pos += 4;
    return this;
  }

  int64(value: number): this {
    this.ensure(8);
    writeInt64(this.scratch, this.pos, value);
    this.pos += 8;
    return this;
  }

  uvarint(value: number): this {
    this.ensure(5);
    let rest = value;
    while (rest >= 0x80) {
      this.scratch[this.pos++] = (rest & 0x7f) | 0x80;
      rest = Math.floor(rest / 128);
    }
    this.scratch[this.pos++] = rest;
    return this;
  }

  string(value: string): this {
    return this.nullableString(value);
  }

  nullableString(value: string | null): this {
    if (value === null) return this.int16(-1);
    const length = Buffer.byteLength(value);
    this.int16(length);
    return this.text(value, length);
  }

  compactString(value: string): this {
    return this.compactNullableString(value);
  }

  compactNullableString(value: string | null): this {
    if (value === null) return this.uvarint(0);
    const length = Buffer.byteLength(value);
    this.uvarint(length + 1);
    return this.text(value, length);
  }

  bytes(value: Buffer): this {
    return this.nullableBytes(value);
  }

  nullableBytes(value: Buffer | null): this {
    if (value === null) return this.int32(-1);
    this.int32(value.length);
    return this.raw(value);
  }

  array<T>(items: readonly T[], writeItem: (writer: this, item: T) => void): this {
    this.int32(items.length);
    for (const item of items) writeItem(this, item);
    return this;
  }

  nullableArray<T>(items: readonly T[] | null, writeItem: (writer: this, item: T) => void): this {
    if (items === null) return this.int32(-1);
    return this.array(items, writeItem);
  }

  compactArray<T>(items: readonly T[], writeItem: (writer: this, item: T) => void): this {
    this.uvarint(items.length + 1);
    for (const item of items) writeItem(this, item);
    return this;
  }

  int32Array(items: readonly number[]): this {
    return this.array(items, (w, item) => w.int32(item));
  }

  /** An empty tagged-field section: the broker never sends optional tags. */
  emptyTaggedFields(): this {
    return this.uvarint(0);
  }

  /** Appends bytes verbatim; large ones by reference (the caller must not mutate them). */
  raw(value: Buffer): this {
    if (value.length >= ZERO_COPY_THRESHOLD) {
      this.flush();
      this.chunks.push(value);
      this.flushed += value.length;
      return this;
    }
    this.ensure(value.length);
    value.copy(this.scratch, this.pos);
    this.pos += value.length;
    return this;
  }

  /** The written bytes as a list of buffers, in order. */
  toBuffers(): Buffer[] {
    this.flush();
    return this.chunks;
  }

  toBuffer(): Buffer {
    const buffers = this.toBuffers();
    return buffers.length === 1 ? buffers[0] : Buffer.concat(buffers, this.flushed);
  }

  private text(value: string, length: number): this {
    this.ensure(length);
    this.scratch.write(value, this.pos, length, 'utf8');
    this.pos += length;
    return this;
  }

  private flush(): void {
    if (this.pos === 0) return;
    this.chunks.push(this.scratch.subarray(0, this.pos));
    this.flushed += this.pos;
    this.scratch = this.scratch.subarray(this.pos);
    this.pos = 0;
  }

  private ensure(size: number): void {
    if (this.pos + size <= this.scratch.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.scratch.length * 2, this.pos + size, 256));
    this.scratch.copy(grown, 0, 0, this.pos);
    this.scratch = grown;
  }
}
