import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { ErrorCode, KafkaProtocolError } from '../protocol/error-codes';
import { syncDirectory, writeFileAtomically } from './file-io';
import type { LogConfig } from './log-config';
import { PartitionLog } from './partition-log';
import { resolveTopicConfig, validateTopicName } from './topic-config';

export type { FsyncPolicy, LogConfig } from './log-config';

/** A topic as the broker describes it; `configs` are the topic-level overrides it was created with. */
export interface TopicInfo {
  name: string;
  partitions: number;
  configs: Record<string, string>;
}

export interface LogManagerOptions {
  /** How often retention runs over every partition; Kafka's default is 5 minutes. */
  retentionCheckIntervalMs?: number;
}

interface Topic {
  info: TopicInfo;
  config: LogConfig;
  logs: PartitionLog[];
}

const DEFAULT_RETENTION_CHECK_INTERVAL_MS = 5 * 60 * 1000;
const METADATA_SUFFIX = '.json';

/**
 * Every topic's partition logs under `<dataDir>/topics/`: a partition lives in the directory
 * `<topic>-<partition>` (unique, since a partition number holds no `-`; its files are described
 * by `PartitionLog`), a topic's metadata in `<topic>.json` ({ name, partitions, configs: the
 * topic-level overrides, as strings }). The metadata file is the commit point of
 * topic creation and deletion: it is written through a temporary file, fsync and rename, so a
 * crash leaves either the old or the new version; partition directories no topic claims are
 * leftovers of an interrupted operation and are removed on open.
 *
 * Topic administration (create, add partitions, delete) is serialized; lookups are synchronous.
 */
export class LogManager {
  private readonly topicsByName = new Map<string, Topic>();
  private adminTail: Promise<unknown> = Promise.resolve();
  private readonly retentionTimer: NodeJS.Timeout;
  private closed = false;

  private constructor(
    private readonly topicsDir: string,
    private readonly defaults: LogConfig,
    private readonly logger: Logger,
    retentionCheckIntervalMs: number,
  ) {
    this.retentionTimer = setInterval(() => void this.enforceRetention(), retentionCheckIntervalMs);
    this.retentionTimer.unref();
  }

  /** Opens the data directory (creating it when missing) and recovers every topic's partitions. */
  static async open(
    dataDir: string,
    defaults: LogConfig,
    logger: Logger = pino({ level: 'silent' }),
    options: LogManagerOptions = {},
  ): Promise<LogManager> {
    const topicsDir = join(dataDir, 'topics');
    await mkdir(topicsDir, { recursive: true });
    const interval = options.retentionCheckIntervalMs ?? DEFAULT_RETENTION_CHECK_INTERVAL_MS;
    const manager = new LogManager(topicsDir, defaults, logger, interval);
    try {
      await manager.recover();
    } catch (error) {
      await manager.close();
      throw error;
    }
    return manager;
  }

  /**
   * Creates a topic with `partitions` empty partitions. Checks, in Kafka's order: the name
   * (INVALID_TOPIC_EXCEPTION), existence (TOPIC_ALREADY_EXISTS), the count (INVALID_PARTITIONS),
   * the configs (INVALID_CONFIG, see `resolveTopicConfig`). `validateOnly` stops after checking.
   */
  createTopic(
    name: string,
    partitions: number,
    configs: Record<string, string> = {},
    validateOnly = false,
  ): Promise<void> {
    return this.serialize(async () => {
      validateTopicName(name);
      if (this.topicsByName.has(name)) {
        throw new KafkaProtocolError(
          ErrorCode.TOPIC_ALREADY_EXISTS,
          `topic "${name}" already exists`,
        );
      }
      assertPartitionCount(partitions, 1);
      const config = resolveTopicConfig(configs, this.defaults);
      if (validateOnly) {
        return;
      }
      const info: TopicInfo = { name, partitions, configs: { ...configs } };
      const logs = await this.openFreshPartitions(name, config, 0, partitions);
      await this.commitMetadata(info).catch(async (error: unknown) => {
        await Promise.all(logs.map((log) => log.delete()));
        throw error;
      });
      this.topicsByName.set(name, { info, config, logs });
      this.logger.info({ topic: name, partitions, configs }, 'topic created');
    });
  }

  /**
   * Grows a topic to `totalCount` partitions (UNKNOWN_TOPIC_OR_PARTITION, or INVALID_PARTITIONS
   * unless larger than now).
   */
  createPartitions(name: string, totalCount: number, validateOnly = false): Promise<void> {
    return this.serialize(async () => {
      const topic = this.mustGetTopic(name);
      assertPartitionCount(totalCount, topic.info.partitions + 1);
      if (validateOnly) {
        return;
      }
      const added = await this.openFreshPartitions(
        name,
        topic.config,
        topic.info.partitions,
        totalCount,
      );
      const info = { ...topic.info, partitions: totalCount };
      await this.commitMetadata(info).catch(async (error: unknown) => {
        await Promise.all(added.map((log) => log.delete()));
        throw error;
      });
      topic.info = info;
      topic.logs = [...topic.logs, ...added];
      this.logger.info({ topic: name, partitions: totalCount }, 'partitions added');
    });
  }

  /**
   * Replaces a topic's config overrides with `configs` (AlterConfigs; IncrementalAlterConfigs
   * computes the new set first). Checked as on creation (INVALID_CONFIG); the metadata file is
   * rewritten before the partitions take the new settings, so they hold after a restart.
   */
  alterTopicConfigs(
    name: string,
    configs: Readonly<Record<string, string>>,
    validateOnly = false,
  ): Promise<void> {
    return this.serialize(async () => {
      const topic = this.mustGetTopic(name);
      const config = resolveTopicConfig(configs, this.defaults);
      if (validateOnly) {
        return;
      }
      const info = { ...topic.info, configs: { ...configs } };
      await this.commitMetadata(info);
      topic.info = info;
      topic.config = config;
      for (const log of topic.logs) {
        log.reconfigure(config);
      }
      this.logger.info({ topic: name, configs }, 'topic configs altered');
    });
  }

  /** The broker defaults every topic's log config starts from. */
  get defaultConfig(): LogConfig {
    return { ...this.defaults };
  }

  /** Deletes a topic and all its data (UNKNOWN_TOPIC_OR_PARTITION when there is no such topic). */
  deleteTopic(name: string): Promise<void> {
    return this.serialize(async () => {
      const topic = this.mustGetTopic(name);
      this.topicsByName.delete(name);
      await rm(this.metadataPath(name), { force: true });
      await syncDirectory(this.topicsDir);
      await Promise.all(topic.logs.map((log) => log.delete()));
      this.logger.info({ topic: name }, 'topic deleted');
    });
  }

  topics(): TopicInfo[] {
    return [...this.topicsByName.values()].map((topic) => copyInfo(topic.info));
  }

  getTopic(name: string): TopicInfo | undefined {
    const topic = this.topicsByName.get(name);
    return topic === undefined ? undefined : copyInfo(topic.info);
  }

  /** The effective log config of a topic (broker defaults plus its overrides). */
  topicConfig(name: string): LogConfig | undefined {
    const config = this.topicsByName.get(name)?.config;
    return config === undefined ? undefined : { ...config };
  }

  partition(topic: string, index: number): PartitionLog | undefined {
    return this.topicsByName.get(topic)?.logs[index];
  }

  /** Runs retention over every partition now; returns how many segments were deleted. */
  async enforceRetention(now: number = Date.now()): Promise<number> {
    let deleted = 0;
    for (const topic of this.topicsByName.values()) {
      for (const log of topic.logs) {
        try {
          deleted += await log.enforceRetention(now);
        } catch (error) {
          this.logger.warn(
            { err: error, topic: topic.info.name },
            'retention failed for a partition',
          );
        }
      }
    }
    return deleted;
  }

  /** Stops retention, waits for pending topic operations, then closes (and fsyncs) every log. */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    clearInterval(this.retentionTimer);
    await this.adminTail;
    const logs = [...this.topicsByName.values()].flatMap((topic) => topic.logs);
    this.topicsByName.clear();
    await Promise.all(logs.map((log) => log.close()));
  }

  private async recover(): Promise<void> {
    const names = await readdir(this.topicsDir);
    for (const name of names.filter((n) => n.endsWith(METADATA_SUFFIX))) {
      const info = await this.readMetadata(name);
      const config = resolveTopicConfig(info.configs, this.defaults);
      const logs: PartitionLog[] = [];
      this.topicsByName.set(info.name, { info, config, logs });
      for (let p = 0; p < info.partitions; p++) {
        logs.push(
          await PartitionLog.open({
            dir: this.partitionDir(info.name, p),
            config,
            logger: this.logger,
          }),
        );
      }
    }
    await this.removeLeftovers(names);
    this.logger.info({ topics: this.topicsByName.size }, 'logs recovered');
  }

  private async readMetadata(fileName: string): Promise<TopicInfo> {
    const path = join(this.topicsDir, fileName);
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<TopicInfo>;
    const { name, partitions, configs } = parsed;
    if (
      typeof name !== 'string' ||
      `${name}${METADATA_SUFFIX}` !== fileName ||
      !Number.isInteger(partitions) ||
      typeof configs !== 'object' ||
      configs === null
    ) {
      throw new Error(
        `topic metadata ${path} is malformed; refusing to guess which partitions it owns`,
      );
    }
    return { name, partitions: partitions as number, configs };
  }

  /** Removes temporary metadata files and partition directories that no topic claims. */
  private async removeLeftovers(names: string[]): Promise<void> {
    const claimed = new Set<string>();
    for (const topic of this.topicsByName.values()) {
      for (let p = 0; p < topic.info.partitions; p++) {
        claimed.add(`${topic.info.name}-${p}`);
      }
    }
    for (const name of names) {
      if (name.endsWith(METADATA_SUFFIX) || claimed.has(name)) {
        continue;
      }
      this.logger.warn(
        { path: join(this.topicsDir, name) },
        'removing leftover of an interrupted topic operation',
      );
      await rm(join(this.topicsDir, name), { recursive: true, force: true });
    }
  }

  private async openFreshPartitions(
    name: string,
    config: LogConfig,
    from: number,
    to: number,
  ): Promise<PartitionLog[]> {
    const logs: PartitionLog[] = [];
    try {
      for (let p = from; p < to; p++) {
        const dir = this.partitionDir(name, p);
        await rm(dir, { recursive: true, force: true });
        logs.push(await PartitionLog.open({ dir, config, logger: this.logger }));
      }
    } catch (error) {
      await Promise.all(logs.map((log) => log.delete()));
      throw error;
    }
    await syncDirectory(this.topicsDir);
    return logs;
  }

  private async commitMetadata(info: TopicInfo): Promise<void> {
    await writeFileAtomically(this.metadataPath(info.name), JSON.stringify(info, null, 2));
  }

  private mustGetTopic(name: string): Topic {
    const topic = this.topicsByName.get(name);
    if (topic === undefined) {
      throw new KafkaProtocolError(
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        `topic "${name}" does not exist`,
      );
    }
    return topic;
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) {
      return Promise.reject(
        new KafkaProtocolError(ErrorCode.NOT_CONTROLLER, 'the log manager is closed'),
      );
    }
    const run = this.adminTail.then(task);
    this.adminTail = run.catch(() => undefined);
    return run;
  }

  private metadataPath(name: string): string {
    return join(this.topicsDir, `${name}${METADATA_SUFFIX}`);
  }

  private partitionDir(name: string, partition: number): string {
    return join(this.topicsDir, `${name}-${partition}`);
  }
}

function assertPartitionCount(count: number, min: number): void {
  if (!Number.isInteger(count) || count < min) {
    throw new KafkaProtocolError(
      ErrorCode.INVALID_PARTITIONS,
      min === 1
        ? `partition count must be at least 1, got ${count}`
        : `topic already has ${min - 1} partitions, got ${count}`,
    );
  }
}

function copyInfo(info: TopicInfo): TopicInfo {
  return { name: info.name, partitions: info.partitions, configs: { ...info.configs } };
}
