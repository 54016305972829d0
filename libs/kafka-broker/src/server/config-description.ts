import {
  ConfigSource,
  type ConfigSynonym,
  type DescribedConfig,
} from '../protocol/apis/describe-configs.codec';
import {
  ConfigType,
  TOPIC_CONFIGS,
  TimestampType,
  type LogConfig,
  type TopicConfigDefinition,
  type TopicInfo,
} from '../storage';
import type { BrokerContext } from './broker-context';

/** What DescribeConfigs should include besides names and values. */
export interface DescribeOptions {
  /** Null for every config of the resource. */
  readonly keys: ReadonlySet<string> | null;
  readonly includeSynonyms: boolean;
  readonly includeDocumentation: boolean;
}

/**
 * The topic configs whose broker-level default is a `startBroker` option: when the option was
 * given, described with source STATIC_BROKER_CONFIG and its value (else Kafka's default, which
 * the option's own default equals).
 */
const FROM_BROKER_OPTIONS: Readonly<
  Record<string, { options: readonly string[]; value: (log: LogConfig) => string }>
> = {
  'retention.ms': { options: ['retentionMs'], value: (log) => String(log.retentionMs) },
  'retention.bytes': { options: ['retentionBytes'], value: (log) => String(log.retentionBytes) },
  'segment.bytes': { options: ['segmentBytes'], value: (log) => String(log.segmentBytes) },
  'max.message.bytes': {
    options: ['maxMessageBytes'],
    value: (log) => String(log.maxMessageBytes),
  },
};

/**
 * Every topic config Kafka knows (or those asked for), as Kafka describes them: the topic's own
 * override (DYNAMIC_TOPIC_CONFIG), else the broker's option (STATIC_BROKER_CONFIG), else Kafka's
 * default (DEFAULT_CONFIG); synonyms list all three levels that have a value, strongest first.
 */
export function describeTopicConfigs(
  topic: TopicInfo,
  defaults: LogConfig,
  given: ReadonlySet<string>,
  options: DescribeOptions,
): DescribedConfig[] {
  const described: DescribedConfig[] = [];
  for (const definition of TOPIC_CONFIGS.values()) {
    if (options.keys !== null && !options.keys.has(definition.name)) continue;
    const synonyms = topicSynonyms(definition, topic.configs[definition.name], defaults, given);
    described.push(entry(definition.name, synonyms, definition, false, options));
  }
  return described;
}

function topicSynonyms(
  definition: TopicConfigDefinition,
  override: string | undefined,
  defaults: LogConfig,
  given: ReadonlySet<string>,
): ConfigSynonym[] {
  const synonyms: ConfigSynonym[] = [];
  if (override !== undefined) {
    synonyms.push({
      name: definition.name,
      value: override,
      source: ConfigSource.DynamicTopicConfig,
    });
  }
  const fromOptions = FROM_BROKER_OPTIONS[definition.name];
  if (fromOptions?.options.some((option) => given.has(option)) === true) {
    synonyms.push({
      name: definition.brokerName,
      value: fromOptions.value(defaults),
      source: ConfigSource.StaticBrokerConfig,
    });
  }
  synonyms.push({
    name: definition.brokerName,
    value: definition.kafkaDefault,
    source: ConfigSource.DefaultConfig,
  });
  return synonyms;
}

interface BrokerConfig {
  readonly name: string;
  readonly value: string;
  readonly type: ConfigType;
  /**
   * The `BrokerOptions` fields that set it, none when this broker fixes it. Described as
   * STATIC_BROKER_CONFIG only when one of them was given; otherwise as DEFAULT_CONFIG.
   */
  readonly options: readonly string[];
  readonly documentation: string;
}

/**
 * The broker's own configs under Kafka's names, with the values it really runs with. All are
 * read-only: they come from `startBroker` options and change only with a restart.
 */
function brokerConfigs(broker: BrokerContext): BrokerConfig[] {
  const { settings, endpoint } = broker;
  const { log } = settings;
  return [
    {
      name: 'advertised.listeners',
      value: `${listenerName(broker)}://${endpoint.host}:${endpoint.port}`,
      type: ConfigType.String,
      options: ['advertisedHost', 'host', 'port'],
      documentation: 'The address given to clients in Metadata and FindCoordinator.',
    },
    {
      name: 'auto.create.topics.enable',
      value: String(settings.autoCreateTopics),
      type: ConfigType.Boolean,
      options: ['autoCreateTopics'],
      documentation: 'Create unknown topics named in Metadata (when allowed) and Produce.',
    },
    {
      name: 'broker.id',
      value: String(broker.nodeId),
      type: ConfigType.Int,
      options: [],
      documentation: 'The id of the single node.',
    },
    {
      name: 'default.replication.factor',
      value: '1',
      type: ConfigType.Int,
      options: [],
      documentation: 'A single node holds the one replica of everything.',
    },
    {
      name: 'group.initial.rebalance.delay.ms',
      value: String(settings.initialRebalanceDelayMs),
      type: ConfigType.Int,
      options: ['initialRebalanceDelayMs'],
      documentation: 'Wait before the first rebalance of an empty group.',
    },
    {
      name: 'listeners',
      value: `${listenerName(broker)}://${settings.host}:${endpoint.port}`,
      type: ConfigType.String,
      options: ['host', 'port'],
      documentation: 'The interface and port the broker is bound to.',
    },
    {
      name: 'log.cleanup.policy',
      value: 'delete',
      type: ConfigType.List,
      options: [],
      documentation: 'Old segments are deleted; compaction is not supported.',
    },
    {
      name: 'log.dirs',
      value: settings.dataDir,
      type: ConfigType.String,
      options: ['dataDir'],
      documentation: 'The data directory, holding topics/ and groups/.',
    },
    {
      name: 'log.message.timestamp.type',
      value: log.timestampType === TimestampType.LogAppendTime ? 'LogAppendTime' : 'CreateTime',
      type: ConfigType.String,
      options: [],
      documentation: 'Timestamp type of topics that set none.',
    },
    {
      name: 'log.retention.bytes',
      value: String(log.retentionBytes),
      type: ConfigType.Long,
      options: ['retentionBytes'],
      documentation: 'Default retention of a partition by size; -1 is unlimited.',
    },
    {
      name: 'log.retention.check.interval.ms',
      value: String(settings.retentionCheckIntervalMs),
      type: ConfigType.Long,
      options: ['retentionCheckIntervalMs'],
      documentation: 'How often retention runs.',
    },
    {
      name: 'log.retention.ms',
      value: String(log.retentionMs),
      type: ConfigType.Long,
      options: ['retentionMs'],
      documentation: 'Default retention by age; -1 keeps everything.',
    },
    {
      name: 'log.roll.ms',
      value: String(log.segmentMs),
      type: ConfigType.Long,
      options: [],
      documentation: 'Default age at which the active segment is rolled.',
    },
    {
      name: 'log.segment.bytes',
      value: String(log.segmentBytes),
      type: ConfigType.Int,
      options: ['segmentBytes'],
      documentation: 'Default size at which a new segment is rolled.',
    },
    {
      name: 'message.max.bytes',
      value: String(log.maxMessageBytes),
      type: ConfigType.Int,
      options: ['maxMessageBytes'],
      documentation: 'Default largest record batch accepted.',
    },
    {
      name: 'num.partitions',
      value: String(settings.defaultPartitions),
      type: ConfigType.Int,
      options: ['defaultPartitions'],
      documentation: 'Partitions of auto-created topics and of CreateTopics with -1.',
    },
    {
      name: 'socket.request.max.bytes',
      value: String(settings.maxRequestBytes),
      type: ConfigType.Int,
      options: ['maxRequestBytes'],
      documentation: 'A larger request frame closes its connection.',
    },
  ];
}

/** Kafka's security protocol name of the one listener (no TLS either way). */
function listenerName(broker: BrokerContext): string {
  return broker.security?.sasl === true ? 'SASL_PLAINTEXT' : 'PLAINTEXT';
}

/** The broker's configs (or those asked for), read-only, each its own only synonym. */
export function describeBrokerConfigs(
  broker: BrokerContext,
  options: DescribeOptions,
): DescribedConfig[] {
  return brokerConfigs(broker)
    .filter((config) => options.keys === null || options.keys.has(config.name))
    .map((config) => {
      const source = config.options.some((option) => broker.settings.given.has(option))
        ? ConfigSource.StaticBrokerConfig
        : ConfigSource.DefaultConfig;
      const synonyms = [{ name: config.name, value: config.value, source }];
      return entry(config.name, synonyms, config, true, options);
    });
}

function entry(
  name: string,
  synonyms: readonly ConfigSynonym[],
  definition: { readonly type: ConfigType; readonly documentation: string },
  readOnly: boolean,
  options: DescribeOptions,
): DescribedConfig {
  const [inForce] = synonyms;
  return {
    name,
    value: inForce.value,
    readOnly,
    source: inForce.source,
    isSensitive: false,
    synonyms: options.includeSynonyms ? synonyms : [],
    configType: definition.type,
    documentation: options.includeDocumentation ? definition.documentation : null,
  };
}
