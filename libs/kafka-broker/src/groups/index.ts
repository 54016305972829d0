export type {
  CommittedOffset,
  CommittedOffsetStore,
  OffsetCommitEntry,
} from './committed-offset-store';
export { GroupCoordinator, type GroupCoordinatorOptions } from './group-coordinator';
export type * from './group-coordinator.types';
export { InMemoryOffsetStore } from './in-memory-offset-store';
export { OFFSET_LOG_FILE, OffsetStore, type OffsetStoreOptions } from './offset-store';
export {
  OffsetLogFormatError,
  OffsetStoreClosedError,
  OffsetStoreFailedError,
} from './offset-store.errors';
