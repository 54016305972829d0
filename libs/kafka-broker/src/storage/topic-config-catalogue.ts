/**
 * Every topic-level config Apache Kafka 3.x knows, as this broker accepts, stores and describes
 * them. `enforced` ones change what the partition logs do (see `resolveTopicConfig`); the others
 * are checked for a valid value, kept with the topic and described, but have no effect here
 * (the README lists them). Defaults and ranges are Kafka's (its TopicConfig and LogConfig).
 */

/** DescribeConfigs v3 config types, numbered as Kafka's ConfigEntry.ConfigType. */
export enum ConfigType {
  Unknown = 0,
  Boolean = 1,
  String = 2,
  Int = 3,
  Short = 4,
  Long = 5,
  Double = 6,
  List = 7,
  Class = 8,
  Password = 9,
}

export interface TopicConfigDefinition {
  readonly name: string;
  readonly type: ConfigType;
  /** The broker-level config Kafka falls back to when the topic sets none (its synonym). */
  readonly brokerName: string;
  /** What Kafka reports when neither the topic nor the broker sets it. */
  readonly kafkaDefault: string;
  readonly enforced: boolean;
  /** Why `value` is refused, or undefined when Kafka would accept it. */
  readonly problem: (value: string) => string | undefined;
  readonly documentation: string;
}

const INT32_MAX = 2n ** 31n - 1n;
const INT64_MAX = 2n ** 63n - 1n;
/** Long.MAX_VALUE, Kafka's "no limit" for several durations and counts. */
export const LONG_MAX = INT64_MAX.toString();

function integerProblem(value: string, min: bigint, max: bigint): string | undefined {
  if (!/^-?\d+$/.test(value)) return `must be an integer, got "${value}"`;
  const parsed = BigInt(value);
  return parsed < min || parsed > max
    ? `must be between ${min} and ${max}, got ${value}`
    : undefined;
}

const long =
  (min: bigint) =>
  (value: string): string | undefined =>
    integerProblem(value, min, INT64_MAX);
const int =
  (min: bigint) =>
  (value: string): string | undefined =>
    integerProblem(value, min, INT32_MAX);
const oneOf =
  (allowed: readonly string[]) =>
  (value: string): string | undefined =>
    allowed.includes(value) ? undefined : `must be one of ${allowed.join(', ')}, got "${value}"`;
const boolean = oneOf(['true', 'false']);
const anyString = (): undefined => undefined;
const listOf =
  (allowed: readonly string[]) =>
  (value: string): string | undefined => {
    const items = value.split(',').map((item) => item.trim());
    const bad = items.find((item) => !allowed.includes(item));
    return bad === undefined
      ? undefined
      : `items must be among ${allowed.join(', ')}, got "${bad}"`;
  };
const ratio = (value: string): string | undefined => {
  const parsed = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  return parsed >= 0 && parsed <= 1 ? undefined : `must be a number from 0 to 1, got "${value}"`;
};

type Definition = Omit<TopicConfigDefinition, 'brokerName'> & { brokerName?: string };

/** Broker-level synonyms that Kafka prefixes with `log.`. */
const logPrefixed = (name: string): string => `log.${name}`;

const DEFINITIONS: readonly Definition[] = [
  {
    name: 'cleanup.policy',
    type: ConfigType.List,
    brokerName: logPrefixed('cleanup.policy'),
    kafkaDefault: 'delete',
    enforced: true,
    problem: listOf(['delete', 'compact']),
    documentation: 'delete removes old segments by retention; compact is refused by this broker.',
  },
  {
    name: 'compression.type',
    type: ConfigType.String,
    kafkaDefault: 'producer',
    enforced: false,
    problem: oneOf(['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer']),
    documentation: 'Codec the broker recompresses batches to; batches are stored as produced here.',
  },
  {
    name: 'delete.retention.ms',
    type: ConfigType.Long,
    brokerName: 'log.cleaner.delete.retention.ms',
    kafkaDefault: '86400000',
    enforced: false,
    problem: long(0n),
    documentation: 'How long compaction keeps tombstones.',
  },
  {
    name: 'file.delete.delay.ms',
    type: ConfigType.Long,
    brokerName: 'log.segment.delete.delay.ms',
    kafkaDefault: '60000',
    enforced: false,
    problem: long(0n),
    documentation: 'Delay before a deleted segment file is removed; removed at once here.',
  },
  {
    name: 'flush.messages',
    type: ConfigType.Long,
    brokerName: 'log.flush.interval.messages',
    kafkaDefault: LONG_MAX,
    enforced: false,
    problem: long(1n),
    documentation: "Messages between forced flushes; the broker's fsync policy decides here.",
  },
  {
    name: 'flush.ms',
    type: ConfigType.Long,
    brokerName: 'log.flush.interval.ms',
    kafkaDefault: LONG_MAX,
    enforced: false,
    problem: long(0n),
    documentation: "Time between forced flushes; the broker's fsync policy decides here.",
  },
  {
    name: 'follower.replication.throttled.replicas',
    type: ConfigType.List,
    kafkaDefault: '',
    enforced: false,
    problem: anyString,
    documentation: 'Replicas whose follower replication is throttled; a single node has none.',
  },
  {
    name: 'index.interval.bytes',
    type: ConfigType.Int,
    brokerName: logPrefixed('index.interval.bytes'),
    kafkaDefault: '4096',
    enforced: false,
    problem: int(0n),
    documentation: 'Bytes between offset index entries; fixed at 4096 here.',
  },
  {
    name: 'leader.replication.throttled.replicas',
    type: ConfigType.List,
    kafkaDefault: '',
    enforced: false,
    problem: anyString,
    documentation: 'Replicas whose leader replication is throttled; a single node has none.',
  },
  {
    name: 'local.retention.bytes',
    type: ConfigType.Long,
    brokerName: 'log.local.retention.bytes',
    kafkaDefault: '-2',
    enforced: false,
    problem: long(-2n),
    documentation: 'Local retention by size with tiered storage, which this broker lacks.',
  },
  {
    name: 'local.retention.ms',
    type: ConfigType.Long,
    brokerName: 'log.local.retention.ms',
    kafkaDefault: '-2',
    enforced: false,
    problem: long(-2n),
    documentation: 'Local retention by age with tiered storage, which this broker lacks.',
  },
  {
    name: 'max.compaction.lag.ms',
    type: ConfigType.Long,
    brokerName: 'log.cleaner.max.compaction.lag.ms',
    kafkaDefault: LONG_MAX,
    enforced: false,
    problem: long(1n),
    documentation: 'Longest time a record stays uncompacted; compaction is not supported.',
  },
  {
    name: 'max.message.bytes',
    type: ConfigType.Int,
    brokerName: 'message.max.bytes',
    kafkaDefault: '1048588',
    enforced: true,
    problem: int(0n),
    documentation: 'Largest record batch accepted; larger ones get MESSAGE_TOO_LARGE.',
  },
  {
    name: 'message.downconversion.enable',
    type: ConfigType.Boolean,
    brokerName: 'log.message.downconversion.enable',
    kafkaDefault: 'true',
    enforced: false,
    problem: boolean,
    documentation: 'Down-conversion for old consumers; only RecordBatch v2 is served here.',
  },
  {
    name: 'message.format.version',
    type: ConfigType.String,
    brokerName: logPrefixed('message.format.version'),
    kafkaDefault: '3.0-IV1',
    enforced: false,
    problem: anyString,
    documentation: 'Deprecated message format version; RecordBatch v2 is always used here.',
  },
  {
    name: 'message.timestamp.after.max.ms',
    type: ConfigType.Long,
    brokerName: logPrefixed('message.timestamp.after.max.ms'),
    kafkaDefault: LONG_MAX,
    enforced: true,
    problem: long(0n),
    documentation: 'How far ahead of the broker clock a CreateTime timestamp may be.',
  },
  {
    name: 'message.timestamp.before.max.ms',
    type: ConfigType.Long,
    brokerName: logPrefixed('message.timestamp.before.max.ms'),
    kafkaDefault: LONG_MAX,
    enforced: true,
    problem: long(0n),
    documentation: 'How far behind the broker clock a CreateTime timestamp may be.',
  },
  {
    name: 'message.timestamp.difference.max.ms',
    type: ConfigType.Long,
    brokerName: logPrefixed('message.timestamp.difference.max.ms'),
    kafkaDefault: LONG_MAX,
    enforced: true,
    problem: long(0n),
    documentation: 'Deprecated: both limits above at once, where they are not set themselves.',
  },
  {
    name: 'message.timestamp.type',
    type: ConfigType.String,
    brokerName: logPrefixed('message.timestamp.type'),
    kafkaDefault: 'CreateTime',
    enforced: true,
    problem: oneOf(['CreateTime', 'LogAppendTime']),
    documentation: "CreateTime keeps the producer's timestamps; LogAppendTime stamps the append.",
  },
  {
    name: 'min.cleanable.dirty.ratio',
    type: ConfigType.Double,
    brokerName: 'log.cleaner.min.cleanable.ratio',
    kafkaDefault: '0.5',
    enforced: false,
    problem: ratio,
    documentation: 'Share of a log that must be dirty before compaction; not supported.',
  },
  {
    name: 'min.compaction.lag.ms',
    type: ConfigType.Long,
    brokerName: 'log.cleaner.min.compaction.lag.ms',
    kafkaDefault: '0',
    enforced: false,
    problem: long(0n),
    documentation: 'Shortest time a record stays uncompacted; compaction is not supported.',
  },
  {
    name: 'min.insync.replicas',
    type: ConfigType.Int,
    kafkaDefault: '1',
    enforced: false,
    problem: int(1n),
    documentation: 'Replicas that must have an acks=all write; a single node always has one.',
  },
  {
    name: 'preallocate',
    type: ConfigType.Boolean,
    brokerName: logPrefixed('preallocate'),
    kafkaDefault: 'false',
    enforced: false,
    problem: boolean,
    documentation: 'Preallocate segment files on disk; segments grow as written here.',
  },
  {
    name: 'remote.log.copy.disable',
    type: ConfigType.Boolean,
    kafkaDefault: 'false',
    enforced: false,
    problem: boolean,
    documentation: 'Stop copying to tiered storage, which this broker lacks.',
  },
  {
    name: 'remote.log.delete.on.disable',
    type: ConfigType.Boolean,
    kafkaDefault: 'false',
    enforced: false,
    problem: boolean,
    documentation: 'Delete tiered data when tiering is turned off; not supported.',
  },
  {
    name: 'remote.storage.enable',
    type: ConfigType.Boolean,
    kafkaDefault: 'false',
    enforced: false,
    problem: boolean,
    documentation: 'Tiered storage, which this broker lacks.',
  },
  {
    name: 'retention.bytes',
    type: ConfigType.Long,
    brokerName: logPrefixed('retention.bytes'),
    kafkaDefault: '-1',
    enforced: true,
    problem: long(-1n),
    documentation: 'Oldest segments go while a partition is larger; -1 is unlimited.',
  },
  {
    name: 'retention.ms',
    type: ConfigType.Long,
    brokerName: logPrefixed('retention.ms'),
    kafkaDefault: '604800000',
    enforced: true,
    problem: long(-1n),
    documentation: 'Segments whose newest record is older go; -1 keeps everything.',
  },
  {
    name: 'segment.bytes',
    type: ConfigType.Int,
    brokerName: logPrefixed('segment.bytes'),
    kafkaDefault: '1073741824',
    enforced: true,
    problem: int(14n),
    documentation: 'Size at which a new segment file is rolled.',
  },
  {
    name: 'segment.index.bytes',
    type: ConfigType.Int,
    brokerName: logPrefixed('index.size.max.bytes'),
    kafkaDefault: '10485760',
    enforced: false,
    problem: int(4n),
    documentation: 'Preallocated index size; indexes grow as needed here.',
  },
  {
    name: 'segment.jitter.ms',
    type: ConfigType.Long,
    brokerName: logPrefixed('roll.jitter.ms'),
    kafkaDefault: '0',
    enforced: false,
    problem: long(0n),
    documentation: 'Random jitter subtracted from segment.ms; no jitter here.',
  },
  {
    name: 'segment.ms',
    type: ConfigType.Long,
    brokerName: logPrefixed('roll.ms'),
    kafkaDefault: '604800000',
    enforced: true,
    problem: long(1n),
    documentation: 'Age at which the active segment is rolled on the next append.',
  },
  {
    name: 'unclean.leader.election.enable',
    type: ConfigType.Boolean,
    kafkaDefault: 'false',
    enforced: false,
    problem: boolean,
    documentation: 'Elect an out-of-sync replica as leader; a single node has no other.',
  },
];

/** The catalogue, by name, in Kafka's alphabetical order. */
export const TOPIC_CONFIGS: ReadonlyMap<string, TopicConfigDefinition> = new Map(
  DEFINITIONS.map((definition) => [
    definition.name,
    { ...definition, brokerName: definition.brokerName ?? definition.name },
  ]),
);
