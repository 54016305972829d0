import { TimestampType } from './record-batch';

/** Durability policy of appends; see {@link LogConfig.fsync}. */
export type FsyncPolicy = 'always' | 'interval' | 'never';

/** Storage settings of one partition log: broker defaults, overridden per topic. */
export interface LogConfig {
  /** A new segment is rolled when an append would take the active one past this size. */
  segmentBytes: number;
  /**
   * A new segment is rolled on the next append once the active one is this old, measured from
   * its first batch's largest timestamp (Kafka's segment.ms).
   */
  segmentMs: number;
  /** Oldest segments are deleted while the partition is larger than this; -1 = unlimited. */
  retentionBytes: number;
  /** Segments whose newest record is older than this are deleted; -1 = keep forever. */
  retentionMs: number;
  /** Larger record batches are refused with MESSAGE_TOO_LARGE (max.message.bytes). */
  maxMessageBytes: number;
  /** Which time stored records carry: the producer's, or the broker's clock at append. */
  timestampType: TimestampType;
  /** How far before the broker's clock a CreateTime record may lie; larger is refused. */
  timestampBeforeMaxMs: number;
  /** How far after the broker's clock a CreateTime record may lie; larger is refused. */
  timestampAfterMaxMs: number;
  /**
   * `always`: fdatasync before an append resolves, so an acknowledged produce survives a crash
   * or kill -9 (and a power loss). `interval`: fdatasync every `fsyncIntervalMs`. `never`: leave
   * it to the OS (data survives a process crash, not a power loss).
   */
  fsync: FsyncPolicy;
  fsyncIntervalMs: number;
}

/** Kafka's defaults for the topic-level settings that have no broker option. */
export const KAFKA_LOG_DEFAULTS = {
  /** log.roll.hours = 168. */
  segmentMs: 7 * 24 * 3600 * 1000,
  timestampType: TimestampType.CreateTime,
  /** Long.MAX_VALUE in Kafka: no limit. */
  timestampBeforeMaxMs: Number.MAX_SAFE_INTEGER,
  timestampAfterMaxMs: Number.MAX_SAFE_INTEGER,
} as const satisfies Partial<LogConfig>;
