import { ConfigResourceTypes, type Admin, type ConfigEntries } from 'kafkajs';
import { uniqueName, waitFor } from '@tracker/testing';
import { ApiKey } from '../src/protocol/api-keys';
import { Reader } from '../src/protocol/reader';
import { Writer } from '../src/protocol/writer';
import { TOPIC_CONFIGS } from '../src/storage';
import { kafkajsFrame, kafkajsParse } from '../src/testing/kafkajs-wire';
import { RawConnection } from '../src/testing/raw-connection';
import { MessageCollector } from '../src/testing/message-collector';
import { useTestBroker } from '../src/testing/use-test-broker';

const HOUR = 3600 * 1000;
/** kafkajs's ConfigSource numbers (Kafka's DescribeConfigsResponse.ConfigSource). */
const TOPIC_CONFIG = 1;
const STATIC_BROKER_CONFIG = 4;
const DEFAULT_CONFIG = 5;
const RETENTION_CHECK_MS = 100;

describe('topic configs through the kafkajs admin client', () => {
  const suite = useTestBroker({ retentionCheckIntervalMs: RETENTION_CHECK_MS });
  let admin: Admin;

  beforeAll(async () => {
    admin = suite.kit.admin();
    await admin.connect();
  });

  async function createTopic(configs: Record<string, string>): Promise<string> {
    const topic = uniqueName('configs');
    const configEntries = Object.entries(configs).map(([name, value]) => ({ name, value }));
    await expect(admin.createTopics({ topics: [{ topic, configEntries }] })).resolves.toBe(true);
    return topic;
  }

  async function describeTopic(topic: string): Promise<Map<string, ConfigEntries>> {
    const { resources } = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
      includeSynonyms: true,
    });
    return new Map(resources[0].configEntries.map((entry) => [entry.configName, entry]));
  }

  it('creates a topic with message.timestamp.difference.max.ms and describes where each value comes from', async () => {
    const topic = await createTopic({
      'message.timestamp.difference.max.ms': String(HOUR),
      'retention.ms': String(24 * HOUR),
    });

    const configs = await describeTopic(topic);

    expect(configs.size).toBe(TOPIC_CONFIGS.size);
    expect(configs.get('message.timestamp.difference.max.ms')).toMatchObject({
      configValue: String(HOUR),
      configSource: TOPIC_CONFIG,
      isDefault: false,
      readOnly: false,
    });
    // retentionMs and segmentBytes were not given to the broker: Kafka's defaults, not
    // STATIC_BROKER_CONFIG.
    expect(configs.get('retention.ms')?.configSynonyms).toEqual([
      { configName: 'retention.ms', configValue: String(24 * HOUR), configSource: TOPIC_CONFIG },
      { configName: 'log.retention.ms', configValue: '604800000', configSource: DEFAULT_CONFIG },
    ]);
    expect(configs.get('segment.bytes')).toMatchObject({
      configValue: String(1024 ** 3),
      configSource: DEFAULT_CONFIG,
      isDefault: true,
    });
    expect(configs.get('compression.type')).toMatchObject({
      configValue: 'producer',
      configSource: DEFAULT_CONFIG,
      isDefault: true,
    });
  });

  it('refuses a config Kafka does not know, a bad value and compaction with INVALID_CONFIG', async () => {
    for (const [name, value] of [
      ['no.such.config', '1'],
      ['retention.ms', 'a week'],
      ['cleanup.policy', 'compact'],
    ]) {
      await expect(
        admin.createTopics({
          topics: [{ topic: uniqueName('refused'), configEntries: [{ name, value }] }],
        }),
      ).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'INVALID_CONFIG' })] });
    }
  });

  it('accepts the topic configs it stores without enforcing them', async () => {
    const topic = await createTopic({ 'compression.type': 'zstd', 'min.insync.replicas': '2' });

    const configs = await describeTopic(topic);

    expect(configs.get('compression.type')?.configValue).toBe('zstd');
    expect(configs.get('min.insync.replicas')?.configValue).toBe('2');
  });

  it("alters a topic's configs and keeps them across a restart", async () => {
    const topic = await createTopic({ 'retention.ms': String(HOUR), 'segment.ms': String(HOUR) });

    const alter = (value: string, validateOnly: boolean) =>
      admin.alterConfigs({
        validateOnly,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configEntries: [{ name: 'retention.ms', value }],
          },
        ],
      });
    await expect(alter('soon', true)).rejects.toMatchObject({ type: 'INVALID_CONFIG' });
    await alter(String(3 * HOUR), true);
    expect((await describeTopic(topic)).get('retention.ms')?.configValue).toBe(String(HOUR));
    await alter(String(2 * HOUR), false);
    await suite.restartBroker();
    admin = suite.kit.admin();
    await admin.connect();

    const configs = await describeTopic(topic);
    expect(configs.get('retention.ms')).toMatchObject({
      configValue: String(2 * HOUR),
      configSource: TOPIC_CONFIG,
    });
    // AlterConfigs replaces the whole set: what it did not list is back to its default.
    expect(configs.get('segment.ms')).toMatchObject({ configSource: DEFAULT_CONFIG });
  });

  /** IncrementalAlterConfigs v0 on the wire: kafkajs has no client for it. */
  async function alterIncrementally(
    topic: string,
    changes: [name: string, operation: number, value: string | null][],
  ): Promise<{ errorCode: number; errorMessage: string | null }> {
    const body = new Writer().array([topic], (w, name) => {
      w.int8(ConfigResourceTypes.TOPIC).string(name);
      w.array(changes, (cw, [config, operation, value]) => {
        cw.string(config).int8(operation).nullableString(value);
      });
    });
    const connection = await RawConnection.open(suite.broker.port);
    try {
      connection.request(ApiKey.IncrementalAlterConfigs, 0, 1, body.boolean(false).toBuffer());
      const reader = new Reader((await connection.response()).body);
      reader.int32();
      return reader.array((r) => ({ errorCode: r.int16(), errorMessage: r.nullableString() }))[0];
    } finally {
      await connection.close();
    }
  }

  it('applies IncrementalAlterConfigs SET, DELETE, APPEND and SUBTRACT to a topic', async () => {
    const topic = await createTopic({ 'retention.ms': String(HOUR), 'segment.ms': String(HOUR) });
    const [SET, DELETE, APPEND, SUBTRACT] = [0, 1, 2, 3];

    await expect(
      alterIncrementally(topic, [
        ['retention.ms', SET, String(5 * HOUR)],
        ['segment.ms', DELETE, null],
        ['leader.replication.throttled.replicas', APPEND, '0:0,1:0'],
      ]),
    ).resolves.toEqual({ errorCode: 0, errorMessage: null });
    await alterIncrementally(topic, [['leader.replication.throttled.replicas', SUBTRACT, '0:0']]);

    const configs = await describeTopic(topic);
    expect(configs.get('retention.ms')?.configValue).toBe(String(5 * HOUR));
    expect(configs.get('segment.ms')?.configSource).toBe(DEFAULT_CONFIG);
    expect(configs.get('leader.replication.throttled.replicas')?.configValue).toBe('1:0');
    await expect(alterIncrementally(topic, [['retention.ms', APPEND, '1']])).resolves.toMatchObject(
      {
        errorCode: 40,
      },
    );
    await expect(alterIncrementally(topic, [['no.such.config', SET, '1']])).resolves.toMatchObject({
      errorCode: 40,
    });
  });

  it('answers DescribeConfigs v0 and AlterConfigs v0 as older clients send them', async () => {
    const topic = await createTopic({ 'retention.ms': String(HOUR) });
    const resource = { type: ConfigResourceTypes.TOPIC, name: topic };
    const connection = await RawConnection.open(suite.broker.port);
    try {
      const alter = {
        resources: [{ ...resource, configEntries: [{ name: 'segment.ms', value: '5000' }] }],
      };
      connection.write(await kafkajsFrame('alterConfigs', 0, alter, { correlationId: 1 }));
      await kafkajsParse('alterConfigs', 0, (await connection.response()).body);
      const describe = {
        resources: [{ ...resource, configNames: ['segment.ms', 'retention.ms'] }],
      };
      connection.write(await kafkajsFrame('describeConfigs', 0, describe, { correlationId: 2 }));
      const described = await kafkajsParse<{ resources: { configEntries: ConfigEntries[] }[] }>(
        'describeConfigs',
        0,
        (await connection.response()).body,
      );
      // AlterConfigs replaced the overrides: retention.ms is back to Kafka's default, which the
      // broker was not given either, so v0 reports it as default.
      expect(
        described.resources[0].configEntries.map((e) => [e.configName, e.configValue, e.isDefault]),
      ).toEqual([
        ['retention.ms', '604800000', true],
        ['segment.ms', '5000', false],
      ]);
    } finally {
      await connection.close();
    }
  });

  it('describes the broker read-only, with the values it runs with', async () => {
    const { resources } = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.BROKER, name: '0' }],
      includeSynonyms: false,
    });
    const configs = new Map(resources[0].configEntries.map((e) => [e.configName, e]));

    expect(configs.get('advertised.listeners')?.configValue).toBe(
      `PLAINTEXT://${suite.broker.brokers[0]}`,
    );
    expect(configs.get('log.retention.check.interval.ms')?.configValue).toBe(
      String(RETENTION_CHECK_MS),
    );
    expect(configs.get('message.max.bytes')?.configValue).toBe('1048588');
    expect(configs.get('auto.create.topics.enable')?.configValue).toBe('true');
    expect([...configs.values()].every((entry) => entry.readOnly)).toBe(true);
    // Only options the broker was given are STATIC_BROKER_CONFIG; the rest are Kafka's
    // DEFAULT_CONFIG, which kafkajs also reports as isDefault.
    expect(configs.get('log.retention.check.interval.ms')).toMatchObject({
      configSource: STATIC_BROKER_CONFIG,
      isDefault: false,
    });
    for (const name of ['message.max.bytes', 'auto.create.topics.enable', 'num.partitions']) {
      expect(configs.get(name)).toMatchObject({ configSource: DEFAULT_CONFIG, isDefault: true });
    }
    await expect(
      admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.BROKER,
            name: '0',
            configEntries: [{ name: 'num.partitions', value: '3' }],
          },
        ],
      }),
    ).rejects.toMatchObject({ type: 'INVALID_REQUEST' });
  });

  it('refuses batches above max.message.bytes', async () => {
    const topic = await createTopic({ 'max.message.bytes': '200' });
    const producer = suite.kit.producer();
    await producer.connect();

    await expect(
      producer.send({ topic, messages: [{ value: 'x'.repeat(500) }] }),
    ).rejects.toMatchObject({ type: 'MESSAGE_TOO_LARGE' });
    await producer.send({ topic, messages: [{ value: 'small' }] });
  });

  it('refuses CreateTime timestamps outside the allowed distance from the broker clock', async () => {
    const topic = await createTopic({
      'message.timestamp.before.max.ms': String(HOUR),
      'message.timestamp.after.max.ms': String(HOUR),
    });
    const producer = suite.kit.producer();
    await producer.connect();
    const at = (offset: number) => String(Date.now() + offset);

    for (const timestamp of [at(-2 * HOUR), at(2 * HOUR)]) {
      await expect(
        producer.send({ topic, messages: [{ value: 'off the clock', timestamp }] }),
      ).rejects.toMatchObject({ type: 'INVALID_TIMESTAMP' });
    }
    await producer.send({ topic, messages: [{ value: 'on time', timestamp: at(-HOUR / 2) }] });
  });

  it('gives every record of a LogAppendTime topic the time the broker appended it', async () => {
    const topic = await createTopic({ 'message.timestamp.type': 'LogAppendTime' });
    const producer = suite.kit.producer();
    await producer.connect();
    const before = Date.now();

    const [sent] = await producer.send({ topic, messages: [{ value: 'old', timestamp: '1000' }] });
    const consumer = suite.kit.consumer({ groupId: uniqueName('log-append-time') });
    const collector = new MessageCollector();
    let timestamp: string | undefined;
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async (payload) => {
        timestamp = payload.message.timestamp;
        await collector.eachMessage(payload);
      },
    });
    await collector.waitForCount(1);

    expect(Number(sent.logAppendTime)).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBe(sent.logAppendTime);
  });

  it('rolls segments by segment.ms and deletes them by retention.ms', async () => {
    const topic = await createTopic({ 'segment.ms': '1', 'retention.ms': String(90 * 60 * 1000) });
    const producer = suite.kit.producer();
    await producer.connect();
    const now = Date.now();

    for (const age of [3 * HOUR, 2 * HOUR, 0]) {
      await producer.send({ topic, messages: [{ value: `${age}`, timestamp: String(now - age) }] });
    }

    await waitFor('retention to delete the two old segments', async () => {
      const [partition] = await admin.fetchTopicOffsets(topic);
      return partition.low === '2' && partition.high === '3';
    });
  });
});
