import { FrameReader, FrameSizeError } from './frame-reader';

function frame(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

const body1 = Buffer.from('0123456789');
const body2 = Buffer.from('abcdefghijklmnop');

describe(FrameReader.name, () => {
  it('returns each complete frame without its size prefix', () => {
    const reader = new FrameReader(1024);
    expect(reader.push(Buffer.concat([frame(body1), frame(body2)]))).toEqual([body1, body2]);
    expect(reader.pendingBytes).toBe(0);
  });

  it('reassembles frames split at every possible byte boundary', () => {
    const stream = Buffer.concat([frame(body1), frame(body2)]);
    for (let cut = 1; cut < stream.length; cut++) {
      const reader = new FrameReader(1024);
      const frames = [
        ...reader.push(stream.subarray(0, cut)),
        ...reader.push(stream.subarray(cut)),
      ];
      expect(frames).toEqual([body1, body2]);
    }
  });

  it('reassembles a frame delivered one byte at a time', () => {
    const reader = new FrameReader(1024);
    const stream = frame(body2);
    const frames: Buffer[] = [];
    for (const byte of stream) frames.push(...reader.push(Buffer.from([byte])));
    expect(frames).toEqual([body2]);
  });

  it('refuses a size above the limit as soon as the prefix arrives', () => {
    const reader = new FrameReader(100);
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(101);
    expect(() => reader.push(prefix)).toThrow(FrameSizeError);
  });

  it('refuses a negative size and one too small to hold a header', () => {
    for (const size of [-1, 0, 7]) {
      const prefix = Buffer.alloc(4);
      prefix.writeInt32BE(size);
      expect(() => new FrameReader(100).push(prefix)).toThrow(FrameSizeError);
    }
  });

  it('keeps an incomplete frame pending', () => {
    const reader = new FrameReader(1024);
    expect(reader.push(frame(body1).subarray(0, 8))).toEqual([]);
    expect(reader.pendingBytes).toBe(4);
  });
});
