import { BrokerError } from '../errors';
import { MIN_HEADER_BYTES } from '../protocol/request-header';

/** A size prefix the broker refuses; the connection that sent it is closed. */
export class FrameSizeError extends BrokerError {
  readonly retriable = false;

  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(
      size > limit
        ? `request of ${size} bytes exceeds maxRequestBytes ${limit}`
        : `request size ${size} is smaller than a request header`,
    );
  }
}

const SIZE_PREFIX_BYTES = 4;

/**
 * Splits a TCP byte stream into Kafka request frames (int32 size prefix, then that many bytes).
 * The size is checked as soon as its 4 bytes arrive, so an oversized request is refused before
 * any of its body is buffered.
 */
export class FrameReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  /** Size of the frame being assembled, or -1 while waiting for a size prefix. */
  private expected = -1;

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes received but not yet returned as a frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /**
   * Adds received bytes and returns the frames they complete (without their size prefix).
   * @throws FrameSizeError when a size prefix is out of bounds.
   */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < SIZE_PREFIX_BYTES) break;
        const size = this.take(SIZE_PREFIX_BYTES).readInt32BE(0);
        if (size < MIN_HEADER_BYTES || size > this.maxFrameBytes) {
          throw new FrameSizeError(size, this.maxFrameBytes);
        }
        this.expected = size;
      }
      if (this.buffered < this.expected) break;
      frames.push(this.take(this.expected));
      this.expected = -1;
    }
    return frames;
  }

  /** Removes `size` bytes from the front; a view when they sit in one chunk (the usual case). */
  private take(size: number): Buffer {
    this.buffered -= size;
    const first = this.chunks[0];
    if (first.length >= size) {
      if (first.length === size) this.chunks.shift();
      else this.chunks[0] = first.subarray(size);
      return first.subarray(0, size);
    }
    const out = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const head = this.chunks[0];
      const used = Math.min(head.length, size - filled);
      head.copy(out, filled, 0, used);
      filled += used;
      if (used === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(used);
    }
    return out;
  }
}
