import { kafkajsParse, kafkajsBody, versions } from '@tracker/kafka-broker/testing/kafkajs-wire';
import { Reader } from '../reader';
import { Writer } from '../writer';
import { decodeOffsetCommitRequest, encodeOffsetCommitResponse } from './offset-commit.codec';

const COMMITTED_AT = 1_700_000_000_000;
const topics = [
  {
    topic: 'orders',
    partitions: [{ partition: 1, offset: '42', timestamp: String(COMMITTED_AT), metadata: 'm' }],
  },
];

describe('OffsetCommit codec', () => {
  it.each(versions(0, 5))('reads offsets and membership from kafkajs v%i', async (version) => {
    const reader = await kafkajsBody('offsetCommit', version, {
      groupId: 'g1',
      groupGenerationId: 3,
      memberId: 'm-1',
      retentionTime: -1,
      topics,
    });
    expect(decodeOffsetCommitRequest(reader, version)).toEqual({
      groupId: 'g1',
      generationId: version === 0 ? -1 : 3,
      memberId: version === 0 ? '' : 'm-1',
      groupInstanceId: null,
      retentionTimeMs: -1,
      topics: [
        {
          name: 'orders',
          partitions: [
            {
              partition: 1,
              offset: 42,
              leaderEpoch: -1,
              commitTimestamp: version === 1 ? COMMITTED_AT : -1,
              metadata: 'm',
            },
          ],
        },
      ],
    });
    expect(reader.remaining).toBe(0);
  });

  it.each([6, 7])(
    'reads the v%i layout librdkafka sends (leader epoch, v7 instance id)',
    (version) => {
      const body = new Writer().string('g1').int32(3).string('m-1');
      if (version === 7) body.nullableString('static-1');
      body.array([0], (w) => {
        w.string('orders').array([0], (pw) => pw.int32(1).int64(42).int32(-1).nullableString(null));
      });
      const reader = new Reader(body.toBuffer());
      expect(decodeOffsetCommitRequest(reader, version)).toEqual({
        groupId: 'g1',
        generationId: 3,
        memberId: 'm-1',
        groupInstanceId: version === 7 ? 'static-1' : null,
        retentionTimeMs: -1,
        topics: [
          {
            name: 'orders',
            partitions: [
              { partition: 1, offset: 42, leaderEpoch: -1, commitTimestamp: -1, metadata: null },
            ],
          },
        ],
      });
      expect(reader.remaining).toBe(0);
    },
  );

  it.each(versions(0, 5))('writes a v%i response kafkajs parses', async (version) => {
    const parsed = await kafkajsParse<{ responses: unknown[] }>('offsetCommit', version, (w) =>
      encodeOffsetCommitResponse(w, version, [
        { name: 'orders', partitions: [{ partition: 1, errorCode: 0 }] },
      ]),
    );
    expect(parsed.responses).toEqual([
      { topic: 'orders', partitions: [{ partition: 1, errorCode: 0 }] },
    ]);
  });

  it.each([6, 7])('writes the v%i response with the throttle time first', (version) => {
    const writer = new Writer();
    encodeOffsetCommitResponse(writer, version, [
      { name: 'orders', partitions: [{ partition: 1, errorCode: 27 }] },
    ]);
    const reader = new Reader(writer.toBuffer());
    expect(reader.int32()).toBe(0);
    const decoded = reader.array((t) => [t.string(), t.array((p) => [p.int32(), p.int16()])]);
    expect(decoded).toEqual([['orders', [[1, 27]]]]);
    expect(reader.remaining).toBe(0);
  });
});
