import { uniqueName } from '@tracker/testing';
import { kcat, KcatProcess } from '../src/testing/kcat';
import { useTestBroker } from '../src/testing/use-test-broker';

const MESSAGES = 1000;

interface KcatMetadata {
  brokers: { id: number; name: string }[];
  topics: { topic: string; partitions: { partition: number; leader: number }[] }[];
}

function keyedLines(count: number): string {
  return Array.from({ length: count }, (_, n) => `key-${n}:value-${n}\n`).join('');
}

describe('kcat (librdkafka 2.0.2)', () => {
  const suite = useTestBroker({ defaultPartitions: 1 });
  let address: string;
  const running: KcatProcess[] = [];

  beforeAll(() => {
    address = suite.broker.brokers[0];
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((child) => child.stop()));
  });

  it('lists the broker and its topics', async () => {
    const topic = uniqueName('kcat-list');
    const admin = suite.kit.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });

    const { stdout } = await kcat(['-b', address, '-L', '-J']);
    const metadata = JSON.parse(stdout) as KcatMetadata;
    expect(metadata.brokers).toEqual([expect.objectContaining({ name: address })]);
    const listed = metadata.topics.find((t) => t.topic === topic);
    expect(listed?.partitions.map((p) => p.partition).sort()).toEqual([0, 1, 2]);
    expect(listed?.partitions.every((p) => p.leader === metadata.brokers[0].id)).toBe(true);
  });

  it('consumes back 1000 keyed messages it produced, at offsets 0..999 in order', async () => {
    const topic = uniqueName('kcat-roundtrip');
    await kcat(['-b', address, '-t', topic, '-P', '-K:'], keyedLines(MESSAGES));

    const { stdout } = await kcat([
      '-b',
      address,
      '-t',
      topic,
      '-C',
      '-o',
      'beginning',
      '-e',
      '-f',
      '%k %o %s\\n',
    ]);
    const expected = Array.from({ length: MESSAGES }, (_, n) => `key-${n} ${n} value-${n}`);
    expect(stdout.split('\n').slice(0, -1)).toEqual(expected);
  });

  it('consumes every message as a balanced consumer group and commits its offsets', async () => {
    const topic = uniqueName('kcat-group');
    const groupId = uniqueName('kcat-group');
    const admin = suite.kit.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    await kcat(['-b', address, '-t', topic, '-P', '-K:'], keyedLines(MESSAGES));

    const consumer = KcatProcess.start([
      '-b',
      address,
      '-G',
      groupId,
      '-u',
      '-X',
      'auto.offset.reset=earliest',
      '-f',
      '%k %p %o %s\\n',
      topic,
    ]);
    running.push(consumer);
    const lines = await consumer.waitForLines(MESSAGES, 30_000);
    await consumer.stop();

    const keys = lines.map((line) => line.split(' ')[0]).sort();
    expect(new Set(keys).size).toBe(MESSAGES);
    expect(lines).toHaveLength(MESSAGES);
    const partitions = new Set(lines.map((line) => line.split(' ')[1]));
    expect(partitions.size).toBe(3);

    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const high = await admin.fetchTopicOffsets(topic);
    expect(committed.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual(
      high.map((p) => [p.partition, p.high]).sort(),
    );
  });
});
