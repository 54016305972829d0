import type { Admin } from 'kafkajs';
import { uniqueName } from '@tracker/testing';
import { kcat } from '../src/testing/kcat';
import { useTestBroker } from '../src/testing/use-test-broker';

interface KcatMetadata {
  brokers: { id: number; name: string }[];
}

/** kcat's consumer, from the beginning to the end of partition 0, one `format` line a record. */
function consumeAll(address: string, topic: string, format: string, extra: string[] = []) {
  const args = ['-b', address, ...extra, '-t', topic, '-p', '0', '-C', '-o', 'beginning', '-e'];
  return kcat([...args, '-f', format]);
}

const lines = (stdout: string): string[] => stdout.split('\n').slice(0, -1);

describe('kcat (librdkafka 2.0.2) on topic configs and DeleteRecords', () => {
  const suite = useTestBroker();
  let address: string;
  let admin: Admin;

  beforeAll(async () => {
    address = suite.broker.brokers[0];
    admin = suite.kit.admin();
    await admin.connect();
  });

  async function createTopic(configs: Record<string, string> = {}): Promise<string> {
    const topic = uniqueName('kcat-admin');
    const configEntries = Object.entries(configs).map(([name, value]) => ({ name, value }));
    await admin.createTopics({ topics: [{ topic, configEntries }] });
    await admin.fetchTopicMetadata({ topics: [topic] });
    return topic;
  }

  it('starts a consumer from the beginning at the log start DeleteRecords moved', async () => {
    const topic = await createTopic();
    await kcat(['-b', address, '-t', topic, '-P'], 'a\nb\nc\nd\ne\n');

    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '3' }] });

    const { stdout } = await consumeAll(address, topic, '%o %s\\n');
    expect(lines(stdout)).toEqual(['3 d', '4 e']);
  });

  it('reads the append time of a LogAppendTime topic, not the producer timestamp', async () => {
    const topic = await createTopic({ 'message.timestamp.type': 'LogAppendTime' });
    const producer = suite.kit.producer();
    await producer.connect();
    const before = Date.now();
    await producer.send({ topic, messages: [{ value: 'stamped', timestamp: '1000' }] });

    const { stdout } = await consumeAll(address, topic, '%T %s\\n');

    const [timestamp, value] = lines(stdout)[0].split(' ');
    expect(value).toBe('stamped');
    expect(Number(timestamp)).toBeGreaterThanOrEqual(before);
  });

  it("reports a message above the topic's max.message.bytes as too large", async () => {
    const topic = await createTopic({ 'max.message.bytes': '200' });

    await expect(
      kcat(
        ['-b', address, '-t', topic, '-P', '-X', 'message.send.max.retries=0'],
        `${'x'.repeat(500)}\n`,
      ),
    ).rejects.toThrow(/Message size too large/i);
  });
});

describe('kcat against a broker advertising localhost (--advertised-host)', () => {
  const suite = useTestBroker({ advertisedHost: 'localhost' });
  /** localhost may resolve to ::1 first; the broker listens on 127.0.0.1 only. */
  const ipv4 = ['-X', 'broker.address.family=v4'];

  it('lists the broker under the advertised name and works through it', async () => {
    const seed = `127.0.0.1:${suite.broker.port}`;
    const topic = uniqueName('kcat-localhost');

    const { stdout } = await kcat(['-b', seed, ...ipv4, '-L', '-J']);
    const metadata = JSON.parse(stdout) as KcatMetadata;
    expect(metadata.brokers).toEqual([
      expect.objectContaining({ name: `localhost:${suite.broker.port}` }),
    ]);
    await kcat(['-b', seed, ...ipv4, '-t', topic, '-P'], 'through localhost\n');
    const consumed = await consumeAll(seed, topic, '%s\\n', ipv4);
    expect(lines(consumed.stdout)).toEqual(['through localhost']);
  });
});
