import { KafkaConfig as TrackerKafkaConfig } from '@tracker/config';
import { Kafka, logLevel, LogEntry, SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';

const PINO_LEVEL: Record<logLevel, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.NOTHING]: 'debug',
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * The kafkajs client of a service, from its configuration (brokers, TLS, SASL). kafkajs logs go
 * to the service's pino logger; its INFO chatter (every join, every connect) is kept at debug.
 */
export function createKafkaClient(config: TrackerKafkaConfig, logger: Logger): Kafka {
  const sasl: SASLOptions | undefined = config.sasl && { ...config.sasl };
  return new Kafka({
    clientId: config.clientId,
    brokers: config.brokers,
    ssl: config.ssl,
    sasl,
    connectionTimeout: 3000,
    retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        const pinoLevel = level === logLevel.INFO ? 'debug' : PINO_LEVEL[level];
        logger[pinoLevel]({ kafka: extra }, message);
      },
  });
}

/**
 * The topic a service reads or writes for the contract topic `name`: `KAFKA_TOPIC_PREFIX` (empty
 * unless set) in front of it, so tests and tenants can share one cluster without sharing topics.
 */
export function physicalTopic(
  config: Pick<TrackerKafkaConfig, 'topicPrefix'>,
  name: string,
): string {
  return `${config.topicPrefix}${name}`;
}

/**
 * {@link physicalTopic} for a topic name or pattern: a pattern over contract names (anchored with
 * `^`) becomes the same pattern behind `KAFKA_TOPIC_PREFIX`.
 */
export function physicalTopics(
  config: Pick<TrackerKafkaConfig, 'topicPrefix'>,
  topic: string | RegExp,
): string | RegExp {
  if (typeof topic === 'string') return physicalTopic(config, topic);
  if (!topic.source.startsWith('^')) {
    throw new RangeError(`topic pattern ${topic.source} must be anchored with ^`);
  }
  const prefix = config.topicPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${prefix}${topic.source.slice(1)}`, topic.flags);
}

/** The contract name of a physical topic: `KAFKA_TOPIC_PREFIX` taken off again. */
export function contractTopic(
  config: Pick<TrackerKafkaConfig, 'topicPrefix'>,
  physical: string,
): string {
  return physical.startsWith(config.topicPrefix)
    ? physical.slice(config.topicPrefix.length)
    : physical;
}
