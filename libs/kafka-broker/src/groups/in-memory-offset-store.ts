import type {
  CommittedOffset,
  CommittedOffsetStore,
  OffsetCommitEntry,
} from './committed-offset-store';
import { OffsetTable } from './offset-table';
import { OffsetStoreClosedError } from './offset-store.errors';

/** A non-durable {@link CommittedOffsetStore}: for unit tests and brokers that keep no data. */
export class InMemoryOffsetStore implements CommittedOffsetStore {
  private readonly table = new OffsetTable();
  private closed = false;

  async commit(groupId: string, entries: readonly OffsetCommitEntry[]): Promise<void> {
    if (this.closed) throw new OffsetStoreClosedError();
    this.table.apply(groupId, entries);
  }

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

  async deleteGroup(groupId: string): Promise<void> {
    if (this.closed) throw new OffsetStoreClosedError();
    this.table.deleteGroup(groupId);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
