import type { CommittedOffsetStore } from './committed-offset-store';
import { Group } from './group';
import type { ListedGroup } from './group-coordinator.types';

/**
 * The groups a coordinator knows: those in memory, plus those known only by committed offsets
 * (after a restart), which come back as Empty groups on first use.
 */
export class GroupRegistry {
  private readonly groups = new Map<string, Group>();

  constructor(private readonly offsets: CommittedOffsetStore) {}

  find(groupId: string): Group | undefined {
    let group = this.groups.get(groupId);
    if (group === undefined && this.offsets.hasGroup(groupId)) {
      group = new Group(groupId);
      this.groups.set(groupId, group);
    }
    return group;
  }

  /** An existing group, or a new Empty one that is registered only once `add` is called. */
  findOrNew(groupId: string): Group {
    return this.find(groupId) ?? new Group(groupId);
  }

  add(group: Group): void {
    this.groups.set(group.groupId, group);
  }

  delete(groupId: string): void {
    this.groups.delete(groupId);
  }

  /** Removes every group from memory and returns them. */
  drain(): Group[] {
    const groups = [...this.groups.values()];
    this.groups.clear();
    return groups;
  }

  list(): ListedGroup[] {
    const listed: ListedGroup[] = [...this.groups.values()].map((group) => ({
      groupId: group.groupId,
      protocolType: group.protocolType ?? '',
      state: group.state,
    }));
    for (const groupId of this.offsets.groups()) {
      if (!this.groups.has(groupId)) listed.push({ groupId, protocolType: '', state: 'Empty' });
    }
    return listed.sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }
}
