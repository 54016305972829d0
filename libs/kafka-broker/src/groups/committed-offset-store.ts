import type { OffsetTable } from './offset-table';

/** One committed position of a group on a partition. */
export interface OffsetCommitEntry {
  topic: string;
  partition: number;
  offset: number;
  metadata: string | null;
}

export interface CommittedOffset {
  offset: number;
  metadata: string | null;
}

/**
 * Where the coordinator keeps committed offsets. {@link OffsetStore} is the durable
 * implementation; {@link InMemoryOffsetStore} serves unit tests and throwaway brokers.
 */
export interface CommittedOffsetStore {
  /** Resolves once the entries are durable (per the store's policy) and visible to reads. */
  commit(groupId: string, entries: readonly OffsetCommitEntry[]): Promise<void>;
  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined;
  /** Every committed partition of the group, ordered by topic then partition. */
  list(groupId: string): OffsetCommitEntry[];
  hasGroup(groupId: string): boolean;
  /** Ids of the groups that have at least one committed offset. */
  groups(): string[];
  deleteGroup(groupId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * What every store answers from its in-memory {@link OffsetTable}: reads never touch the disk,
 * so only writing, deleting and closing differ between the durable and the in-memory store.
 */
export abstract class TableBackedOffsetStore implements CommittedOffsetStore {
  protected constructor(protected readonly table: OffsetTable) {}

  abstract commit(groupId: string, entries: readonly OffsetCommitEntry[]): Promise<void>;
  abstract deleteGroup(groupId: string): Promise<void>;
  abstract close(): Promise<void>;

  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.table.get(groupId, topic, partition);
  }

  list(groupId: string): OffsetCommitEntry[] {
    return this.table.list(groupId);
  }

  hasGroup(groupId: string): boolean {
    return this.table.hasGroup(groupId);
  }

  groups(): string[] {
    return this.table.groups();
  }
}
