import { SeededRandom } from '@tracker/runtime';
import { MIN_HEADER_BYTES } from '../protocol/request-header';
import { BatchField, LOG_OVERHEAD, MAGIC_V2 } from '../storage/record-batch';
import { kafkajsFrame, produceFrame } from './kafkajs-wire';
import { resealRecordBatch } from './record-batch.builder';
import { sizePrefixed } from './raw-connection';

/**
 * Seeded generation of bad request bytes for the broker fuzz test. Everything derives from one
 * seed, so a failing run is reproduced by running again with that seed.
 */

/** Values that sit on the edges of int16/int32 fields: counts, lengths, sizes. */
const INTERESTING_INT32 = [0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, -0x8000, 0x7fffffff, -0x80000000];

type Mutator = (frame: Buffer, rng: SeededRandom) => Buffer;

/**
 * api_key, api_version and correlation_id (the fixed part of a request header): mutating them
 * only yields "unknown API" closes, so the body mutators leave them alone and `randomHeader`
 * alone changes them.
 */
const HEADER_BYTES = MIN_HEADER_BYTES;

/** A position inside the body part of a frame (after the fixed header), if it has one. */
function bodyPosition(frame: Buffer, rng: SeededRandom, width = 1): number | undefined {
  if (frame.length < HEADER_BYTES + width) return undefined;
  return rng.int(HEADER_BYTES, frame.length - width);
}

/** Start of a record batch that runs to the end of the frame (single-partition Produce), if any. */
function tailBatchOffset(frame: Buffer): number | undefined {
  for (let at = HEADER_BYTES; at + BatchField.records <= frame.length; at++) {
    const length = frame.readInt32BE(at + BatchField.batchLength);
    if (length + LOG_OVERHEAD === frame.length - at && frame[at + BatchField.magic] === MAGIC_V2)
      return at;
  }
  return undefined;
}

const mutators: Readonly<Record<string, Mutator>> = {
  /**
   * Garbles a record batch's header fields and records and fixes its CRC, so the bytes get past
   * the CRC check into whatever the broker does with stored batches (offsets, lookups, fetch).
   */
  batchInternals: (frame, rng) => {
    const at = tailBatchOffset(frame);
    if (at === undefined) return frame;
    const out = Buffer.from(frame);
    for (let n = rng.int(1, 4); n > 0; n--) {
      out[rng.int(at + BatchField.attributes, out.length - 1)] = rng.int(0, 255);
    }
    if (rng.next() < 0.3) {
      const count = rng.pick(INTERESTING_INT32) | 0;
      out.writeInt32BE(count, at + BatchField.recordCount);
      out.writeInt32BE((count - 1) | 0, at + BatchField.lastOffsetDelta);
    }
    resealRecordBatch(out, at);
    return out;
  },
  flipBits: (frame, rng) => {
    const out = Buffer.from(frame);
    for (let n = rng.int(1, 4); n > 0; n--) {
      const at = bodyPosition(out, rng);
      if (at !== undefined) out[at] ^= 1 << rng.int(0, 7);
    }
    return out;
  },
  randomBytes: (frame, rng) => {
    const out = Buffer.from(frame);
    for (let n = rng.int(1, 4); n > 0; n--) {
      const at = bodyPosition(out, rng);
      if (at !== undefined) out[at] = rng.int(0, 255);
    }
    return out;
  },
  interestingInt: (frame, rng) => {
    const out = Buffer.from(frame);
    const at = bodyPosition(out, rng, 4);
    if (at === undefined) return out;
    const value = rng.pick(INTERESTING_INT32);
    if (rng.next() < 0.5) out.writeInt16BE((value << 16) >> 16, at);
    else out.writeInt32BE(value | 0, at);
    return out;
  },
  truncate: (frame, rng) => frame.subarray(0, rng.int(0, Math.max(0, frame.length - 1))),
  extend: (frame, rng) => Buffer.concat([frame, rng.bytes(rng.int(1, 64))]),
  randomHeader: (frame, rng) => {
    const out = Buffer.from(frame);
    if (out.length < 4) return out;
    out.writeInt16BE(rng.int(-2, 70), 0);
    out.writeInt16BE(rng.int(-1, 20), 2);
    return out;
  },
  garbage: (_, rng) => rng.bytes(rng.int(0, 256)),
};

/** How often each mutator is picked: body mutations dominate, pure noise is rare. */
const WEIGHTED_MUTATORS = [
  ...Array<string>(3).fill('batchInternals'),
  ...Array<string>(4).fill('flipBits'),
  ...Array<string>(3).fill('randomBytes'),
  ...Array<string>(4).fill('interestingInt'),
  'truncate',
  'truncate',
  'extend',
  'randomHeader',
  'garbage',
];

/**
 * One fuzz input: a real frame mutated (bits, bytes, int edges, truncated, extended, header
 * swapped, pure garbage), usually re-prefixed with its true size, sometimes with a lying size
 * prefix or none at all. Returns the bytes and the name of what was done, for failure reports.
 */
export function fuzzInput(
  seeds: readonly Buffer[],
  rng: SeededRandom,
): { bytes: Buffer; how: string } {
  let frame = rng.pick(seeds).subarray(4);
  const applied: string[] = [];
  for (let n = rng.int(1, 3); n > 0; n--) {
    const name = rng.pick(WEIGHTED_MUTATORS);
    frame = mutators[name](frame, rng);
    applied.push(name);
  }
  const framing = rng.next();
  if (framing < 0.85) return { bytes: sizePrefixed(frame), how: applied.join('+') };
  if (framing < 0.95) {
    const lying = Buffer.allocUnsafe(4);
    lying.writeInt32BE(rng.pick(INTERESTING_INT32), 0);
    return { bytes: Buffer.concat([lying, frame]), how: `${applied.join('+')}+lyingSize` };
  }
  return { bytes: frame, how: `${applied.join('+')}+unframed` };
}

/** One frame of every request kafkajs sends over a producer's, consumer's and admin's life. */
export async function everyKafkajsRequest(topic: string, groupId: string): Promise<Buffer[]> {
  const partitions = [{ partition: 0 }];
  const memberId = 'conformance-member';
  const requests: [string, number, unknown][] = [
    ['apiVersions', 0, {}],
    ['apiVersions', 2, {}],
    ['metadata', 6, { topics: [topic], allowAutoTopicCreation: true }],
    ['metadata', 6, { topics: [] }],
    ['listOffsets', 3, { replicaId: -1, isolationLevel: 1, topics: [{ topic, partitions }] }],
    [
      'listOffsets',
      3,
      {
        replicaId: -1,
        isolationLevel: 1,
        topics: [{ topic, partitions: [{ partition: 0, timestamp: Date.now() - 1000 }] }],
      },
    ],
    [
      'fetch',
      11,
      {
        replicaId: -1,
        maxWaitTime: 50,
        minBytes: 1,
        maxBytes: 1 << 20,
        topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0, maxBytes: 1 << 20 }] }],
      },
    ],
    ['findCoordinator', 2, { coordinatorKey: groupId, coordinatorType: 0 }],
    [
      'joinGroup',
      5,
      {
        groupId,
        sessionTimeout: 10_000,
        rebalanceTimeout: 1000,
        memberId: '',
        protocolType: 'consumer',
        groupProtocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from([0, 1, 0, 0]) }],
      },
    ],
    [
      'syncGroup',
      3,
      {
        groupId,
        generationId: 1,
        memberId,
        groupAssignment: [{ memberId, memberAssignment: Buffer.alloc(8) }],
      },
    ],
    ['heartbeat', 3, { groupId, groupGenerationId: 1, memberId }],
    [
      'offsetCommit',
      5,
      {
        groupId,
        groupGenerationId: -1,
        memberId: '',
        topics: [{ topic, partitions: [{ partition: 0, offset: '1' }] }],
      },
    ],
    ['offsetFetch', 4, { groupId, topics: [{ topic, partitions }] }],
    ['leaveGroup', 3, { groupId, members: [{ memberId }] }],
    ['describeGroups', 2, { groupIds: [groupId] }],
    ['listGroups', 2, {}],
    [
      'createTopics',
      3,
      { topics: [{ topic: `${topic}-created`, numPartitions: 2 }], timeout: 1000 },
    ],
    ['createPartitions', 1, { topicPartitions: [{ topic, count: 3 }], timeout: 1000 }],
    ['deleteTopics', 1, { topics: [`${topic}-created`], timeout: 1000 }],
    ['deleteGroups', 1, [groupId]],
    ['initProducerId', 1, { transactionalId: null, transactionTimeout: 1000 }],
  ];
  const frames = await Promise.all(
    requests.map(([api, version, args], i) =>
      kafkajsFrame(api, version, args, { correlationId: i + 1 }),
    ),
  );
  frames.push(await produceFrame(topic, [{ key: 'k', value: 'v'.repeat(40) }]));
  frames.push(
    await produceFrame(topic, [{ key: 'k', value: 'gzip me '.repeat(20) }], { gzip: true }),
  );
  return frames;
}
