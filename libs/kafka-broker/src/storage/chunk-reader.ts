import type { FileHandle } from 'node:fs/promises';
import { readFully } from './file-io';

/** A window of file bytes: `length` bytes of the file are at `buf[at..at + length)`. */
export interface ByteView {
  buf: Buffer;
  at: number;
}

/**
 * Reads a file region forward through one reusable chunk, so walking many small batch headers
 * costs one `pread` per chunk rather than one per batch. Reads never go past `end`, the number
 * of bytes known to be complete (the committed size of a segment).
 */
export class ChunkReader {
  private chunk: Buffer = Buffer.alloc(0);
  private chunkStart = 0;

  constructor(
    private readonly file: FileHandle,
    private readonly end: number,
    private readonly chunkSize: number,
  ) {}

  /** Like {@link view} for bytes known to be complete; running past `end` is a bug. */
  async mustView(position: number, length: number): Promise<ByteView> {
    const view = await this.view(position, length);
    if (view === undefined) {
      throw new Error(
        `bytes ${position}..${position + length} lie past the readable end ${this.end}`,
      );
    }
    return view;
  }

  /** Bytes `[position, position + length)`, or `undefined` when they run past `end`. */
  async view(position: number, length: number): Promise<ByteView | undefined> {
    if (position + length > this.end) {
      return undefined;
    }
    const chunkEnd = this.chunkStart + this.chunk.length;
    if (position < this.chunkStart || position + length > chunkEnd) {
      const size = Math.min(Math.max(length, this.chunkSize), this.end - position);
      this.chunk = await readFully(this.file, position, size);
      this.chunkStart = position;
    }
    return { buf: this.chunk, at: position - this.chunkStart };
  }
}
