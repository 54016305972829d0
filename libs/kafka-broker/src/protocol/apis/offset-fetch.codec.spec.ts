import { kafkajsParse, kafkajsBody, versions } from '@tracker/kafka-broker/testing/kafkajs-wire';
import { Reader } from '../reader';
import { Writer } from '../writer';
import {
  decodeOffsetFetchRequest,
  encodeOffsetFetchResponse,
  type OffsetFetchResponse,
} from './offset-fetch.codec';

const response: OffsetFetchResponse = {
  errorCode: 0,
  topics: [
    {
      name: 'orders',
      partitions: [
        { partition: 0, offset: 42, metadata: null, errorCode: 0 },
        { partition: 1, offset: -1, metadata: '', errorCode: 0 },
      ],
    },
  ],
};

describe('OffsetFetch codec', () => {
  it.each(versions(1, 4))('reads group and partitions from kafkajs v%i', async (version) => {
    const reader = await kafkajsBody('offsetFetch', version, {
      groupId: 'g1',
      topics: [{ topic: 'orders', partitions: [{ partition: 0 }, { partition: 1 }] }],
    });
    expect(decodeOffsetFetchRequest(reader, version)).toEqual({
      groupId: 'g1',
      topics: [{ name: 'orders', partitions: [0, 1] }],
    });
    expect(reader.remaining).toBe(0);
  });

  it('reads a null topic list (v2+) as "every committed offset"', () => {
    const reader = new Reader(new Writer().string('g1').int32(-1).toBuffer());
    expect(decodeOffsetFetchRequest(reader, 5)).toEqual({ groupId: 'g1', topics: null });
  });

  it.each(versions(1, 4))(
    'writes a v%i response kafkajs parses, -1 meaning "none"',
    async (version) => {
      const parsed = await kafkajsParse<{ responses: { partitions: { offset: string }[] }[] }>(
        'offsetFetch',
        version,
        (w) => encodeOffsetFetchResponse(w, version, response),
      );
      expect(parsed.responses[0].partitions.map((p) => p.offset)).toEqual(['42', '-1']);
    },
  );

  it('writes v0 with the v1 layout', async () => {
    const parsed = await kafkajsParse<{ responses: unknown[] }>('offsetFetch', 1, (w) =>
      encodeOffsetFetchResponse(w, 0, response),
    );
    expect(parsed.responses).toHaveLength(1);
  });

  it('writes v5 with a leader epoch of -1 per partition', () => {
    const writer = new Writer();
    encodeOffsetFetchResponse(writer, 5, response);
    const reader = new Reader(writer.toBuffer());
    expect(reader.int32()).toBe(0);
    const topics = reader.array((t) => ({
      name: t.string(),
      partitions: t.array((p) => [p.int32(), p.int64(), p.int32(), p.nullableString(), p.int16()]),
    }));
    expect(topics).toEqual([
      {
        name: 'orders',
        partitions: [
          [0, 42, -1, null, 0],
          [1, -1, -1, '', 0],
        ],
      },
    ]);
    expect(reader.int16()).toBe(0);
    expect(reader.remaining).toBe(0);
  });
});
