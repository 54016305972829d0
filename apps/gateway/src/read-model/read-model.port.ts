import type { ReadModelReader } from '@tracker/read-model';

export type {
  Cause,
  ChannelName,
  ChannelUpdate,
  ReadModelReader,
  Resume,
  Snapshot,
} from '@tracker/read-model';

/** What `tail` answers: the next updates and the cursor after them, or a lost history. */
export type TailResult = Awaited<ReturnType<ReadModelReader['tail']>>;

/** Why `resume` could not replay. */
export type ResetReason = Extract<
  Awaited<ReturnType<ReadModelReader['resume']>>,
  { kind: 'reset' }
>['reason'];

/** Injection token of the reader for queries (snapshots, resumes, single values). */
export const READ_MODEL = Symbol('READ_MODEL');

/** Injection token of the reader the change feed tails with: a Redis connection of its own. */
export const READ_MODEL_TAIL = Symbol('READ_MODEL_TAIL');
