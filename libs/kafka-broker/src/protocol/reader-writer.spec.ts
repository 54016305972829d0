import { createRequire } from 'node:module';
import { ProtocolDecodeError, Reader } from './reader';
import { Writer } from './writer';

interface KafkajsEncoderInstance {
  readonly buffer: Buffer;
  writeInt64(value: bigint | number): KafkajsEncoderInstance;
  writeVarInt(value: number): KafkajsEncoderInstance;
  writeUVarInt(value: number): KafkajsEncoderInstance;
  writeUVarIntString(value: string | null): KafkajsEncoderInstance;
  writeVarLong(value: number): KafkajsEncoderInstance;
}

const load = createRequire(__filename);
const KafkajsEncoder = load('kafkajs/src/protocol/encoder') as new () => KafkajsEncoderInstance;

describe('Reader and Writer primitives', () => {
  it.each([0, 1, -1, 2 ** 31, -(2 ** 31) - 1, 1_700_000_000_000, Number.MAX_SAFE_INTEGER])(
    'round-trips int64 %p with the same bytes kafkajs writes',
    (value) => {
      const ours = new Writer().int64(value).toBuffer();
      expect(ours).toEqual(new KafkajsEncoder().writeInt64(BigInt(value)).buffer);
      expect(new Reader(ours).int64()).toBe(value);
    },
  );

  it.each([0, 1, 127, 128, 300, 16383, 16384, 2 ** 31 - 1])(
    'encodes unsigned varint %p like kafkajs',
    (value) => {
      const ours = new Writer().uvarint(value).toBuffer();
      expect(ours).toEqual(new KafkajsEncoder().writeUVarInt(value).buffer);
      expect(new Reader(ours).uvarint()).toBe(value);
    },
  );

  it.each([0, 1, -1, 63, -64, 64, 1_000_000, -1_000_000])(
    'decodes zig-zag varint %p written by kafkajs',
    (value) => {
      expect(new Reader(new KafkajsEncoder().writeVarInt(value).buffer).varint()).toBe(value);
    },
  );

  it.each([0, 1, -1, 2 ** 40, -(2 ** 40) - 3, 1_700_000_000_123])(
    'decodes zig-zag varlong %p written by kafkajs',
    (value) => {
      expect(new Reader(new KafkajsEncoder().writeVarLong(value).buffer).varlong()).toBe(value);
    },
  );

  it('writes compact strings kafkajs reads back, null included', () => {
    const ours = new Writer().compactNullableString('héllo').compactNullableString(null).toBuffer();
    const theirs = Buffer.concat([
      new KafkajsEncoder().writeUVarIntString('héllo').buffer,
      new KafkajsEncoder().writeUVarIntString(null).buffer,
    ]);
    expect(ours).toEqual(theirs);
    const reader = new Reader(ours);
    expect(reader.compactNullableString()).toBe('héllo');
    expect(reader.compactNullableString()).toBeNull();
  });

  it('reads a -1 length on a non-nullable string as empty and on a nullable one as null', () => {
    const bytes = new Writer().int16(-1).int16(-1).toBuffer();
    const reader = new Reader(bytes);
    expect(reader.string()).toBe('');
    expect(reader.nullableString()).toBeNull();
  });

  it('reads a null array as null and a non-nullable one as empty', () => {
    const bytes = new Writer().int32(-1).int32(-1).toBuffer();
    const reader = new Reader(bytes);
    expect(reader.nullableArray((r) => r.int32())).toBeNull();
    expect(reader.array((r) => r.int32())).toEqual([]);
  });

  it('refuses to skip a negative length instead of moving backwards', () => {
    const reader = new Reader(Buffer.from([1, 2, 3]));
    reader.int8();
    expect(() => reader.skip(-1)).toThrow(ProtocolDecodeError);
  });

  it('skips unknown tagged fields', () => {
    const bytes = new Writer().uvarint(2).uvarint(0).uvarint(3).raw(Buffer.from('abc'));
    bytes.uvarint(7).uvarint(1).raw(Buffer.from('z')).int16(42);
    const reader = new Reader(bytes.toBuffer());
    reader.taggedFields();
    expect(reader.int16()).toBe(42);
    expect(reader.remaining).toBe(0);
  });

  it('rejects a truncated body with ProtocolDecodeError', () => {
    expect(() => new Reader(Buffer.from([0, 0, 0])).int32()).toThrow(ProtocolDecodeError);
    expect(() => new Reader(new Writer().int16(10).toBuffer()).string()).toThrow(
      ProtocolDecodeError,
    );
  });

  it('rejects an array count larger than the remaining body before allocating', () => {
    const bytes = new Writer().int32(2_000_000_000).toBuffer();
    expect(() => new Reader(bytes).array((r) => r.int32())).toThrow(ProtocolDecodeError);
  });

  it('keeps large blobs by reference instead of copying them', () => {
    const blob = Buffer.alloc(4096, 7);
    const buffers = new Writer().int32(1).bytes(blob).int16(2).toBuffers();
    expect(buffers).toHaveLength(3);
    expect(buffers[1]).toBe(blob);
    expect(Buffer.concat(buffers)).toHaveLength(4 + 4 + 4096 + 2);
  });

  it('grows past its initial capacity without losing earlier bytes', () => {
    const writer = new Writer();
    for (let i = 0; i < 1000; i++) writer.int32(i);
    const reader = new Reader(writer.toBuffer());
    for (let i = 0; i < 1000; i++) expect(reader.int32()).toBe(i);
  });
});
