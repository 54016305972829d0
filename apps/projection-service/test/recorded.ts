import type { TrackerEvent } from '@tracker/contracts';
import type { RecordedEvent } from '../src/apply/batch-plan';

/** Events as if Kafka had recorded each at its own time: record timestamps for pure folds. */
export const recordedAtEventTime = (events: readonly TrackerEvent[]): RecordedEvent[] =>
  events.map((event) => ({ event, recordedMs: Date.parse(event.time) }));
