import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, uniqueName, waitFor } from '@tracker/testing';
import { BrokerProcess } from '../src/testing/broker-process';
import { SeededRandom } from '@tracker/runtime';
import { everyKafkajsRequest, fuzzInput } from '../src/testing/fuzz-mutations';
import { KafkaTestKit } from '../src/testing/kafka-test-kit';
import {
  kafkajsDecode,
  kafkajsFrame,
  produceFrame,
  recordBatchOffset,
} from '../src/testing/kafkajs-wire';
import { MessageCollector } from '../src/testing/message-collector';
import { RawConnection } from '../src/testing/raw-connection';
import { resealRecordBatch } from '../src/testing/record-batch.builder';
import { BatchField } from '../src/storage/record-batch';

/** Override to explore: FUZZ_SEED=<n> FUZZ_MS=<ms> npx jest …/fuzz.int-spec.ts */
const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const FUZZ_MS = Number(process.env.FUZZ_MS ?? 3000);
const FUZZ_CONNECTIONS = 4;
const INVALID_PARTITIONS = 37;
const INT32_MAX = 2 ** 31 - 1;

const CORRUPT_MESSAGE = 2;
const INVALID_RECORD = 87;

interface ProduceResponse {
  topics: { partitions: { errorCode: number }[] }[];
}

interface ListOffsetsResponse {
  responses: { partitions: { errorCode: number; offset: string }[] }[];
}

/**
 * A Produce frame whose one batch claims 2^31-1 records (offsets consistent, CRC valid) while
 * its first record says its length is -1: a reader that trusts the length steps backwards onto
 * the same record forever. Timestamps make a lookup of `base + 500` land inside the batch.
 */
async function batchOfGarbageRecords(topic: string, base: number): Promise<Buffer> {
  const frame = await produceFrame(topic, [{ value: 'a record', timestamp: base }]);
  const at = recordBatchOffset(frame, topic);
  frame.writeInt32BE(INT32_MAX - 1, at + BatchField.lastOffsetDelta);
  frame.writeInt32BE(INT32_MAX, at + BatchField.recordCount);
  frame.writeBigInt64BE(BigInt(base + 1000), at + BatchField.maxTimestamp);
  // length -1 (zig-zag 0x01), attributes, timestamp delta 0, offset delta 0
  Buffer.from([0x01, 0x00, 0x00, 0x00]).copy(frame, at + BatchField.records);
  resealRecordBatch(frame, at);
  return frame;
}

interface TopicErrors {
  topicErrors: { topic: string; errorCode: number }[];
}

/**
 * The broker runs as its own process here: a crash kills it (and shows as such) instead of
 * taking the test runner with it, and a hang is cut short by SIGKILL when the suite stops it.
 */
describe('the broker process under hostile input', () => {
  let dataDir: string;
  let port: number;
  let broker: BrokerProcess;
  let kit: KafkaTestKit;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kafka-broker-fuzz-'));
    port = await freePort();
    broker = await BrokerProcess.start({
      port,
      dataDir,
      args: ['--log-level', 'warn', '--fsync', 'never'],
    });
    kit = new KafkaTestKit([`127.0.0.1:${port}`]);
  });

  // Clients go first: kafkajs clients whose broker vanished under them keep reconnect timers
  // alive and hold the test run open.
  afterEach(async () => {
    try {
      await kit?.disconnectAll();
      await broker?.stop(3000);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  /** One request on a connection of its own, answered within `timeoutMs`. */
  async function exchange(what: string, frame: Buffer, timeoutMs = 5000): Promise<Buffer> {
    const connection = await RawConnection.open(port);
    try {
      connection.write(frame);
      return (await waitFor(`the ${what} answer`, connection.response(), { timeoutMs })).body;
    } finally {
      await connection.close();
    }
  }

  /** Creating a normal topic still works (and does not queue behind anything). */
  async function expectTopicsStillCreated(): Promise<void> {
    const admin = kit.admin();
    await admin.connect();
    const topic = uniqueName('after');
    await expect(
      waitFor('creating a topic', admin.createTopics({ topics: [{ topic }] }), { timeoutMs: 5000 }),
    ).resolves.toBe(true);
  }

  it('refuses a CreateTopics for 2^31-1 partitions at once and keeps creating topics', async () => {
    const frame = await kafkajsFrame('createTopics', 3, {
      topics: [{ topic: uniqueName('huge'), numPartitions: INT32_MAX }],
      timeout: 1000,
    });
    const body = await exchange('CreateTopics', frame);
    const { topicErrors } = await kafkajsDecode<TopicErrors>('createTopics', 3, body);
    expect(topicErrors[0].errorCode).toBe(INVALID_PARTITIONS);
    await expectTopicsStillCreated();
  });

  it('refuses a CreatePartitions to 2^31-1 partitions at once and keeps creating topics', async () => {
    const topic = uniqueName('grown');
    const admin = kit.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic }] });
    const frame = await kafkajsFrame('createPartitions', 1, {
      topicPartitions: [{ topic, count: INT32_MAX }],
      timeout: 1000,
    });
    const body = await exchange('CreatePartitions', frame);
    const { topicErrors } = await kafkajsDecode<TopicErrors>('createPartitions', 1, body);
    expect(topicErrors[0].errorCode).toBe(INVALID_PARTITIONS);
    await expectTopicsStillCreated();
  });

  it('refuses or safely serves a batch whose records are garbage, and answers lookups at once', async () => {
    const topic = uniqueName('garbage');
    const base = Date.now() - 60_000;
    const produced = await kafkajsDecode<ProduceResponse>(
      'produce',
      7,
      await exchange('Produce', await batchOfGarbageRecords(topic, base)),
    );
    const produceError = produced.topics[0].partitions[0].errorCode;
    expect([0, CORRUPT_MESSAGE, INVALID_RECORD]).toContain(produceError);

    const lookup = await kafkajsFrame('listOffsets', 3, {
      replicaId: -1,
      isolationLevel: 1,
      topics: [{ topic, partitions: [{ partition: 0, timestamp: base + 500 }] }],
    });
    const body = await exchange('ListOffsets by timestamp', lookup, 2000);
    const answer = await kafkajsDecode<ListOffsetsResponse>('listOffsets', 3, body);
    expect(answer.responses[0].partitions).toHaveLength(1);
    await expectTopicsStillCreated();
  });

  it(`stays up and responsive through ${FUZZ_MS} ms of fuzz (seed ${FUZZ_SEED}), then serves kafkajs`, async () => {
    const seeds = await everyKafkajsRequest(uniqueName('fuzz'), uniqueName('fuzz-group'));
    const recent: string[] = [];
    const deadline = Date.now() + FUZZ_MS;
    let sent = 0;

    /** Each attacker has its own PRNG, so its inputs depend on the seed alone, not on timing. */
    const attack = async (attacker: number): Promise<void> => {
      const rng = new SeededRandom(FUZZ_SEED + attacker);
      while (Date.now() < deadline && broker.alive) {
        const inputs = Array.from({ length: rng.int(1, 4) }, () => fuzzInput(seeds, rng));
        const connection = await RawConnection.open(port);
        for (const { bytes, how } of inputs) {
          connection.write(bytes);
          recent.push(`attacker ${attacker} ${how}: ${bytes.subarray(0, 96).toString('hex')}`);
        }
        recent.splice(0, recent.length - 20);
        connection.end();
        await connection.closedByBroker(1000).catch(() => undefined);
        await connection.close();
        sent += inputs.length;
      }
    };
    const [slowestAnswerMs] = await Promise.all([
      probeLatency(port, deadline),
      ...Array.from({ length: FUZZ_CONNECTIONS }, (_, attacker) => attack(attacker)),
    ]);

    const context = `after ${sent} inputs; last ones:\n${recent.join('\n')}\nbroker log:\n${broker.logLines.slice(-20).join('\n')}`;
    if (!broker.alive)
      throw new Error(`broker died (${broker.exitStatus}) ${context}\n${broker.errorOutput}`);
    expect(sent).toBeGreaterThan(500);
    expect(slowestAnswerMs).toBeLessThan(1000);
    expect(broker.errorLogLines).toEqual([]);
    await waitFor('a kafkajs round trip after the fuzz', expectRoundTrip(kit), {
      timeoutMs: 20_000,
    }).catch((error: Error) => {
      throw new Error(`${error.message} ${context}`);
    });
  });
});

/**
 * Sends ApiVersions back to back on one connection of its own until the deadline and returns
 * the slowest answer in ms: a broker that stalls on some input shows up here.
 */
async function probeLatency(port: number, deadline: number): Promise<number> {
  const connection = await RawConnection.open(port);
  const frame = await kafkajsFrame('apiVersions', 0, {}, { correlationId: 5 });
  let slowest = 0;
  try {
    while (Date.now() < deadline) {
      const started = Date.now();
      connection.write(frame);
      await connection.response(2000);
      slowest = Math.max(slowest, Date.now() - started);
    }
  } finally {
    await connection.close();
  }
  return slowest;
}

async function expectRoundTrip(kit: KafkaTestKit): Promise<void> {
  const topic = uniqueName('after-fuzz');
  const producer = kit.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ key: 'k', value: 'still alive' }] });
  const collector = new MessageCollector();
  const consumer = kit.consumer({ groupId: uniqueName('after-fuzz') });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachMessage: collector.eachMessage });
  await expect(collector.waitForValue('still alive')).resolves.toMatchObject({ key: 'k' });
}
