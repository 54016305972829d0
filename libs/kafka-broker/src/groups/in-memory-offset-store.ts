import { type OffsetCommitEntry, TableBackedOffsetStore } from './committed-offset-store';
import { OffsetTable } from './offset-table';
import { OffsetStoreClosedError } from './offset-store.errors';

/** A non-durable {@link CommittedOffsetStore}: for unit tests and brokers that keep no data. */
export class InMemoryOffsetStore extends TableBackedOffsetStore {
  private closed = false;

  constructor() {
    super(new OffsetTable());
  }

  async commit(groupId: string, entries: readonly OffsetCommitEntry[]): Promise<void> {
    if (this.closed) throw new OffsetStoreClosedError();
    this.table.apply(groupId, entries);
  }

  async deleteGroup(groupId: string): Promise<void> {
    if (this.closed) throw new OffsetStoreClosedError();
    this.table.deleteGroup(groupId);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
