import { CompressionTypes, type KafkaMessage, type Producer } from 'kafkajs';
import { uniqueName, waitFor } from '@tracker/testing';
import { useTestBroker } from '../testing/use-test-broker';

describe('producing and consuming through the embedded broker with kafkajs', () => {
  const suite = useTestBroker();
  let producer: Producer;

  beforeAll(async () => {
    producer = suite.kit.producer({ allowAutoTopicCreation: true });
    await producer.connect();
  });

  /** Consumes `topic` from the beginning in a fresh group until `count` messages arrived. */
  async function consume(topic: string, count: number): Promise<KafkaMessage[]> {
    const consumer = suite.kit.consumer({ groupId: uniqueName('g'), maxWaitTimeInMs: 200 });
    const received: KafkaMessage[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(message) });
    await waitFor(`${count} messages on ${topic}`, () => received.length >= count);
    return received;
  }

  it('round-trips keys, values and headers in order, on an auto-created topic', async () => {
    const topic = uniqueName('round-trip');
    await producer.send({
      topic,
      messages: [
        {
          key: 'k1',
          value: 'first',
          headers: { trace: 'abc', 'content-type': 'application/json' },
        },
        { key: null, value: 'second' },
        { key: 'k3', value: null },
      ],
    });
    const messages = await consume(topic, 3);
    expect(
      messages.map((m) => [m.offset, m.key?.toString() ?? null, m.value?.toString() ?? null]),
    ).toEqual([
      ['0', 'k1', 'first'],
      ['1', null, 'second'],
      ['2', 'k3', null],
    ]);
    expect(messages[0].headers?.trace?.toString()).toBe('abc');
    expect(messages[0].headers?.['content-type']?.toString()).toBe('application/json');
  });

  it.each([0, 1, -1])('stores messages sent with acks=%i', async (acks) => {
    const topic = uniqueName(`acks${acks}`);
    for (let i = 0; i < 3; i++)
      await producer.send({ topic, acks, messages: [{ value: `m${i}` }] });
    const messages = await consume(topic, 3);
    expect(messages.map((m) => m.value?.toString())).toEqual(['m0', 'm1', 'm2']);
  });

  it('stores gzip batches as produced and serves them back decompressed by the client', async () => {
    const topic = uniqueName('gzip');
    const values = Array.from({ length: 50 }, (_, i) => `compressible payload ${i} `.repeat(10));
    await producer.send({
      topic,
      compression: CompressionTypes.GZIP,
      messages: values.map((value, i) => ({ key: `k${i}`, value })),
    });
    const messages = await consume(topic, 50);
    expect(messages.map((m) => m.value?.toString())).toEqual(values);
  });

  it('gives an idempotent producer an id and stores each of its batches once', async () => {
    const topic = uniqueName('idempotent');
    const idempotent = suite.kit.producer({ idempotent: true });
    await idempotent.connect();
    for (let i = 0; i < 5; i++) {
      await idempotent.send({
        topic,
        acks: -1,
        messages: [{ value: `i${i}` }, { value: `j${i}` }],
      });
    }
    await suite.kit.disconnect(idempotent);
    const messages = await consume(topic, 10);
    expect(messages.map((m) => m.value?.toString())).toEqual(
      [0, 1, 2, 3, 4].flatMap((i) => [`i${i}`, `j${i}`]),
    );
  });

  it('refuses a transactional producer at once instead of letting it retry', async () => {
    // kafkajs's default retry would take ~10 s to give up on a retriable coordinator error.
    const transactional = suite.kit.producer({
      transactionalId: uniqueName('tx'),
      maxInFlightRequests: 1,
      retry: { initialRetryTime: 300, retries: 5 },
    });
    await transactional.connect();
    const started = Date.now();
    await expect(transactional.transaction()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
