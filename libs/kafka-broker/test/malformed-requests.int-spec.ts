import type { Admin } from 'kafkajs';
import { uniqueName } from '@tracker/testing';
import {
  kafkajsDecode,
  kafkajsFrame,
  produceFrame,
  recordBatchOffset,
} from '../src/testing/kafkajs-wire';
import { BatchField } from '../src/storage/record-batch';
import { RawConnection, sizePrefixed } from '../src/testing/raw-connection';
import { useTestBroker } from '../src/testing/use-test-broker';

const MAX_REQUEST_BYTES = 64 * 1024;
const CORRUPT_MESSAGE = 2;
const UNSUPPORTED_VERSION = 35;
const INVALID_RECORD = 87;
const API_VERSIONS = 18;

interface ProduceResponse {
  topics: { topicName: string; partitions: { partition: number; errorCode: number }[] }[];
}

/** ApiVersions v0 body: error_code, then [api_key, min, max]. Read by hand: kafkajs throws on 35. */
function decodeApiVersionsV0(body: Buffer): { errorCode: number; keys: number[][] } {
  const count = body.readInt32BE(2);
  const keys = Array.from({ length: count }, (_, i) =>
    [0, 2, 4].map((at) => body.readInt16BE(6 + i * 6 + at)),
  );
  return { errorCode: body.readInt16BE(0), keys };
}

describe('bad input on the wire', () => {
  const suite = useTestBroker({ maxRequestBytes: MAX_REQUEST_BYTES });
  let admin: Admin;
  const connections: RawConnection[] = [];

  const open = async (): Promise<RawConnection> => {
    const connection = await RawConnection.open(suite.broker.port);
    connections.push(connection);
    return connection;
  };

  /** The broker still answers a well-formed request on a fresh connection. */
  const expectServing = async (): Promise<void> => {
    const connection = await open();
    connection.write(await kafkajsFrame('apiVersions', 0, {}, { correlationId: 99 }));
    await expect(connection.response()).resolves.toMatchObject({ correlationId: 99 });
  };

  /** A topic made through the admin API, so that nothing but the bad produce touches it. */
  const createTopic = async (prefix: string): Promise<string> => {
    const topic = uniqueName(prefix);
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    return topic;
  };

  const expectEmpty = async (topic: string): Promise<void> => {
    await expect(admin.fetchTopicOffsets(topic)).resolves.toEqual([
      { partition: 0, offset: '0', high: '0', low: '0' },
    ]);
  };

  beforeAll(async () => {
    admin = suite.kit.admin();
    await admin.connect();
  });

  afterEach(async () => {
    await Promise.all(connections.splice(0).map((connection) => connection.close()));
  });

  it('closes a connection whose size prefix exceeds maxRequestBytes, before any body', async () => {
    const connection = await open();
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(MAX_REQUEST_BYTES + 1, 0);
    connection.write(prefix);
    await connection.closedByBroker();
    expect(connection.pending).toBe(0);
    await expectServing();
  });

  it('accepts a request right up to maxRequestBytes', async () => {
    const topic = uniqueName('fuzz-limit');
    const probe = await produceFrame(topic, [{ value: '' }]);
    const value = 'x'.repeat(MAX_REQUEST_BYTES - (probe.length - 4) - 8);
    const frame = await produceFrame(topic, [{ value }]);
    expect(frame.length - 4).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
    expect(frame.length - 4).toBeGreaterThan(MAX_REQUEST_BYTES - 16);

    const connection = await open();
    connection.write(frame);
    const { body } = await connection.response();
    const decoded = await kafkajsDecode<ProduceResponse>('produce', 7, body);
    expect(decoded.topics[0].partitions[0].errorCode).toBe(0);
  });

  it.each([
    ['negative', -1],
    ['zero', 0],
    ['shorter than a request header', 3],
  ])('closes a connection on a %s size prefix', async (_, size) => {
    const connection = await open();
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(size, 0);
    connection.write(prefix);
    await connection.closedByBroker();
    await expectServing();
  });

  it('closes a connection whose request body is cut short', async () => {
    const frame = await kafkajsFrame('metadata', 6, { topics: ['a-topic', 'another-topic'] });
    const connection = await open();
    connection.write(sizePrefixed(frame.subarray(4, frame.length - 9)));
    await connection.closedByBroker();
    expect(connection.pending).toBe(0);
    await expectServing();
  });

  it('answers a frame that arrives one byte at a time', async () => {
    const frame = await kafkajsFrame('apiVersions', 2, {}, { correlationId: 41 });
    const connection = await open();
    for (const byte of frame) connection.write(Buffer.from([byte]));
    await expect(connection.response()).resolves.toMatchObject({ correlationId: 41 });
  });

  it.each([
    ['LeaderAndIsr (a broker-to-broker API)', 4, 0],
    ['key 1000', 1000, 0],
    ['key -1', -1, 0],
  ])('closes a connection on unknown API %s', async (_, apiKey, version) => {
    const connection = await open();
    connection.request(apiKey, version, 7, Buffer.alloc(0));
    await connection.closedByBroker();
    expect(connection.pending).toBe(0);
  });

  it.each([
    ['Produce v2 (legacy message sets)', 0, 2],
    ['Fetch v12 (flexible)', 1, 12],
    ['Metadata v99', 3, 99],
    ['JoinGroup v-1', 11, -1],
  ])('closes a connection on unsupported version %s', async (_, apiKey, version) => {
    const connection = await open();
    connection.request(apiKey, version, 7, Buffer.alloc(32));
    await connection.closedByBroker();
    expect(connection.pending).toBe(0);
  });

  it('answers a too-new ApiVersions with UNSUPPORTED_VERSION and keeps the connection', async () => {
    const connection = await open();
    connection.request(API_VERSIONS, 99, 7, Buffer.from([0x00, 0xff, 0xfe]));
    const refused = decodeApiVersionsV0((await connection.response()).body);
    expect(refused.errorCode).toBe(UNSUPPORTED_VERSION);
    expect(refused.keys).toEqual([[API_VERSIONS, 0, expect.any(Number)]]);

    connection.write(await kafkajsFrame('apiVersions', 0, {}, { correlationId: 2 }));
    const accepted = decodeApiVersionsV0((await connection.response()).body);
    expect(accepted.errorCode).toBe(0);
    expect(accepted.keys.length).toBeGreaterThan(10);
  });

  it('refuses a record batch with a wrong CRC with CORRUPT_MESSAGE and stores nothing', async () => {
    const topic = await createTopic('fuzz-crc');
    const frame = await produceFrame(topic, [{ key: 'k', value: 'value' }]);
    frame[recordBatchOffset(frame, topic) + BatchField.crc] ^= 0xff;

    const partition = await produceAndDecode(await open(), frame);
    expect(partition.errorCode).toBe(CORRUPT_MESSAGE);
    await expectEmpty(topic);
  });

  it('refuses a record batch that is not magic 2', async () => {
    const topic = await createTopic('fuzz-magic');
    const frame = await produceFrame(topic, [{ key: 'k', value: 'value' }]);
    frame[recordBatchOffset(frame, topic) + BatchField.magic] = 1;

    const partition = await produceAndDecode(await open(), frame);
    expect([CORRUPT_MESSAGE, INVALID_RECORD]).toContain(partition.errorCode);
    await expectEmpty(topic);
  });
});

async function produceAndDecode(
  connection: RawConnection,
  frame: Buffer,
): Promise<{ partition: number; errorCode: number }> {
  connection.write(frame);
  const { body } = await connection.response();
  const decoded = await kafkajsDecode<ProduceResponse>('produce', 7, body);
  return decoded.topics[0].partitions[0];
}
