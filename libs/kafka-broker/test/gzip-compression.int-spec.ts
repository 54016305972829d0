import { CompressionTypes } from 'kafkajs';
import { uniqueName } from '@tracker/testing';
import { MessageCollector } from '../src/testing/message-collector';
import { useTestBroker } from '../src/testing/use-test-broker';

describe('gzip-compressed batches', () => {
  const suite = useTestBroker({ defaultPartitions: 1 });

  it('round-trips keys, values and headers of gzip batches unchanged', async () => {
    const topic = uniqueName('gzip');
    const producer = suite.kit.producer();
    await producer.connect();
    const messages = Array.from({ length: 300 }, (_, i) => ({
      key: `key-${i % 7}`,
      value: JSON.stringify({ seq: i, filler: 'compressible '.repeat(1 + (i % 50)) }),
      headers: { 'content-type': 'application/json', seq: `${i}` },
    }));
    for (let start = 0; start < messages.length; start += 100) {
      await producer.send({
        topic,
        compression: CompressionTypes.GZIP,
        messages: messages.slice(start, start + 100),
      });
    }

    const collector = new MessageCollector();
    const consumer = suite.kit.consumer({ groupId: uniqueName('gzip-group') });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: collector.eachMessage });
    await collector.waitForCount(messages.length);

    const received = collector.messages.map(({ key, value, headers, offset }) => ({
      offset,
      key,
      value,
      headers: Object.fromEntries(
        Object.entries(headers).map(([name, header]) => [name, String(header)]),
      ),
    }));
    expect(received).toEqual(messages.map((message, offset) => ({ offset, ...message })));
  });
});
