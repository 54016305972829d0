import type { TrackerEvent } from '@tracker/contracts';
import type { TickLogEntry } from '@tracker/read-model';
import { AlertPolicy, DEFAULT_ALERT_POLICY } from '../alerts/alert-rules';
import type { RecordedEvent } from '../apply/batch-plan';
import { foldRecords, tickModel } from './memory-fold';
import { MemoryModel } from './memory-model';

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

interface RecordingCheckpoint {
  /** Records of the recording timeline folded into it. */
  readonly placed: number;
  /** Ticks applied to it. */
  readonly ticks: number;
  /** The latest record timestamp among them. */
  readonly maxRecordedMs: number;
  readonly model: MemoryModel;
}

interface TimeCheckpoint {
  /** It holds every record whose event time is at or before this. */
  readonly timeMs: number;
  readonly model: MemoryModel;
}

interface CommittedTick extends TickLogEntry {
  /** Records of the recording timeline before it. */
  readonly position: number;
}

/**
 * Time travel over the projection's input log, in memory (README, "Time travel").
 *
 * - `asOf(T)`: every record whose event time is at or before T (however late it was recorded),
 *   folded with no clock, then one clock tick at T. Checkpoints along event time; a record
 *   recorded late is folded into every checkpoint after its time (folds are order-independent
 *   and idempotent, so the checkpoint is then what a fold in any order would give).
 * - `knownAt(T)`: the recording timeline — records in the order the projection applied them
 *   (per partition, up to the offsets each tick names) with the ticks it really ran, at the
 *   `asOf` each set — up to the last tick at or before T, then every further record recorded
 *   at or before T. Checkpoints along it at every tick and every `checkpointEvery` records.
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
  private readonly ticks: CommittedTick[] = [];
  /** The projection's stored offsets at the latest look at its tick log. */
  private applied = new Map<string, number>();
  private readonly placed: number[] = [];
  private placedMaxMs = -Infinity;
  private recording = new MemoryModel({ journals: false });
  private readonly recordingCheckpoints: RecordingCheckpoint[] = [];

  /** Record indices by event time (then index); `undefined` until the first catch-up. */
  private byTime?: number[];
  private readonly unsorted: number[] = [];
  private readonly timeCheckpoints: TimeCheckpoint[] = [];
  /** More than `checkpointEvery` records follow the last event-time checkpoint. */
  private behind = false;

  constructor(options: TimeTravelOptions = {}) {
    this.checkpointEvery = options.checkpointEvery ?? 5000;
    this.policy = options.policy ?? DEFAULT_ALERT_POLICY;
    this.recordingCheckpoints.push({
      placed: 0,
      ticks: 0,
      maxRecordedMs: -Infinity,
      model: this.recording.fork(),
    });
  }

  /** Records read from a source, in offset order, and the next offset to read from it. */
  addRecords(source: string, records: readonly SourcedRecord[], nextOffset: number): void {
    const queue = this.pending.get(source) ?? [];
    this.pending.set(source, queue);
    const have = this.received.get(source) ?? 0;
    // A partition read again (the consumer rejoined and started over) adds nothing twice.
    for (const record of records.filter(({ offset }) => offset >= have)) {
      const index = this.events.push(JSON.stringify(record.event)) - 1;
      this.recorded.push(record.recordedMs);
      this.offsets.push(record.offset);
      this.times.push(Date.parse(record.event.time));
      queue.push(index);
      this.unsorted.push(index);
    }
    this.received.set(source, Math.max(nextOffset, this.received.get(source) ?? 0));
  }

  /**
   * Ticks the projection applied (its tick log, oldest first; ones seen before are ignored)
   * and its stored offsets read in the same look: every record before those offsets was
   * applied, after every tick that preceded it.
   */
  addTicks(ticks: readonly TickLogEntry[], applied: ReadonlyMap<string, number>): void {
    const last =
      this.queuedTicks.at(-1)?.wallMs ?? this.ticks.at(-1)?.wallMs ?? Number.NEGATIVE_INFINITY;
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
   * Folds what arrived into both timelines. The event-time timeline is built on the first call
   * with `caughtUp` (the log read to the ends seen at start): until then records are only
   * kept, since they arrive far from event-time order.
   */
  advance(caughtUp: boolean, maxCheckpoints = Number.POSITIVE_INFINITY): boolean {
    this.advanceRecording();
    if (this.byTime === undefined && !caughtUp) return false;
    this.behind = this.advanceEventTime(maxCheckpoints);
    return this.behind;
  }

  /** Whether `asOf` queries can be answered (the event-time timeline is built). */
  get ready(): boolean {
    return this.byTime !== undefined && !this.behind;
  }

  /** The model as of `timeMs` (event time), as known now. */
  asOf(timeMs: number): MemoryModel {
    if (!this.ready) throw new NotCaughtUpError('the log is still being read from its beginning');
    this.advanceEventTime(Number.POSITIVE_INFINITY);
    const byTime = this.byTime as number[];
    const checkpoint = lastWhere(this.timeCheckpoints, (c) => c.timeMs <= timeMs);
    const model = checkpoint?.model.fork() ?? new MemoryModel({ journals: false });
    const from = checkpoint === undefined ? 0 : this.timeRank(checkpoint.timeMs);
    const to = this.timeRank(timeMs);
    foldRecords(
      model,
      byTime.slice(from, to).map((index) => this.record(index)),
    );
    tickModel(model, new Date(timeMs).toISOString(), this.policy);
    return model;
  }

  /** The model as the tracker showed it at `timeMs` (recording time). */
  knownAt(timeMs: number): MemoryModel {
    if (this.queuedTicks.some((tick) => tick.wallMs <= timeMs))
      throw new NotCaughtUpError('the log has not been read up to that time yet');
    const ticks = countWhile(this.ticks, (tick) => tick.wallMs <= timeMs);
    const checkpoint = lastWhere(
      this.recordingCheckpoints,
      (c) => c.ticks <= ticks && c.maxRecordedMs <= timeMs,
    ) as RecordingCheckpoint;
    const model = checkpoint.model.fork();
    let position = checkpoint.placed;
    const upTo = (end: number) =>
      this.placed
        .slice(position, end)
        .filter((index) => this.recorded[index] <= timeMs)
        .map((index) => this.record(index));
    for (const tick of this.ticks.slice(checkpoint.ticks, ticks)) {
      foldRecords(model, upTo(tick.position));
      position = Math.max(position, tick.position);
      tickModel(model, tick.asOf, this.policy);
    }
    const rest = upTo(this.placed.length);
    for (const queue of this.pending.values())
      for (const index of queue) if (this.recorded[index] <= timeMs) rest.push(this.record(index));
    foldRecords(model, rest);
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
      tickModel(this.recording, tick.asOf, this.policy);
      this.queuedTicks.shift();
      this.ticks.push({ ...tick, position: this.placed.length });
      this.checkpointRecording();
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
    let folded = this.placed.length;
    for (const [source, bound] of bounds) {
      const queue = this.pending.get(source);
      if (queue === undefined) continue;
      let taken = 0;
      while (taken < queue.length && this.offsets[queue[taken]] < bound) taken += 1;
      this.placed.push(...queue.splice(0, taken));
    }
    while (folded < this.placed.length) {
      const room = this.checkpointEvery - (folded - this.lastPlacedCheckpoint());
      const end = Math.min(this.placed.length, folded + Math.max(1, room));
      const chunk = this.placed.slice(folded, end).map((index) => this.record(index));
      foldRecords(this.recording, chunk);
      for (const { recordedMs } of chunk) this.placedMaxMs = Math.max(this.placedMaxMs, recordedMs);
      folded = end;
      if (folded - this.lastPlacedCheckpoint() >= this.checkpointEvery)
        this.checkpointRecording(folded);
    }
  }

  private lastPlacedCheckpoint(): number {
    return (this.recordingCheckpoints.at(-1) as RecordingCheckpoint).placed;
  }

  private checkpointRecording(placed = this.placed.length): void {
    this.recordingCheckpoints.push({
      placed,
      ticks: this.ticks.length,
      maxRecordedMs: this.placedMaxMs,
      model: this.recording.fork(),
    });
  }

  /** Returns whether checkpoints are still to be built (more than `maxCheckpoints` were due). */
  private advanceEventTime(maxCheckpoints: number): boolean {
    if (this.unsorted.length === 0 && this.byTime !== undefined)
      return this.extendTimeCheckpoints(maxCheckpoints);
    const fresh = this.unsorted.splice(0).sort(this.byTimeOrder);
    const lastMs = this.timeCheckpoints.at(-1)?.timeMs ?? Number.NEGATIVE_INFINITY;
    // Late records (event time inside checkpoints already built) go into every such checkpoint.
    const late = fresh.filter((index) => this.timeMsOf(index) <= lastMs);
    for (const checkpoint of this.timeCheckpoints) {
      const due = late.filter((index) => this.timeMsOf(index) <= checkpoint.timeMs);
      if (due.length > 0)
        foldRecords(
          checkpoint.model,
          due.map((index) => this.record(index)),
        );
    }
    this.byTime = merge(this.byTime ?? [], fresh, this.byTimeOrder);
    return this.extendTimeCheckpoints(maxCheckpoints);
  }

  /**
   * New checkpoints while more than `checkpointEvery` records follow the last one, at most
   * `max`; returns whether more are due.
   */
  private extendTimeCheckpoints(max: number): boolean {
    const byTime = this.byTime as number[];
    for (let built = 0; ; built += 1) {
      const last = this.timeCheckpoints.at(-1);
      const from = last === undefined ? 0 : this.timeRank(last.timeMs);
      if (byTime.length - from <= this.checkpointEvery) return false;
      if (built >= max) return true;
      const timeMs = this.timeMsOf(byTime[from + this.checkpointEvery - 1]);
      const to = this.timeRank(timeMs);
      const model = last?.model.fork() ?? new MemoryModel({ journals: false });
      foldRecords(
        model,
        byTime.slice(from, to).map((index) => this.record(index)),
      );
      this.timeCheckpoints.push({ timeMs, model });
    }
  }

  /** How many records have an event time at or before `timeMs` (a position in `byTime`). */
  private timeRank(timeMs: number): number {
    const byTime = this.byTime as number[];
    let low = 0;
    let high = byTime.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.timeMsOf(byTime[middle]) <= timeMs) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private record(index: number): RecordedEvent {
    return {
      event: JSON.parse(this.events[index]) as TrackerEvent,
      recordedMs: this.recorded[index],
    };
  }

  private timeMsOf(index: number): number {
    return this.times[index];
  }

  private readonly byTimeOrder = (a: number, b: number): number =>
    this.timeMsOf(a) - this.timeMsOf(b) || a - b;
}

function lastWhere<T>(items: readonly T[], holds: (item: T) => boolean): T | undefined {
  return items[countWhile(items, holds) - 1];
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

function merge(
  a: readonly number[],
  b: readonly number[],
  order: (x: number, y: number) => number,
): number[] {
  if (b.length === 0) return a as number[];
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(order(a[i], b[j]) <= 0 ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}
