import type { MemoryModel } from './memory-model';

/** How a timeline reads its records (indices into the engine's store). */
export interface TimelineRecords {
  /** The record's time on this timeline (event time, or when it was recorded). */
  timeOf(index: number): number;
  /** Folds records into a model (in any order: folds are order-independent and idempotent). */
  fold(model: MemoryModel, indices: readonly number[]): void;
}

interface Checkpoint {
  /** It holds the base and every record whose time is at or before this. */
  readonly timeMs: number;
  readonly model: MemoryModel;
  /** The records after it, up to the next checkpoint, ordered by time. */
  following: number[];
}

/**
 * A base model and records, along the records' own time: `at(T)` is the base with every record
 * whose time is at or before T folded in, whatever order the records arrived in. Checkpoints
 * (forks of the model: ./persistent-map) every `every` records keep a query to at most twice
 * that many folds. A record that arrives with a time inside the checkpoints already built is
 * folded into each checkpoint at or after its time (folds being order-independent and
 * idempotent, each is then what a fold in any order would give) and joins the records after the
 * checkpoint before it, which are split by a new checkpoint when they grow past twice `every`.
 */
export class Timeline {
  private readonly checkpoints: Checkpoint[];
  /** Records after the last checkpoint, in arrival order until sorted. */
  private tail: number[] = [];
  private tailSorted = true;
  /** The earliest time of any record on it. */
  private earliestMs = Number.POSITIVE_INFINITY;

  constructor(
    base: MemoryModel,
    private readonly records: TimelineRecords,
    private readonly every: number,
  ) {
    this.checkpoints = [{ timeMs: Number.NEGATIVE_INFINITY, model: base, following: [] }];
  }

  /** Adds records; ones whose time falls inside the built checkpoints are folded into them. */
  add(indices: readonly number[]): void {
    const lastMs = this.last.timeMs;
    const late: number[] = [];
    for (const index of indices) {
      const timeMs = this.records.timeOf(index);
      this.earliestMs = Math.min(this.earliestMs, timeMs);
      if (timeMs > lastMs) {
        this.tail.push(index);
        this.tailSorted = false;
      } else late.push(index);
    }
    if (late.length === 0) return;
    late.sort(this.order);
    for (let at = 1; at < this.checkpoints.length; at += 1) {
      const checkpoint = this.checkpoints[at];
      const due = late.slice(0, this.rank(late, checkpoint.timeMs));
      if (due.length > 0) this.records.fold(checkpoint.model, due);
    }
    // Each checkpoint before a late record takes it among those that follow it, in one merge.
    const grown = new Map<Checkpoint, number[]>();
    for (const index of late) {
      const before = this.checkpoints[this.checkpointAt(this.records.timeOf(index) - 1) - 1];
      const joining = grown.get(before) ?? [];
      grown.set(before, joining);
      joining.push(index);
    }
    for (const [checkpoint, joining] of grown)
      checkpoint.following = merge(checkpoint.following, joining, this.order);
    for (const checkpoint of grown.keys()) this.split(checkpoint);
  }

  /**
   * Builds checkpoints while more than twice `every` records follow the last one (the tail
   * keeps room for records that arrive a little out of order), at most `max` of them; returns
   * whether more are due.
   */
  extend(max = Number.POSITIVE_INFINITY): boolean {
    for (let built = 0; this.tail.length > 2 * this.every; built += 1) {
      if (built >= max) return true;
      const { taken, timeMs, rest } = this.cut(this.sortedTail());
      const model = this.last.model.fork();
      this.records.fold(model, taken);
      this.last.following = taken;
      this.checkpoints.push({ timeMs, model, following: [] });
      this.tail = rest;
    }
    return false;
  }

  /** The base with every record of time at or before `timeMs` folded in: a model of its own. */
  at(timeMs: number): MemoryModel {
    const checkpoint = this.checkpoints[this.checkpointAt(timeMs) - 1];
    const following = checkpoint === this.last ? this.sortedTail() : checkpoint.following;
    const model = checkpoint.model.fork();
    this.records.fold(model, following.slice(0, this.rank(following, timeMs)));
    return model;
  }

  /** Every record of time at or before `timeMs`, in time order (none in O(1) when it is early). */
  upTo(timeMs: number): number[] {
    if (timeMs < this.earliestMs) return [];
    const found: number[] = [];
    for (const checkpoint of this.checkpoints) {
      const following = checkpoint === this.last ? this.sortedTail() : checkpoint.following;
      found.push(...following.slice(0, this.rank(following, timeMs)));
    }
    return found;
  }

  /** Checkpoints inside the records after `checkpoint` while more than twice `every` follow it. */
  private split(checkpoint: Checkpoint): void {
    let before = checkpoint;
    while (before.following.length > 2 * this.every) {
      const { taken, timeMs, rest } = this.cut(before.following);
      if (rest.length === 0) return;
      const model = before.model.fork();
      this.records.fold(model, taken);
      const inserted: Checkpoint = { timeMs, model, following: rest };
      before.following = taken;
      this.checkpoints.splice(this.checkpoints.indexOf(before) + 1, 0, inserted);
      before = inserted;
    }
  }

  /** The first `every` of sorted records, and any after them of the same time, and the rest. */
  private cut(sorted: readonly number[]): { taken: number[]; timeMs: number; rest: number[] } {
    let cut = this.every;
    const timeMs = this.records.timeOf(sorted[cut - 1]);
    while (cut < sorted.length && this.records.timeOf(sorted[cut]) === timeMs) cut += 1;
    return { taken: sorted.slice(0, cut), timeMs, rest: sorted.slice(cut) };
  }

  private get last(): Checkpoint {
    return this.checkpoints[this.checkpoints.length - 1];
  }

  private sortedTail(): number[] {
    if (!this.tailSorted) {
      this.tail.sort(this.order);
      this.tailSorted = true;
    }
    return this.tail;
  }

  /** How many checkpoints hold nothing after `timeMs` (the first always: the base). */
  private checkpointAt(timeMs: number): number {
    let low = 1;
    let high = this.checkpoints.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.checkpoints[middle].timeMs <= timeMs) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** How many of `sorted` have a time at or before `timeMs`. */
  private rank(sorted: readonly number[], timeMs: number): number {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.records.timeOf(sorted[middle]) <= timeMs) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private readonly order = (a: number, b: number): number =>
    this.records.timeOf(a) - this.records.timeOf(b) || a - b;
}

function merge(
  a: readonly number[],
  b: readonly number[],
  order: (x: number, y: number) => number,
): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(order(a[i], b[j]) <= 0 ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}
