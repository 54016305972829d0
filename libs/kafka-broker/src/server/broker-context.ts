import type { Logger } from 'pino';
import type { GroupCoordinator } from '../groups';
import type { AclFile } from '../security/acl-file';
import type { Authorizer } from '../security/authorizer';
import type { LogConfig, LogManager } from '../storage';
import type { ProducerIdAllocator } from './producer-id-allocator';
import type { ProducerSequences } from './producer-sequences';

/** The address clients must dial; known only once the server is bound (port 0 → OS pick). */
export interface AdvertisedEndpoint {
  host: string;
  port: number;
}

/** Broker settings the request handlers apply or describe (DescribeConfigs). */
export interface BrokerSettings {
  readonly host: string;
  readonly dataDir: string;
  readonly autoCreateTopics: boolean;
  readonly defaultPartitions: number;
  readonly initialRebalanceDelayMs: number;
  readonly retentionCheckIntervalMs: number;
  readonly maxRequestBytes: number;
  /** The broker defaults of every topic's log config. */
  readonly log: LogConfig;
  /**
   * The `BrokerOptions` the caller actually gave (not defaulted): DescribeConfigs reports only
   * these as STATIC_BROKER_CONFIG, the rest as Kafka's DEFAULT_CONFIG.
   */
  readonly given: ReadonlySet<string>;
}

/** ACL enforcement and the ACLs created through the API; absent without `security`. */
export interface BrokerSecurity {
  readonly authorizer: Authorizer;
  /** Where API-created ACLs are persisted. */
  readonly aclFile: AclFile;
  /** Whether SASL is on (describes the listener as SASL_PLAINTEXT). */
  readonly sasl: boolean;
}

/** Live counts the broker reports about itself (for monitoring, and for tests to observe). */
export interface BrokerStats {
  /** Fetch requests waiting for data (long poll), not yet answered. */
  parkedFetches: number;
}

/** What every request handler shares: the broker's identity, its state and its settings. */
export interface BrokerContext {
  readonly nodeId: number;
  readonly clusterId: string;
  readonly endpoint: AdvertisedEndpoint;
  readonly logs: LogManager;
  readonly groups: GroupCoordinator;
  readonly producerIds: ProducerIdAllocator;
  readonly sequences: ProducerSequences;
  readonly settings: BrokerSettings;
  readonly stats: BrokerStats;
  readonly logger: Logger;
  /** Null when no `security` option was given: no ACLs, and the ACL APIs are disabled. */
  readonly security: BrokerSecurity | null;
}
