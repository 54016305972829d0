import pino, { type Logger } from 'pino';
import { BrokerError } from '../errors';
import {
  resolveSecurity,
  type ResolvedSecurity,
  type SecurityOptions,
} from '../security/security-options';
import { KAFKA_LOG_DEFAULTS, type FsyncPolicy, type LogConfig } from '../storage';

/** Options of {@link startBroker}; every one but `dataDir` has a default. */
export interface BrokerOptions {
  /** TCP port; 0 lets the OS pick a free one (the chosen port is returned). Default 9092. */
  port?: number;
  /** Interface to bind. Default '127.0.0.1'. */
  host?: string;
  /**
   * Host clients are told to dial in Metadata and FindCoordinator. Default: `host`, or
   * '127.0.0.1' when `host` is a wildcard address ('0.0.0.0', '::').
   */
  advertisedHost?: string;
  /** Where topics (`topics/`) and committed offsets (`groups/`) live. Required. */
  dataDir: string;
  /** Create unknown topics named in Metadata (and Produce) requests. Default true. */
  autoCreateTopics?: boolean;
  /** Partition count of auto-created topics and of CreateTopics with -1. Default 1. */
  defaultPartitions?: number;
  /**
   * Kafka's group.initial.rebalance.delay.ms. Default 0, not Kafka's 3000: that delay exists to
   * let many consumers of a big cluster join one rebalance; on a single-node development broker
   * it would only add 3 s to every consumer start (and to every NestJS `connect()`).
   */
  initialRebalanceDelayMs?: number;
  /** When appends and offset commits reach the disk; see `LogConfig.fsync`. Default 'always'. */
  fsync?: FsyncPolicy;
  /** Period of the 'interval' fsync policy. Default 1000 ms. */
  fsyncIntervalMs?: number;
  /** Default topic retention by age; -1 keeps forever. Default 7 days (Kafka's). */
  retentionMs?: number;
  /** Default topic retention by partition size; -1 is unlimited. Default -1. */
  retentionBytes?: number;
  /** Segment file size before a new one is rolled. Default 1 GiB (Kafka's). */
  segmentBytes?: number;
  /** Larger request frames close their connection. Default 100 MiB. */
  maxRequestBytes?: number;
  /**
   * Larger record batches are refused with MESSAGE_TOO_LARGE (Kafka's message.max.bytes, the
   * default of the topic config max.message.bytes). Default 1048588.
   */
  maxMessageBytes?: number;
  /** How often retention runs over every partition (log.retention.check.interval.ms). Default 5 min. */
  retentionCheckIntervalMs?: number;
  /** Default: a silent logger. */
  logger?: Logger;
  /**
   * SASL authentication and ACL authorization (see "Security" in the README). Absent (the
   * default): no SASL, every client is User:ANONYMOUS and may do everything, as before.
   */
  security?: SecurityOptions;
}

export interface ResolvedBrokerOptions {
  readonly port: number;
  readonly host: string;
  readonly advertisedHost: string;
  readonly dataDir: string;
  readonly autoCreateTopics: boolean;
  readonly defaultPartitions: number;
  readonly initialRebalanceDelayMs: number;
  readonly log: LogConfig;
  readonly retentionCheckIntervalMs: number;
  readonly maxRequestBytes: number;
  readonly logger: Logger;
  /** Null without a `security` option. */
  readonly security: ResolvedSecurity | null;
  /** Names of the options given a value by the caller (not defaulted). */
  readonly given: ReadonlySet<string>;
}

/** A broker option with an impossible value; names the option and the rule it breaks. */
export class InvalidBrokerOptionError extends BrokerError {
  readonly retriable = false;

  constructor(
    readonly option: string,
    readonly rule: string,
  ) {
    super(`invalid broker option ${option}: ${rule}`);
  }
}

/**
 * Every partition is a directory with open files: a request for 2^31-1 partitions must be
 * refused up front (INVALID_PARTITIONS), not attempted. Kafka has no fixed ceiling; a single-node
 * development broker has no use for more than this per topic.
 */
export const MAX_PARTITIONS_PER_TOPIC = 1000;

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);
const FSYNC_POLICIES: readonly FsyncPolicy[] = ['always', 'interval', 'never'];

/** Applies defaults and checks every value. @throws InvalidBrokerOptionError */
export function resolveBrokerOptions(options: BrokerOptions): ResolvedBrokerOptions {
  if (typeof options.dataDir !== 'string' || options.dataDir === '') {
    throw new InvalidBrokerOptionError('dataDir', 'is required');
  }
  const host = options.host ?? '127.0.0.1';
  const fsync = options.fsync ?? 'always';
  if (!FSYNC_POLICIES.includes(fsync)) {
    throw new InvalidBrokerOptionError('fsync', `must be one of ${FSYNC_POLICIES.join(', ')}`);
  }
  return {
    port: integer('port', options.port ?? 9092, 0, 65535),
    host,
    advertisedHost: options.advertisedHost ?? (WILDCARD_HOSTS.has(host) ? '127.0.0.1' : host),
    dataDir: options.dataDir,
    autoCreateTopics: options.autoCreateTopics ?? true,
    defaultPartitions: integer(
      'defaultPartitions',
      options.defaultPartitions ?? 1,
      1,
      MAX_PARTITIONS_PER_TOPIC,
    ),
    initialRebalanceDelayMs: integer(
      'initialRebalanceDelayMs',
      options.initialRebalanceDelayMs ?? 0,
      0,
    ),
    log: {
      fsync,
      fsyncIntervalMs: integer('fsyncIntervalMs', options.fsyncIntervalMs ?? 1000, 1),
      retentionMs: integer('retentionMs', options.retentionMs ?? 7 * 24 * 3600 * 1000, -1),
      retentionBytes: integer('retentionBytes', options.retentionBytes ?? -1, -1),
      segmentBytes: integer('segmentBytes', options.segmentBytes ?? 1024 ** 3, 1024, 2 ** 31 - 1),
      maxMessageBytes: integer(
        'maxMessageBytes',
        options.maxMessageBytes ?? 1_048_588,
        1,
        2 ** 31 - 1,
      ),
      ...KAFKA_LOG_DEFAULTS,
    },
    retentionCheckIntervalMs: integer(
      'retentionCheckIntervalMs',
      options.retentionCheckIntervalMs ?? 5 * 60 * 1000,
      1,
    ),
    maxRequestBytes: integer(
      'maxRequestBytes',
      options.maxRequestBytes ?? 100 * 1024 ** 2,
      1024,
      2 ** 31 - 1,
    ),
    logger: options.logger ?? pino({ level: 'silent' }),
    security: options.security === undefined ? null : security(options.security),
    given: new Set(
      Object.entries(options)
        .filter(([, value]) => value !== undefined)
        .map(([name]) => name),
    ),
  };
}

function security(options: SecurityOptions): ResolvedSecurity {
  const resolved = resolveSecurity(options);
  if ('option' in resolved) throw new InvalidBrokerOptionError(resolved.option, resolved.rule);
  return resolved;
}

function integer(
  option: string,
  value: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidBrokerOptionError(
      option,
      `must be an integer from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}
