import {
  kafkajsDecode,
  kafkajsParse,
  kafkajsBody,
  versions,
} from '@tracker/kafka-broker/testing/kafkajs-wire';
import { Reader } from '../reader';
import { Writer } from '../writer';
import {
  decodeCreatePartitionsRequest,
  encodeCreatePartitionsResponse,
} from './create-partitions.codec';
import { decodeCreateTopicsRequest, encodeCreateTopicsResponse } from './create-topics.codec';
import { decodeDeleteTopicsRequest, encodeDeleteTopicsResponse } from './delete-topics.codec';
import {
  decodeInitProducerIdRequest,
  encodeInitProducerIdResponse,
} from './init-producer-id.codec';

describe('admin codecs', () => {
  it.each(versions(0, 3))(
    "reads CreateTopics v%i with kafkajs's -1 defaults and configs",
    async (version) => {
      const reader = await kafkajsBody('createTopics', version, {
        topics: [{ topic: 't1', configEntries: [{ name: 'retention.ms', value: '1000' }] }],
        validateOnly: true,
        timeout: 5000,
      });
      expect(decodeCreateTopicsRequest(reader, version)).toEqual({
        topics: [
          {
            name: 't1',
            numPartitions: -1,
            replicationFactor: -1,
            assignments: [],
            configs: { 'retention.ms': '1000' },
          },
        ],
        timeoutMs: 5000,
        validateOnly: version >= 1,
      });
      expect(reader.remaining).toBe(0);
    },
  );

  it.each(versions(0, 3))('writes a CreateTopics v%i response kafkajs decodes', async (version) => {
    const decoded = await kafkajsDecode<{ topicErrors: Record<string, unknown>[] }>(
      'createTopics',
      version,
      (w) =>
        encodeCreateTopicsResponse(w, version, [
          { name: 't1', errorCode: 36, errorMessage: 'exists' },
        ]),
    );
    expect(decoded.topicErrors[0]).toMatchObject({ topic: 't1', errorCode: 36 });
  });

  it('writes CreateTopics v4 with the v2 layout (throttle, name, code, message)', () => {
    const writer = new Writer();
    encodeCreateTopicsResponse(writer, 4, [{ name: 't1', errorCode: 0, errorMessage: null }]);
    const reader = new Reader(writer.toBuffer());
    expect(reader.int32()).toBe(0);
    expect(reader.array((r) => [r.string(), r.int16(), r.nullableString()])).toEqual([
      ['t1', 0, null],
    ]);
    expect(reader.remaining).toBe(0);
  });

  it.each(versions(0, 1))(
    'reads DeleteTopics v%i and writes results kafkajs parses',
    async (version) => {
      const reader = await kafkajsBody('deleteTopics', version, {
        topics: ['t1'],
        timeout: 500,
      });
      expect(decodeDeleteTopicsRequest(reader)).toEqual({ names: ['t1'], timeoutMs: 500 });
      const parsed = await kafkajsParse<{ topicErrors: unknown[] }>('deleteTopics', version, (w) =>
        encodeDeleteTopicsResponse(w, version, [{ name: 't1', errorCode: 0 }]),
      );
      expect(parsed.topicErrors).toEqual([{ topic: 't1', errorCode: 0 }]);
    },
  );

  it.each([2, 3])('writes DeleteTopics v%i with the v1 layout', async (version) => {
    const parsed = await kafkajsParse<{ topicErrors: unknown[] }>('deleteTopics', 1, (w) =>
      encodeDeleteTopicsResponse(w, version, [{ name: 't1', errorCode: 0 }]),
    );
    expect(parsed.topicErrors).toEqual([{ topic: 't1', errorCode: 0 }]);
  });

  it.each(versions(0, 1))('reads CreatePartitions v%i and writes results', async (version) => {
    const reader = await kafkajsBody('createPartitions', version, {
      topicPartitions: [{ topic: 't1', count: 4 }],
      validateOnly: false,
      timeout: 5000,
    });
    expect(decodeCreatePartitionsRequest(reader)).toEqual({
      topics: [{ name: 't1', count: 4, assignments: null }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    const parsed = await kafkajsParse<{ topicErrors: unknown[] }>(
      'createPartitions',
      version,
      (w) => encodeCreatePartitionsResponse(w, [{ name: 't1', errorCode: 0, errorMessage: null }]),
    );
    expect(parsed.topicErrors).toEqual([expect.objectContaining({ topic: 't1', errorCode: 0 })]);
  });

  it.each(versions(0, 1))(
    'reads InitProducerId v%i and writes a producer id kafkajs parses',
    async (version) => {
      const reader = await kafkajsBody('initProducerId', version, {
        transactionalId: null,
        transactionTimeout: 60000,
      });
      expect(decodeInitProducerIdRequest(reader)).toEqual({
        transactionalId: null,
        transactionTimeoutMs: 60000,
      });
      const parsed = await kafkajsParse<Record<string, unknown>>('initProducerId', version, (w) =>
        encodeInitProducerIdResponse(w, {
          errorCode: 0,
          producerId: 1_780_000_000_000_123,
          producerEpoch: 0,
        }),
      );
      expect(parsed).toMatchObject({ producerId: '1780000000000123', producerEpoch: 0 });
    },
  );
});
