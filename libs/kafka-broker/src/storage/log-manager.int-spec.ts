import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode } from '../protocol/error-codes';
import { expectKafkaError } from '../testing/kafka-errors';
import { aRecordBatch } from '../testing/record-batch.builder';
import { aRecordingLogger, aTempDir, testLogConfig } from '../testing/storage.fixture';
import { LogManager } from './log-manager';

describe(LogManager.name, () => {
  let dir: { path: string; remove: () => Promise<void> };
  const managers: LogManager[] = [];

  async function openManager(): Promise<LogManager> {
    const manager = await LogManager.open(
      dir.path,
      testLogConfig({ segmentBytes: 1000 }),
      aRecordingLogger().logger,
    );
    managers.push(manager);
    return manager;
  }

  beforeEach(async () => {
    dir = await aTempDir('kafka-logs-');
  });

  afterEach(async () => {
    await Promise.all(managers.splice(0).map((manager) => manager.close()));
    await dir.remove();
  });

  it('creates a topic with its partitions and configs, each partition an empty log', async () => {
    const manager = await openManager();

    await manager.createTopic('tracker.pledges.v1', 3, { 'retention.ms': '60000' });

    expect(manager.topics()).toEqual([
      { name: 'tracker.pledges.v1', partitions: 3, configs: { 'retention.ms': '60000' } },
    ]);
    expect(manager.topicConfig('tracker.pledges.v1')).toMatchObject({
      retentionMs: 60000,
      segmentBytes: 1000,
    });
    expect(manager.partition('tracker.pledges.v1', 2)?.logEndOffset).toBe(0);
    expect(manager.partition('tracker.pledges.v1', 3)).toBeUndefined();
    expect(manager.partition('other', 0)).toBeUndefined();
    expect((await readdir(join(dir.path, 'topics'))).sort()).toEqual([
      'tracker.pledges.v1-0',
      'tracker.pledges.v1-1',
      'tracker.pledges.v1-2',
      'tracker.pledges.v1.json',
    ]);
  });

  it('refuses bad requests with the codes Kafka uses, in Kafka order', async () => {
    const manager = await openManager();
    await manager.createTopic('taken', 1);

    await expectKafkaError(manager.createTopic('bad name', 1), ErrorCode.INVALID_TOPIC_EXCEPTION);
    await expectKafkaError(manager.createTopic('..', 1), ErrorCode.INVALID_TOPIC_EXCEPTION);
    await expectKafkaError(manager.createTopic('taken', 0), ErrorCode.TOPIC_ALREADY_EXISTS);
    await expectKafkaError(manager.createTopic('fresh', 0), ErrorCode.INVALID_PARTITIONS);
    await expectKafkaError(
      manager.createTopic('fresh', 1, { 'cleanup.policy': 'compact' }),
      ErrorCode.INVALID_CONFIG,
    );
    await expectKafkaError(
      manager.createTopic('fresh', 1, { 'no.such.config': '1' }),
      ErrorCode.INVALID_CONFIG,
    );
    expect(manager.topics().map((topic) => topic.name)).toEqual(['taken']);
  });

  it('validates without creating when asked to', async () => {
    const manager = await openManager();

    await manager.createTopic('checked', 2, {}, true);

    expect(manager.getTopic('checked')).toBeUndefined();
    await expect(manager.createTopic('checked', 2)).resolves.toBeUndefined();
  });

  it('lets only one of two concurrent creations of the same topic win', async () => {
    const manager = await openManager();

    const results = await Promise.allSettled([
      manager.createTopic('race', 2),
      manager.createTopic('race', 2),
    ]);

    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(manager.getTopic('race')).toEqual({ name: 'race', partitions: 2, configs: {} });
  });

  it('recovers every topic and its data after a restart', async () => {
    const first = await openManager();
    await first.createTopic('orders', 2, { 'segment.bytes': '2048' });
    const batch = await aRecordBatch().withGeneratedRecords(3).build();
    await first.partition('orders', 1)!.append(batch);
    await first.close();

    const second = await openManager();

    expect(second.getTopic('orders')).toEqual({
      name: 'orders',
      partitions: 2,
      configs: { 'segment.bytes': '2048' },
    });
    expect(second.topicConfig('orders')?.segmentBytes).toBe(2048);
    await expect(second.partition('orders', 1)!.read(0, 1024, true)).resolves.toEqual(batch);
    expect(second.partition('orders', 0)!.logEndOffset).toBe(0);
  });

  it('adds partitions to a topic, and refuses to shrink it', async () => {
    const manager = await openManager();
    await manager.createTopic('growing', 1);

    await manager.createPartitions('growing', 3);

    expect(manager.getTopic('growing')?.partitions).toBe(3);
    expect(manager.partition('growing', 2)?.logEndOffset).toBe(0);
    await expectKafkaError(manager.createPartitions('growing', 3), ErrorCode.INVALID_PARTITIONS);
    await expectKafkaError(
      manager.createPartitions('missing', 3),
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
  });

  it('deletes a topic with its data, so that the name can be reused from scratch', async () => {
    const manager = await openManager();
    await manager.createTopic('doomed', 2);
    const log = manager.partition('doomed', 0)!;
    await log.append(await aRecordBatch().build());

    await manager.deleteTopic('doomed');

    expect(manager.getTopic('doomed')).toBeUndefined();
    expect(await readdir(join(dir.path, 'topics'))).toEqual([]);
    await expectKafkaError(
      log.append(await aRecordBatch().build()),
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    await expectKafkaError(manager.deleteTopic('doomed'), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    await manager.createTopic('doomed', 1);
    expect(manager.partition('doomed', 0)!.logEndOffset).toBe(0);
  });

  it('removes partition directories and temporary files that no topic claims', async () => {
    const topicsDir = join(dir.path, 'topics');
    await mkdir(join(topicsDir, 'half-created-0'), { recursive: true });
    await writeFile(join(topicsDir, 'half-created.json.tmp'), '{');
    await writeFile(
      join(topicsDir, 'kept.json'),
      JSON.stringify({ name: 'kept', partitions: 1, configs: {} }),
    );

    const manager = await openManager();

    expect(manager.topics().map((topic) => topic.name)).toEqual(['kept']);
    expect((await readdir(topicsDir)).sort()).toEqual(['kept-0', 'kept.json']);
  });

  it('applies retention to every partition with its topic config', async () => {
    const manager = await openManager();
    await manager.createTopic('bounded', 1, { 'retention.bytes': '1500' });
    await manager.createTopic('unbounded', 1);
    for (let i = 0; i < 20; i++) {
      await manager
        .partition('bounded', 0)!
        .append(await aRecordBatch().withGeneratedRecords(2, 60).build());
      await manager
        .partition('unbounded', 0)!
        .append(await aRecordBatch().withGeneratedRecords(2, 60).build());
    }

    const deleted = await manager.enforceRetention();

    expect(deleted).toBeGreaterThan(0);
    expect(manager.partition('bounded', 0)!.logStartOffset).toBeGreaterThan(0);
    expect(manager.partition('unbounded', 0)!.logStartOffset).toBe(0);
  });

  it("alters a topic's configs on its partitions and in its metadata, all or nothing", async () => {
    const manager = await openManager();
    await manager.createTopic('altered', 2, { 'retention.ms': '1000' });

    await expectKafkaError(
      manager.alterTopicConfigs('altered', { 'retention.ms': '2000', 'no.such.config': '1' }),
      ErrorCode.INVALID_CONFIG,
    );
    await expectKafkaError(
      manager.alterTopicConfigs('missing', {}),
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    );
    await manager.alterTopicConfigs('altered', { 'max.message.bytes': '4096' }, true);
    expect(manager.getTopic('altered')?.configs).toEqual({ 'retention.ms': '1000' });

    await manager.alterTopicConfigs('altered', { 'max.message.bytes': '4096' });

    expect(manager.getTopic('altered')?.configs).toEqual({ 'max.message.bytes': '4096' });
    expect(manager.partition('altered', 1)?.config).toMatchObject({
      maxMessageBytes: 4096,
      retentionMs: -1,
    });
    const stored: unknown = JSON.parse(
      await readFile(join(dir.path, 'topics', 'altered.json'), 'utf8'),
    );
    expect(stored).toMatchObject({ configs: { 'max.message.bytes': '4096' } });
  });

  it('writes topic metadata as plain JSON', async () => {
    const manager = await openManager();

    await manager.createTopic('described', 4, { 'retention.bytes': '-1' });

    const metadata = JSON.parse(
      await readFile(join(dir.path, 'topics', 'described.json'), 'utf8'),
    ) as unknown;
    expect(metadata).toEqual({
      name: 'described',
      partitions: 4,
      configs: { 'retention.bytes': '-1' },
    });
  });
});
