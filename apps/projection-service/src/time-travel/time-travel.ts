import type { TrackerEvent } from '@tracker/contracts';
import type { ChannelValue, TickLogEntry } from '@tracker/read-model';
import { AlertPolicy, DEFAULT_ALERT_POLICY } from '../alerts/alert-rules';
import type { RecordedEvent } from '../apply/batch-plan';
import { foldRecords, tickModel, valueAfterTick } from './memory-fold';
import { MemoryModel } from './memory-model';
import { Timeline, TimelineRecords } from './timeline';

/** A record of an input topic: the event, its record timestamp, and where it was read. */
export interface SourcedRecord extends RecordedEvent {
  /** `<topic>:<partition>`, as the projection names its stored offsets. */
  readonly source: string;
  readonly offset: number;
}

/** The log has not been read far enough to answer for that time (yet). */
export class NotCaughtUpError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NotCaughtUpError';
  }
}

export interface TimeTravelOptions {
  /** Records between two checkpoints of a timeline: a query folds at most about this many. */
  readonly checkpointEvery?: number;
  readonly policy?: AlertPolicy;
}

/** A stretch of the recording timeline: from one tick the projection ran to the next. */
interface Segment {
  /** The tick it starts with (none for the first): its records were applied after it. */
  readonly tick?: TickLogEntry;
  /** Its records along recording time, from the model right after its tick. */
  readonly timeline: Timeline;
}

/**
 * Time travel over the projection's input log, in memory (README, "Time travel").
 *
 * - `asOf(T)`: every record whose event time is at or before T (however late it was recorded),
 *   folded with no clock — a {@link Timeline} along event time — then the clock tick at T,
 *   computed for the channel read only ({@link valueAfterTick}).
 * - `knownAt(T)`: the records in the order the projection applied them (per partition, up to
 *   the offsets each tick names) with the ticks it really ran, at the `asOf` each set. Between
 *   two ticks the folds commute, so each such segment is a timeline along recording time from
 *   the model its tick left: the segment of the last tick at or before T, at T, plus any later
 *   record recorded by T.
 *
 * Checkpoints are forks of the model: they share what did not change (./persistent-map).
 */
export class TimeTravel {
  private readonly checkpointEvery: number;
  private readonly policy: AlertPolicy;
  /**
   * The records, by index in the order read: each event as its JSON (a third of the memory of
   * the parsed object; parsed again when a query folds it), record timestamp, offset and event
   * time (ms).
   */
  private readonly events: string[] = [];
  private readonly recorded: number[] = [];
  private readonly offsets: number[] = [];
  private readonly times: number[] = [];
  /** Per source: the next offset received. */
  private readonly received = new Map<string, number>();

  /** Per source: records received and not yet on the recording timeline, in offset order. */
  private readonly pending = new Map<string, number[]>();
  private readonly queuedTicks: TickLogEntry[] = [];
  /** The projection's stored offsets at the latest look at its tick log. */
  private applied = new Map<string, number>();
  private readonly segments: Segment[];

  private readonly eventTime: Timeline;
  /** Records received before the first catch-up (the event-time timeline is built then). */
  private unbuilt: number[] | undefined = [];
  /** Event-time checkpoints are still to be built (queries wait until they are). */
  private behind = false;

  constructor(options: TimeTravelOptions = {}) {
    this.checkpointEvery = options.checkpointEvery ?? 5000;
    this.policy = options.policy ?? DEFAULT_ALERT_POLICY;
    this.eventTime = new Timeline(
      new MemoryModel({ journals: false }),
      this.along(this.times),
      this.checkpointEvery,
    );
    this.segments = [{ timeline: this.recordingTimeline(new MemoryModel({ journals: false })) }];
  }

  /** Records read from a source, in offset order, and the next offset to read from it. */
  addRecords(source: string, records: readonly SourcedRecord[], nextOffset: number): void {
    const queue = this.pending.get(source) ?? [];
    this.pending.set(source, queue);
    const have = this.received.get(source) ?? 0;
    const added: number[] = [];
    // A partition read again (the consumer rejoined and started over) adds nothing twice.
    for (const record of records.filter(({ offset }) => offset >= have)) {
      const index = this.events.push(JSON.stringify(record.event)) - 1;
      this.recorded.push(record.recordedMs);
      this.offsets.push(record.offset);
      this.times.push(Date.parse(record.event.time));
      queue.push(index);
      added.push(index);
    }
    if (this.unbuilt === undefined) this.eventTime.add(added);
    else this.unbuilt.push(...added);
    this.received.set(source, Math.max(nextOffset, this.received.get(source) ?? 0));
  }

  /**
   * Ticks the projection applied (its tick log, oldest first; ones seen before are ignored)
   * and its stored offsets read in the same look: every record before those offsets was
   * applied, after every tick that preceded it.
   */
  addTicks(ticks: readonly TickLogEntry[], applied: ReadonlyMap<string, number>): void {
    const last = this.queuedTicks.at(-1)?.wallMs ?? this.segments.at(-1)?.tick?.wallMs ?? -Infinity;
    this.queuedTicks.push(...ticks.filter((tick) => tick.wallMs > last));
    this.applied = new Map(applied);
  }

  /** The next offset to read from a source. */
  position(source: string): number {
    return this.received.get(source) ?? 0;
  }

  /** Number of records read. */
  get size(): number {
    return this.events.length;
  }

  /**
   * Folds what arrived into both timelines, building at most `maxCheckpoints` event-time
   * checkpoints; returns whether more are due. The event-time timeline is built on the first
   * call with `caughtUp` (the log read to the ends seen at start): until then records are only
   * kept, since they arrive far from event-time order.
   */
  advance(caughtUp: boolean, maxCheckpoints = Number.POSITIVE_INFINITY): boolean {
    this.advanceRecording();
    if (this.unbuilt !== undefined) {
      if (!caughtUp) return false;
      this.eventTime.add(this.unbuilt);
      this.unbuilt = undefined;
    }
    this.behind = this.eventTime.extend(maxCheckpoints);
    return this.behind;
  }

  /** Whether `asOf` queries can be answered (the event-time timeline is built). */
  get ready(): boolean {
    return this.unbuilt === undefined && !this.behind;
  }

  /** A channel's value as of `timeMs` (event time), as known now; null where it has none. */
  asOf(timeMs: number, channel: string): ChannelValue | null {
    if (!this.ready) throw new NotCaughtUpError('the log is still being read from its beginning');
    this.eventTime.extend();
    return valueAfterTick(this.eventTime.at(timeMs), channel, new Date(timeMs).toISOString());
  }

  /** The model as the tracker showed it at `timeMs` (recording time). */
  knownAt(timeMs: number): MemoryModel {
    if (this.queuedTicks.some((tick) => tick.wallMs <= timeMs))
      throw new NotCaughtUpError('the log has not been read up to that time yet');
    const at = countWhile(
      this.segments,
      (segment) => (segment.tick?.wallMs ?? -Infinity) <= timeMs,
    );
    const model = this.segments[at - 1].timeline.at(timeMs);
    const later = this.segments.slice(at).flatMap(({ timeline }) => timeline.upTo(timeMs));
    for (const queue of this.pending.values())
      for (const index of queue) if (this.recorded[index] <= timeMs) later.push(index);
    foldRecords(model, later.map(this.record));
    return model;
  }

  private advanceRecording(): void {
    while (this.queuedTicks.length > 0) {
      const tick = this.queuedTicks[0];
      const reached = Object.entries(tick.offsets).every(
        ([source, offset]) => (this.received.get(source) ?? 0) >= offset,
      );
      if (!reached) break;
      this.place(new Map(Object.entries(tick.offsets)));
      const model = (this.segments.at(-1) as Segment).timeline.at(Number.POSITIVE_INFINITY);
      tickModel(model, tick.asOf, this.policy);
      this.queuedTicks.shift();
      this.segments.push({ tick, timeline: this.recordingTimeline(model) });
    }
    // Records the projection applied, but none past a tick not reached yet: they follow it.
    const waiting = this.queuedTicks[0]?.offsets;
    this.place(
      new Map(
        [...this.applied].map(([source, offset]) => [
          source,
          waiting === undefined ? offset : Math.min(offset, waiting[source] ?? 0),
        ]),
      ),
    );
  }

  /** Puts the pending records before `bounds` (per source) on the recording timeline. */
  private place(bounds: ReadonlyMap<string, number>): void {
    const placed: number[] = [];
    for (const [source, bound] of bounds) {
      const queue = this.pending.get(source);
      if (queue === undefined) continue;
      let taken = 0;
      while (taken < queue.length && this.offsets[queue[taken]] < bound) taken += 1;
      placed.push(...queue.splice(0, taken));
    }
    const { timeline } = this.segments.at(-1) as Segment;
    timeline.add(placed);
    timeline.extend();
  }

  private recordingTimeline(base: MemoryModel): Timeline {
    return new Timeline(base, this.along(this.recorded), this.checkpointEvery);
  }

  /** How a timeline along `times` (event or recording times, by record index) reads records. */
  private along(times: readonly number[]): TimelineRecords {
    return {
      timeOf: (index) => times[index],
      fold: (model, indices) => foldRecords(model, indices.map(this.record)),
    };
  }

  private readonly record = (index: number): RecordedEvent => ({
    event: JSON.parse(this.events[index]) as TrackerEvent,
    recordedMs: this.recorded[index],
  });
}

/** How many items from the start satisfy `holds` (which holds for a prefix): binary search. */
function countWhile<T>(items: readonly T[], holds: (item: T) => boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (holds(items[middle])) low = middle + 1;
    else high = middle;
  }
  return low;
}
