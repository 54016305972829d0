import { createRequire } from 'node:module';
import { crc32c } from '@node-rs/crc32';

/**
 * Real request frames, byte for byte what kafkajs 2.2.4 puts on the wire, built with its own
 * encoders from node_modules/kafkajs/src/protocol (test code only).
 */

interface KafkajsEncoder {
  readonly buffer: Buffer;
}

interface KafkajsRequest {
  apiKey: number;
  apiVersion: number;
  encode(): Promise<KafkajsEncoder> | KafkajsEncoder;
}

interface KafkajsResponseModule {
  decode(payload: Buffer): Promise<unknown>;
}

type EncodeFrame = (request: {
  correlationId: number;
  clientId: string;
  request: KafkajsRequest;
}) => Promise<KafkajsEncoder>;

const load = createRequire(__filename);
const encodeFrame = load('kafkajs/src/protocol/request') as EncodeFrame;
const GZIP = 1;

/** A complete frame (size prefix included) for one kafkajs request module `<api>/v<version>`. */
export async function kafkajsFrame(
  api: string,
  version: number,
  args: unknown = {},
  correlationId = 1,
): Promise<Buffer> {
  const build = load(`kafkajs/src/protocol/requests/${api}/v${version}/request`) as (
    a: unknown,
  ) => KafkajsRequest;
  const encoder = await encodeFrame({
    correlationId,
    clientId: 'conformance',
    request: build(args),
  });
  return Buffer.from(encoder.buffer);
}

/** Decodes a response body (after the correlation id) with kafkajs's decoder for that version. */
export async function kafkajsDecodeResponse<T>(
  api: string,
  version: number,
  body: Buffer,
): Promise<T> {
  const module = load(
    `kafkajs/src/protocol/requests/${api}/v${version}/response`,
  ) as KafkajsResponseModule;
  return (await module.decode(body)) as T;
}

/** A Produce v7 frame (acks -1) of `messages` to partition 0 of `topic`. */
export function produceFrame(
  topic: string,
  messages: { key?: string; value: string; timestamp?: number }[],
  options: { gzip?: boolean; correlationId?: number } = {},
): Promise<Buffer> {
  return kafkajsFrame(
    'produce',
    7,
    {
      acks: -1,
      timeout: 5000,
      compression: options.gzip ? GZIP : 0,
      topicData: [{ topic, partitions: [{ partition: 0, messages }] }],
    },
    options.correlationId,
  );
}

/**
 * Where the record batch starts in a single-topic, single-partition Produce v3+ frame: right
 * after the topic name, the partition count, the partition index and the record-set size.
 */
export function recordBatchOffset(frame: Buffer, topic: string): number {
  const name = frame.indexOf(Buffer.from(topic));
  if (name < 0) throw new Error(`topic ${topic} not found in the frame`);
  return name + Buffer.byteLength(topic) + 12;
}

/** Byte positions in a RecordBatch v2 header (layout of Apache Kafka's DefaultRecordBatch). */
export const RECORD_BATCH = {
  length: 8,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  recordCount: 57,
  records: 61,
} as const;

/**
 * Recomputes the CRC-32C of the record batch at `at` that runs to the end of `frame` (as it
 * does in a single-partition Produce frame), so an edited batch passes the broker's CRC check
 * and reaches the code behind it.
 */
export function resealRecordBatch(frame: Buffer, at: number): void {
  frame.writeUInt32BE(crc32c(frame.subarray(at + RECORD_BATCH.attributes)), at + RECORD_BATCH.crc);
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
    requests.map(([api, version, args], i) => kafkajsFrame(api, version, args, i + 1)),
  );
  frames.push(await produceFrame(topic, [{ key: 'k', value: 'v'.repeat(40) }]));
  frames.push(
    await produceFrame(topic, [{ key: 'k', value: 'gzip me '.repeat(20) }], { gzip: true }),
  );
  return frames;
}
