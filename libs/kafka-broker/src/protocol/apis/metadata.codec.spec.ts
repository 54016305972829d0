import { ErrorCode } from '../error-codes';
import { kafkajsParse, kafkajsBody, versions } from '@tracker/kafka-broker/testing/kafkajs-wire';
import { Reader } from '../reader';
import { Writer } from '../writer';
import {
  decodeMetadataRequest,
  encodeMetadataResponse,
  type MetadataResponse,
} from './metadata.codec';

const response: MetadataResponse = {
  brokers: [{ nodeId: 0, host: '127.0.0.1', port: 40123 }],
  clusterId: 'embedded',
  controllerId: 0,
  topics: [
    {
      errorCode: ErrorCode.NONE,
      name: 'orders',
      partitions: [
        { errorCode: 0, partitionIndex: 0, leaderId: 0, replicaNodes: [0], isrNodes: [0] },
        { errorCode: 0, partitionIndex: 1, leaderId: 0, replicaNodes: [0], isrNodes: [0] },
      ],
    },
  ],
};

describe('Metadata codec', () => {
  it.each(versions(0, 6))('reads named topics from a kafkajs v%i request', async (version) => {
    const reader = await kafkajsBody('metadata', version, {
      topics: ['a', 'b'],
      allowAutoTopicCreation: false,
    });
    expect(decodeMetadataRequest(reader, version)).toEqual({
      topics: ['a', 'b'],
      allowAutoTopicCreation: version < 4,
    });
    expect(reader.remaining).toBe(0);
  });

  it('reads an empty v0 topic list as "all topics"', async () => {
    const reader = await kafkajsBody('metadata', 0, { topics: [] });
    expect(decodeMetadataRequest(reader, 0).topics).toBeNull();
  });

  it.each(versions(1, 6))(
    'reads the v%i "all topics" request kafkajs sends as null',
    async (version) => {
      const all = await kafkajsBody('metadata', version, { topics: [] });
      expect(decodeMetadataRequest(all, version).topics).toBeNull();
    },
  );

  it('reads a v4 empty (not null) array as "no topics": librdkafka\'s brokers-only query', () => {
    const reader = new Reader(new Writer().int32(0).boolean(false).toBuffer());
    expect(decodeMetadataRequest(reader, 4)).toEqual({ topics: [], allowAutoTopicCreation: false });
  });

  it.each(versions(0, 6))('writes a v%i response kafkajs parses', async (version) => {
    const parsed = await kafkajsParse<{
      brokers: unknown[];
      controllerId?: number;
      clusterId?: string;
      topicMetadata: {
        topic: string;
        partitionMetadata: { partitionId: number; leader: number }[];
      }[];
    }>('metadata', version, (w) => encodeMetadataResponse(w, version, response));
    expect(parsed.brokers).toEqual([
      expect.objectContaining({ nodeId: 0, host: '127.0.0.1', port: 40123 }),
    ]);
    if (version >= 1) expect(parsed.controllerId).toBe(0);
    if (version >= 2) expect(parsed.clusterId).toBe('embedded');
    expect(parsed.topicMetadata[0].topic).toBe('orders');
    expect(parsed.topicMetadata[0].partitionMetadata.map((p) => [p.partitionId, p.leader])).toEqual(
      [
        [0, 0],
        [1, 0],
      ],
    );
  });

  it('surfaces a topic error the way kafkajs expects (it throws on the first one)', async () => {
    const unknown: MetadataResponse = {
      ...response,
      topics: [{ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name: 'x', partitions: [] }],
    };
    await expect(
      kafkajsParse('metadata', 6, (w) => encodeMetadataResponse(w, 6, unknown)),
    ).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });
});
