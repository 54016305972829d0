import { uniqueName, waitFor } from '@tracker/testing';
import { ApiKey } from '../protocol/api-keys';
import { ErrorCode } from '../protocol/error-codes';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { kafkajsDecode, kafkajsRequestBytes } from '../testing/kafkajs-wire';
import { RawConnection } from '../testing/raw-connection';
import { useTestBroker } from '../testing/use-test-broker';

interface ProducedPartition {
  errorCode: number;
  baseOffset: number;
}

interface FetchedPartition {
  partition: number;
  errorCode: number;
  highWatermark: string;
  lastStableOffset: string;
  preferredReadReplica: number;
  messages: { offset: string; value: Buffer }[];
}

interface FetchedResponse {
  responses: { topicName: string; partitions: FetchedPartition[] }[];
}

describe('the broker on the wire', () => {
  const suite = useTestBroker({ maxMessageBytes: 4096 });
  let client: RawConnection;
  let correlationId = 0;

  beforeEach(async () => {
    client = await RawConnection.open(suite.broker.port);
  });

  afterEach(async () => {
    await client.close();
  });

  /** Sends a request on the test's connection; `answer()` awaits its response. */
  function send(apiKey: ApiKey, version: number, body: Buffer): { answer: () => Promise<Buffer> } {
    const id = ++correlationId;
    client.request(apiKey, version, id, body);
    return {
      answer: async () => {
        const response = await client.response(15_000);
        expect(response.correlationId).toBe(id);
        return response.body;
      },
    };
  }

  function call(apiKey: ApiKey, version: number, body: Buffer): Promise<Buffer> {
    return send(apiKey, version, body).answer();
  }

  interface ProduceArgs {
    topic: string;
    partition?: number;
    values: string[];
    acks?: number;
    producerId?: number;
    firstSequence?: number;
    timestamp?: number;
  }

  async function produceBody(args: ProduceArgs): Promise<Buffer> {
    return kafkajsRequestBytes('produce', 7, {
      acks: args.acks ?? -1,
      timeout: 1000,
      producerId: args.producerId === undefined ? undefined : String(args.producerId),
      producerEpoch: 0,
      topicData: [
        {
          topic: args.topic,
          partitions: [
            {
              partition: args.partition ?? 0,
              firstSequence: args.firstSequence ?? 0,
              messages: args.values.map((value) => ({ value, timestamp: args.timestamp })),
            },
          ],
        },
      ],
    });
  }

  async function produce(args: ProduceArgs): Promise<ProducedPartition> {
    const reader = new Reader(await call(ApiKey.Produce, 7, await produceBody(args)));
    const [partition] = reader.array((t) => {
      t.string();
      return t.array((p) => {
        p.int32();
        const result = { errorCode: p.int16(), baseOffset: p.int64() };
        p.int64();
        p.int64();
        return result;
      });
    })[0];
    return partition;
  }

  type FetchedPartitions = { partition: number; fetchOffset: number; maxBytes: number }[];

  /** Sends a Fetch v11 as kafkajs encodes it; `answer()` decodes the response as kafkajs does. */
  async function sendFetch(
    topic: string,
    partitions: FetchedPartitions,
    options: { maxWaitTime: number; maxBytes?: number },
  ): Promise<{ answer: () => Promise<FetchedResponse> }> {
    const body = await kafkajsRequestBytes('fetch', 11, {
      replicaId: -1,
      maxWaitTime: options.maxWaitTime,
      minBytes: 1,
      maxBytes: options.maxBytes ?? 10_485_760,
      topics: [
        {
          topic,
          partitions: partitions.map((p) => ({ ...p, fetchOffset: String(p.fetchOffset) })),
        },
      ],
    });
    const sent = send(ApiKey.Fetch, 11, body);
    return {
      answer: async () => kafkajsDecode<FetchedResponse>('fetch', 11, await sent.answer()),
    };
  }

  async function fetch(
    topic: string,
    partitions: FetchedPartitions,
    options: { maxWaitTime: number; maxBytes?: number },
  ): Promise<FetchedResponse> {
    return (await sendFetch(topic, partitions, options)).answer();
  }

  /** Resolves once the broker holds exactly one fetch parked, and nothing has been answered. */
  async function expectOneParkedFetch(): Promise<void> {
    await waitFor('the broker to park the fetch', () => suite.broker.parkedFetches === 1);
    expect(client.pending).toBe(0);
  }

  async function initProducerId(): Promise<number> {
    const body = await kafkajsRequestBytes('initProducerId', 1, {
      transactionalId: null,
      transactionTimeout: 1000,
    });
    const reader = new Reader(await call(ApiKey.InitProducerId, 1, body));
    reader.int32();
    expect(reader.int16()).toBe(ErrorCode.NONE);
    return reader.int64();
  }

  it('answers a retried idempotent batch with its first offset and stores it once', async () => {
    const topic = uniqueName('dedupe');
    const producerId = await initProducerId();
    const first = { topic, producerId, firstSequence: 0, values: ['a', 'b'] };
    await expect(produce(first)).resolves.toEqual({ errorCode: 0, baseOffset: 0 });
    await expect(produce(first)).resolves.toEqual({ errorCode: 0, baseOffset: 0 });
    await expect(produce({ ...first, firstSequence: 2, values: ['c'] })).resolves.toEqual({
      errorCode: 0,
      baseOffset: 2,
    });
    await expect(produce({ ...first, firstSequence: 9, values: ['gap'] })).resolves.toMatchObject({
      errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    });
    const fetched = await fetch(topic, [{ partition: 0, fetchOffset: 0, maxBytes: 1 << 20 }], {
      maxWaitTime: 0,
    });
    const messages = fetched.responses[0].partitions[0].messages;
    expect(messages.map((m) => [m.offset, m.value.toString()])).toEqual([
      ['0', 'a'],
      ['1', 'b'],
      ['2', 'c'],
    ]);
  });

  it('sends no response at all to acks=0 and keeps answering later requests in order', async () => {
    const topic = uniqueName('acks0');
    client.request(ApiKey.Produce, 7, 501, await produceBody({ topic, acks: 0, values: ['x'] }));
    client.request(ApiKey.ApiVersions, 0, 502, Buffer.alloc(0));
    await expect(client.response()).resolves.toMatchObject({ correlationId: 502 });
  });

  it('refuses a batch whose CRC does not match with CORRUPT_MESSAGE and stores nothing', async () => {
    const topic = uniqueName('bad-crc');
    await produce({ topic, values: ['good'] });
    const body = await produceBody({ topic, values: ['bad'] });
    body[body.length - 1] ^= 0xff; // the last record byte, covered by the batch CRC
    const reader = new Reader(await call(ApiKey.Produce, 7, body));
    const errorCode = reader.array((t) => {
      t.string();
      return t.array((p) => {
        p.int32();
        return p.int16();
      })[0];
    })[0];
    expect(errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    const fetched = await fetch(topic, [{ partition: 0, fetchOffset: 0, maxBytes: 1 << 20 }], {
      maxWaitTime: 0,
    });
    expect(fetched.responses[0].partitions[0].highWatermark).toBe('1');
  });

  it('closes the connection when an acks=0 produce fails, since no response can carry the error', async () => {
    const body = await produceBody({ topic: uniqueName('acks0-fail'), acks: 0, values: ['x'] });
    body[body.length - 1] ^= 0xff;
    client.request(ApiKey.Produce, 7, 601, body);
    await client.closedByBroker();
    expect(client.isOpen).toBe(false);
  });

  it('refuses a batch above the maximum message size with MESSAGE_TOO_LARGE', async () => {
    const topic = uniqueName('too-large');
    await expect(produce({ topic, values: ['x'.repeat(5000)] })).resolves.toMatchObject({
      errorCode: ErrorCode.MESSAGE_TOO_LARGE,
    });
  });

  it('parks a fetch with nothing to return and answers it empty once max wait passes', async () => {
    const topic = uniqueName('long-poll');
    await produce({ topic, values: ['seed'] });
    const parked = await sendFetch(topic, [{ partition: 0, fetchOffset: 1, maxBytes: 1 << 20 }], {
      maxWaitTime: 400,
    });
    await expectOneParkedFetch();
    const fetched = await parked.answer();
    expect(suite.broker.parkedFetches).toBe(0);
    expect(fetched.responses[0].partitions[0]).toMatchObject({
      errorCode: 0,
      highWatermark: '1',
      lastStableOffset: '1',
      preferredReadReplica: -1,
      messages: [],
    });
  });

  it('wakes a parked fetch as soon as a record is appended', async () => {
    const topic = uniqueName('wake');
    await produce({ topic, values: ['seed'] });
    const producer = await RawConnection.open(suite.broker.port);
    try {
      // Far longer than the answer's deadline (15 s): only the append can release it in time.
      const parked = await sendFetch(topic, [{ partition: 0, fetchOffset: 1, maxBytes: 1 << 20 }], {
        maxWaitTime: 120_000,
      });
      await expectOneParkedFetch();
      producer.request(ApiKey.Produce, 7, 1, await produceBody({ topic, values: ['late'] }));
      await producer.response();
      const fetched = await parked.answer();
      expect(suite.broker.parkedFetches).toBe(0);
      expect(fetched.responses[0].partitions[0].messages.map((m) => m.value.toString())).toEqual([
        'late',
      ]);
    } finally {
      await producer.close();
    }
  });

  it('answers an offset past the log end with OFFSET_OUT_OF_RANGE at once', async () => {
    const topic = uniqueName('out-of-range');
    await produce({ topic, values: ['only'] });
    const fetched = await fetch(topic, [{ partition: 0, fetchOffset: 99, maxBytes: 1 << 20 }], {
      maxWaitTime: 20_000,
    });
    expect(fetched.responses[0].partitions[0].errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
  });

  it('returns the first batch whole even above the byte limits, then enforces them (KIP-74)', async () => {
    const topic = uniqueName('kip74');
    const big = 'y'.repeat(3000);
    await call(
      ApiKey.CreateTopics,
      3,
      await kafkajsRequestBytes('createTopics', 3, {
        topics: [{ topic, numPartitions: 2 }],
        timeout: 1000,
      }),
    );
    await produce({ topic, partition: 0, values: [big] });
    await produce({ topic, partition: 0, values: [big] });
    await produce({ topic, partition: 1, values: [big] });
    const fetched = await fetch(
      topic,
      [
        { partition: 0, fetchOffset: 0, maxBytes: 100 },
        { partition: 1, fetchOffset: 0, maxBytes: 100 },
      ],
      { maxWaitTime: 0, maxBytes: 100 },
    );
    const [first, second] = fetched.responses[0].partitions;
    expect(first.messages.map((m) => m.offset)).toEqual(['0']);
    expect(second).toMatchObject({ partition: 1, errorCode: 0, highWatermark: '1', messages: [] });
  });

  it('lists the earliest, latest and by-timestamp offsets', async () => {
    const topic = uniqueName('list-offsets');
    await produce({ topic, values: ['a'], timestamp: 1_000 });
    await produce({ topic, values: ['b'], timestamp: 2_000 });
    const lookUp = async (timestamp: number): Promise<number> => {
      const body = await kafkajsRequestBytes('listOffsets', 3, {
        replicaId: -1,
        isolationLevel: 1,
        topics: [{ topic, partitions: [{ partition: 0, timestamp }] }],
      });
      const reader = new Reader(await call(ApiKey.ListOffsets, 3, body));
      reader.int32();
      return reader.array((t) => {
        t.string();
        return t.array((p) => {
          p.int32();
          p.int16();
          p.int64();
          return p.int64();
        })[0];
      })[0];
    };
    await expect(lookUp(-2)).resolves.toBe(0);
    await expect(lookUp(-1)).resolves.toBe(2);
    await expect(lookUp(500)).resolves.toBe(0);
    await expect(lookUp(1_500)).resolves.toBe(1);
    await expect(lookUp(2_001)).resolves.toBe(-1);
  });

  it('advertises every implemented API with the documented ranges', async () => {
    const reader = new Reader(await call(ApiKey.ApiVersions, 2, Buffer.alloc(0)));
    expect(reader.int16()).toBe(0);
    const ranges = reader.array((r) => [r.int16(), r.int16(), r.int16()]);
    expect(ranges).toEqual(
      expect.arrayContaining([
        [0, 3, 7],
        [1, 4, 11],
        [2, 0, 3],
        [3, 0, 6],
        [8, 0, 7],
        [9, 0, 5],
        [10, 0, 2],
        [11, 0, 5],
        [12, 0, 3],
        [13, 0, 3],
        [14, 0, 3],
        [18, 0, 3],
        [19, 0, 4],
        [21, 0, 1],
        [22, 0, 1],
        [32, 0, 3],
        [33, 0, 1],
        [44, 0, 0],
      ]),
    );
  });

  it('answers ApiVersions v3 (flexible, as librdkafka sends it first)', async () => {
    const body = new Writer()
      .compactString('librdkafka')
      .compactString('2.0.2')
      .emptyTaggedFields();
    const id = ++correlationId;
    // Header v2: client id as a classic string, then an (empty) tagged-field section.
    const frame = new Writer().int16(ApiKey.ApiVersions).int16(3).int32(id).string('rdkafka');
    client.sendFrame(frame.emptyTaggedFields().raw(body.toBuffer()).toBuffer());
    const response = await client.response();
    expect(response.correlationId).toBe(id);
    const reader = new Reader(response.body);
    expect(reader.int16()).toBe(0);
    const keys = reader.compactArray((r) => {
      const entry = [r.int16(), r.int16(), r.int16()];
      r.taggedFields();
      return entry;
    });
    expect(keys).toContainEqual([ApiKey.FindCoordinator, 0, 2]);
    expect(reader.int32()).toBe(0);
    reader.taggedFields();
    expect(reader.remaining).toBe(0);
  });
});
