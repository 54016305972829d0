import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { COUNTER_CEILING, type Increment } from './aggregate-fields';
import { KeySpace } from './keys';
import {
  APPLY_LUA,
  BEGIN_BUILD_LUA,
  COPY_ALERTS_LUA,
  LOAD_LUA,
  OUTBOX_ACK_LUA,
  START_EPOCH_LUA,
  SWITCH_EPOCH_LUA,
} from './lua/write.lua';
import { LuaScript } from './lua-script';
import type { UnnumberedHistoryEntry } from './pledge-history';
import type { RecordedPublicFact } from './public-ledger';
import type { Cause } from './reader';
import { AlertValue, FEED_SIZE, FeedEntry } from './values';

const scripts = {
  load: new LuaScript(LOAD_LUA),
  apply: new LuaScript(APPLY_LUA),
  start: new LuaScript(START_EPOCH_LUA),
  begin: new LuaScript(BEGIN_BUILD_LUA),
  switch: new LuaScript(SWITCH_EPOCH_LUA),
  copyAlerts: new LuaScript(COPY_ALERTS_LUA),
  outboxAck: new LuaScript(OUTBOX_ACK_LUA),
};

/** Kinds of per-entity documents; a document key is `<kind>:<id>`. */
export type DocKind = 'pledge' | 'shipment' | 'lot' | 'capacity' | 'stockpile' | 'programme';
export const docKey = (kind: DocKind, id: string): string => `${kind}:${id}`;

/** Sorted sets the projection keeps to find work for its clock. */
export type IndexName = 'open' | 'transit' | 'suspects';

/** A document as stored: `rev` counts its writes (the optimistic-concurrency token). */
export interface StoredDoc {
  readonly key: string;
  readonly rev: string;
  readonly doc: string | null;
  /** A pledge's channel value (JSON). */
  readonly value: string | null;
}

export interface LoadRequest {
  readonly docs: readonly string[];
  readonly events: readonly string[];
  readonly offsets: readonly string[];
  readonly aggregates: readonly { readonly key: string; readonly fields: readonly string[] }[];
}

export interface Loaded {
  readonly currentEpoch: string | null;
  readonly meta: ReadonlyMap<string, string>;
  /** Every requested document and every document one of them links to; absent ones too. */
  readonly docs: ReadonlyMap<string, StoredDoc>;
  readonly seen: ReadonlySet<string>;
  readonly offsets: ReadonlyMap<string, string | null>;
  readonly aggregates: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** Everything one atomic step writes, and what it requires to still hold. */
export interface BatchWrite {
  /** true: the epoch must be current; false: it must be a rebuild in progress. */
  readonly live: boolean;
  /** The `asOf` the step was computed with ('' before the first clock tick). */
  readonly asOf: string;
  /** Per partition: the batch starts at `from`, the stored offset must be `from` (or absent). */
  readonly offsets: readonly { field: string; from: string; next: string }[];
  /** Event ids applied by this step; none may be applied already. */
  readonly events: readonly { id: string; timeMs: number }[];
  /** Documents replaced; `rev` is the revision they were read at. */
  readonly docs: readonly {
    key: string;
    rev: string;
    doc: string;
    value?: string;
    /** The document this one links to (loaded with it), e.g. a shipment's pledge. */
    link?: string;
  }[];
  readonly increments: readonly Increment[];
  readonly fields: readonly { key: string; field: string; value: string | null }[];
  readonly series: readonly {
    itemCode: string;
    date: string;
    measure: 'p' | 's' | 'd';
    delta: number;
  }[];
  readonly index: readonly { index: IndexName; member: string; score: number | null }[];
  /**
   * Feed entries; an entry replaces the feed's entry of the same event id (the same event
   * applied again once the dedupe window forgot it, knowing more of its parties).
   */
  readonly feed: readonly { entry: FeedEntry; timeMs: number }[];
  /**
   * Public facts of the step's events for the public ledger, scored by their recording time; a
   * fact already in the ledger keeps its first recording time.
   */
  readonly ledger: readonly RecordedPublicFact[];
  /**
   * Pledge history entries of the step's events, in the order applied (./pledge-history); an
   * event that already has an entry in the pledge's history keeps it.
   */
  readonly history: readonly { pledgeId: string; entry: UnnumberedHistoryEntry }[];
  readonly alerts: readonly { alertId: string; value: AlertValue | null }[];
  /** Serialized alert CloudEvents to publish. */
  readonly outbox: readonly string[];
  readonly meta: readonly { field: string; value: string }[];
  /** Channels whose new value goes to the change stream, with what caused the change. */
  readonly emits: readonly { channel: string; cause: Cause }[];
  /**
   * A clock tick's new `asOf`: the step adds an entry to the epoch's tick log (./tick-log).
   */
  readonly tick?: string;
}

/** A live step that changes nothing: a start to spread one change into. */
export const EMPTY_BATCH_WRITE: BatchWrite = {
  live: true,
  asOf: '',
  offsets: [],
  events: [],
  docs: [],
  increments: [],
  fields: [],
  series: [],
  index: [],
  feed: [],
  ledger: [],
  history: [],
  alerts: [],
  outbox: [],
  meta: [],
  emits: [],
};

/**
 * A write step would have carried a counter past {@link COUNTER_CEILING}: nothing was written.
 * Not a conflict that retrying resolves — the projection stops on it (its lag grows, readiness
 * goes down) instead of storing a sum that is no longer exact.
 */
export class CounterCeilingError extends Error {
  readonly retriable = false;

  constructor(readonly what: string) {
    super(`read-model counter ${what} would pass ${COUNTER_CEILING} (2^53 - 1): step refused`);
    this.name = 'CounterCeilingError';
  }
}

export type ApplyResult =
  | { readonly kind: 'ok' }
  | { readonly kind: 'epoch'; readonly current: string | null }
  | { readonly kind: 'fenced'; readonly field: string; readonly stored: string }
  | { readonly kind: 'conflict'; readonly what: string };

export interface ReadModelWriterOptions {
  readonly namespace?: string;
  /** Approximate length the change stream is capped at (XADD MAXLEN ~). */
  readonly streamMaxLength?: number;
  /** How many recent event ids (by event time) the dedupe set keeps. */
  readonly dedupeWindow?: number;
}

export const DEFAULT_STREAM_MAX_LENGTH = 100_000;
export const DEFAULT_DEDUPE_WINDOW = 500_000;

const DAY_MS = 86_400_000;

/** A fresh epoch id: time-ordered base-36, unique by its random tail. */
export function newEpochId(): string {
  return `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

/**
 * The projection's side of the read model: one atomic write step per batch (see APPLY_LUA), the
 * consistent read that precedes it, and the epoch lifecycle (start, rebuild, switch).
 */
export class ReadModelWriter {
  readonly keys: KeySpace;
  private readonly streamMaxLength: number;
  private readonly dedupeWindow: number;

  constructor(
    private readonly redis: Redis,
    options: ReadModelWriterOptions = {},
  ) {
    this.keys = new KeySpace(redis, options.namespace);
    this.streamMaxLength = options.streamMaxLength ?? DEFAULT_STREAM_MAX_LENGTH;
    this.dedupeWindow = options.dedupeWindow ?? DEFAULT_DEDUPE_WINDOW;
  }

  /** The current epoch, creating an empty live one when Redis has none (new or flushed). */
  async startEpoch(): Promise<{ epoch: string; created: boolean }> {
    const [epoch, created] = (await scripts.start.run(
      this.redis,
      [this.keys.epochKey],
      [this.keys.base, newEpochId(), new Date().toISOString()],
    )) as [string, number];
    return { epoch, created: created === 1 };
  }

  async currentEpoch(): Promise<string | null> {
    return this.redis.get(this.keys.epochKey);
  }

  /** A new, empty epoch for a rebuild; readers keep the current one until {@link switchTo}. */
  async beginBuild(): Promise<string> {
    const epoch = newEpochId();
    await scripts.begin.run(
      this.redis,
      [this.keys.epochKey],
      [this.keys.base, epoch, new Date().toISOString()],
    );
    return epoch;
  }

  /** Makes a rebuilt epoch current in one step; returns the previous epoch, if any. */
  async switchTo(epoch: string): Promise<string | undefined> {
    const previous = (await scripts.switch.run(
      this.redis,
      [this.keys.epochKey],
      [this.keys.base, epoch],
    )) as string | null;
    if (previous === null) throw new Error(`epoch ${epoch} is not a rebuild in progress`);
    return previous === '' ? undefined : previous;
  }

  /** Replaces `to`'s open alerts with `from`'s: the hysteresis memory survives a rebuild. */
  async copyAlerts(from: string, to: string): Promise<void> {
    await scripts.copyAlerts.run(this.redis, [this.keys.epochKey], [this.keys.base, from, to]);
  }

  /**
   * Adds `from`'s tick log to `to`'s: a rebuilt epoch keeps the ticks the tracker ran before it,
   * so time travel can still show what was shown then (`knownAt`).
   */
  async copyTickLog(from: string, to: string): Promise<void> {
    const target = this.keys.tickLogKey(to);
    await this.redis.zunionstore(target, 2, this.keys.tickLogKey(from), target);
  }

  /** Deletes every key of an epoch (a retired one, or an abandoned rebuild). */
  async dropEpoch(epoch: string): Promise<void> {
    const pattern = `${this.keys.base}${epoch}:*`;
    const keyPrefix = this.redis.options.keyPrefix ?? '';
    let cursor = '0';
    do {
      // SCAN patterns are not prefixed by ioredis, and the keys it returns carry the prefix.
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0)
        await this.redis.unlink(...keys.map((key) => key.slice(keyPrefix.length)));
      cursor = next;
    } while (cursor !== '0');
  }

  /** One consistent read of what a step needs; see LOAD_LUA. */
  async load(epoch: string, request: LoadRequest): Promise<Loaded> {
    const payload = JSON.stringify({
      d: request.docs,
      s: request.events,
      o: request.offsets,
      a: request.aggregates.map(({ key, fields }) => [key, ...fields]),
    });

    const [current, meta, docs, seen, offsets, aggregates] = (await scripts.load.run(
      this.redis,
      [this.keys.epochKey],
      [this.keys.base, epoch, payload],
    )) as [
      string | null,
      string[],
      (string | null)[],
      number[],
      (string | null)[],
      (string | null)[][],
    ];
    const docMap = new Map<string, StoredDoc>();
    for (let i = 0; i + 3 < docs.length; i += 4) {
      const key = docs[i] as string;
      docMap.set(key, { key, rev: docs[i + 1] as string, doc: docs[i + 2], value: docs[i + 3] });
    }
    return {
      currentEpoch: current,
      meta: pairs(meta),
      docs: docMap,
      seen: new Set(request.events.filter((_, index) => seen[index] === 1)),
      offsets: new Map(request.offsets.map((field, index) => [field, offsets[index] ?? null])),
      aggregates: new Map(
        request.aggregates.map(({ key, fields }, index) => [
          key,
          new Map(fields.map((field, at) => [field, Number(aggregates[index]?.[at] ?? 0)])),
        ]),
      ),
    };
  }

  /**
   * The atomic step; see APPLY_LUA. Nothing is written unless every requirement holds.
   *
   * @throws CounterCeilingError when a counter would pass {@link COUNTER_CEILING}.
   */
  async apply(epoch: string, write: BatchWrite): Promise<ApplyResult> {
    const blobs: string[] = [];
    const blob = (value: string): number => blobs.push(value) - 1;
    const plan = {
      e: epoch,
      live: write.live,
      ax: write.asOf,
      o: write.offsets.map(({ field, from, next }) => [field, from, next]),
      s: write.events.map(({ id, timeMs }) => [id, String(timeMs)]),
      w: write.docs.map(({ key, rev, doc, value, link }) => [
        key,
        rev,
        blob(doc),
        value === undefined ? null : blob(value),
        link ?? null,
      ]),
      i: write.increments.map(({ key, field, delta }) => [key, field, String(delta)]),
      f: write.fields.map(({ key, field, value }) => [key, field, value]),
      t: seriesByDay(write.series),
      z: write.index.map(({ index, member, score }) => [
        index,
        member,
        score === null ? null : String(score),
      ]),
      fd: latestFeed(write.feed).map(({ id, member, timeMs }) => [
        blob(member),
        String(timeMs),
        id,
      ]),
      lg: write.ledger.map(({ fact, recordedMs }) => [
        blob(JSON.stringify(fact)),
        String(recordedMs),
      ]),
      h: write.history.map(({ pledgeId, entry }) => [
        pledgeId,
        entry.eventId,
        blob(JSON.stringify(entry)),
      ]),
      al: write.alerts.map(({ alertId, value }) => [
        alertId,
        value === null ? null : blob(JSON.stringify(value)),
      ]),
      ob: write.outbox.map(blob),
      m: write.meta.map(({ field, value }) => [field, value]),
      x: write.emits.map(({ channel, cause }) => [channel, blob(JSON.stringify(cause))]),
      tk: write.tick ?? null,
      max: this.streamMaxLength,
      win: this.dedupeWindow,
    };

    const reply = (await scripts.apply.run(
      this.redis,
      [this.keys.epochKey],
      [this.keys.base, JSON.stringify(plan), ...blobs],
    )) as [string, string | null, string | null];
    const [outcome, first, second] = reply;
    if (outcome === 'ok') return { kind: 'ok' };
    if (outcome === 'epoch') return { kind: 'epoch', current: first };
    if (outcome === 'ceiling') throw new CounterCeilingError(String(first));
    if (outcome === 'fenced')
      return { kind: 'fenced', field: String(first), stored: String(second) };
    return { kind: 'conflict', what: String(first) };
  }

  /** Members of an index with their scores, between `min` and `max` (inclusive). */
  async indexRange(
    epoch: string,
    index: IndexName,
    min: number | '-inf',
    max: number | '+inf',
  ): Promise<{ member: string; score: number }[]> {
    const flat = await this.redis.zrangebyscore(
      `${this.keys.epochPrefix(epoch)}${index}`,
      min,
      max,
      'WITHSCORES',
    );
    const members: { member: string; score: number }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2)
      members.push({ member: flat[i], score: Number(flat[i + 1]) });
    return members;
  }

  /** Every open alert of an epoch. */
  async openAlerts(epoch: string): Promise<AlertValue[]> {
    const values = await this.redis.hvals(`${this.keys.epochPrefix(epoch)}alerts`);
    return values.map((value) => JSON.parse(value) as AlertValue);
  }

  /** Stored offsets of an epoch, `<topic>:<partition>` → next offset. */
  async offsets(epoch: string): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(`${this.keys.epochPrefix(epoch)}off`)));
  }

  /** Up to `count` alert events waiting at the head of the outbox. */
  async peekOutbox(count: number): Promise<string[]> {
    return this.redis.lrange(this.keys.outboxKey, 0, count - 1);
  }

  /** Drops the events {@link peekOutbox} returned once they are published. */
  async ackOutbox(sent: readonly string[]): Promise<void> {
    if (sent.length === 0) return;
    await scripts.outboxAck.run(
      this.redis,
      [this.keys.outboxKey],
      [sent.length, sent[0], sent[sent.length - 1]],
    );
  }
}

/**
 * The series changes grouped by item and day, `[itemCode, date, day score, measure, delta, …]`:
 * the step then looks at a day's membership of the `dates` index once, not once per measure.
 */
function seriesByDay(series: BatchWrite['series']): string[][] {
  const days = new Map<string, string[]>();
  for (const { itemCode, date, measure, delta } of series) {
    const id = `${itemCode}|${date}`;
    let day = days.get(id);
    if (day === undefined) {
      day = [itemCode, date, String(Math.floor(Date.parse(date) / DAY_MS))];
      days.set(id, day);
    }
    day.push(measure, String(delta));
  }
  return [...days.values()];
}

function pairs(flat: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(flat[i], flat[i + 1]);
  return map;
}

/**
 * The feed keeps the {@link FEED_SIZE} latest entries by event time (ties: the greater member,
 * as the sorted set orders them): entries of a step that are not among its own latest cannot be
 * among the feed's, so they are not sent at all. Entries older than the step's FEED_SIZE-th
 * latest time cannot be among its latest whatever the ties, so only the others are serialized.
 */
function latestFeed(feed: BatchWrite['feed']): { id: string; member: string; timeMs: number }[] {
  const serialize = ({ entry, timeMs }: BatchWrite['feed'][number]) => ({
    id: entry.id,
    member: JSON.stringify(entry),
    timeMs,
  });
  if (feed.length <= FEED_SIZE) return feed.map(serialize);
  const cutoff = feed.map(({ timeMs }) => timeMs).sort((a, b) => b - a)[FEED_SIZE - 1];
  const members = feed.filter(({ timeMs }) => timeMs >= cutoff).map(serialize);
  members.sort(
    (a, b) => b.timeMs - a.timeMs || (a.member < b.member ? 1 : a.member > b.member ? -1 : 0),
  );
  return members.slice(0, FEED_SIZE);
}
