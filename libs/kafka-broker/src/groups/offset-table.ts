import type { CommittedOffset, OffsetCommitEntry } from './committed-offset-store';

/** The in-memory view of committed offsets: group → "topic/partition" → entry. */
export class OffsetTable {
  private readonly byGroup = new Map<string, Map<string, OffsetCommitEntry>>();

  apply(groupId: string, entries: readonly OffsetCommitEntry[]): void {
    let partitions = this.byGroup.get(groupId);
    if (partitions === undefined) {
      partitions = new Map();
      this.byGroup.set(groupId, partitions);
    }
    for (const entry of entries) {
      partitions.set(key(entry.topic, entry.partition), { ...entry });
    }
  }

  deleteGroup(groupId: string): void {
    this.byGroup.delete(groupId);
  }

  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    const entry = this.byGroup.get(groupId)?.get(key(topic, partition));
    return entry === undefined ? undefined : { offset: entry.offset, metadata: entry.metadata };
  }

  list(groupId: string): OffsetCommitEntry[] {
    const entries = [...(this.byGroup.get(groupId)?.values() ?? [])].map((entry) => ({ ...entry }));
    return entries.sort((a, b) =>
      a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
    );
  }

  hasGroup(groupId: string): boolean {
    return this.byGroup.has(groupId);
  }

  groups(): string[] {
    return [...this.byGroup.keys()];
  }
}

function key(topic: string, partition: number): string {
  // A NUL byte cannot appear in a valid topic name, so the key is unambiguous.
  return `${topic}\u0000${partition}`;
}
