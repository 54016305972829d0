/** Durability policy of appends; see {@link LogConfig.fsync}. */
export type FsyncPolicy = 'always' | 'interval' | 'never';

/** Storage settings of one partition log: broker defaults, overridden per topic. */
export interface LogConfig {
  /** A new segment is rolled when an append would take the active one past this size. */
  segmentBytes: number;
  /** Oldest segments are deleted while the partition is larger than this; -1 = unlimited. */
  retentionBytes: number;
  /** Segments whose newest record is older than this are deleted; -1 = keep forever. */
  retentionMs: number;
  /**
   * `always`: fdatasync before an append resolves, so an acknowledged produce survives a crash
   * or kill -9 (and a power loss). `interval`: fdatasync every `fsyncIntervalMs`. `never`: leave
   * it to the OS (data survives a process crash, not a power loss).
   */
  fsync: FsyncPolicy;
  fsyncIntervalMs: number;
}
