import {
  AlertValue,
  ChannelValue,
  DAILY_POINTS,
  FEED_SIZE,
  FeedEntry,
  IndexName,
  Loaded,
  LoadRequest,
  parseChannel,
  PledgeHistoryEntry,
  PledgeValue,
  present,
  StoredDoc,
} from '@tracker/read-model';
import type { BatchChanges } from '../apply/batch-plan';
import { PersistentMap } from './persistent-map';

/** A document as the step stores it: revision, facts (`d`), pledge value (`v`), link (`l`). */
interface Doc {
  readonly rev: number;
  readonly d?: string;
  readonly v?: string;
  readonly l?: string;
}

/**
 * Parsed pledge values, by the document version holding them: versions never change and are
 * shared between a model and its forks, so a value is parsed once however many checkpoints and
 * queries read it.
 */
const parsedValues = new WeakMap<Doc, PledgeValue>();

export interface MemoryModelOptions {
  /**
   * Keep the journals — dedupe set, feed, public ledger, pledge histories — as the step does
   * (default). Time travel leaves them out: none of the reads it answers shows them, and folds
   * are idempotent without the dedupe set.
   */
  readonly journals?: boolean;
}

/**
 * The read model's storage semantics in memory: what the atomic Lua step (libs/read-model,
 * APPLY_LUA) does, without Redis and without concurrency. Zero counters disappear, the daily
 * series keeps a day while one of its measures is non-zero, the feed keeps the latest entries by
 * event time (one per event id, the last written), the public ledger keeps a fact's first
 * recording time, documents follow their links when loaded. Channel values are composed like
 * COMPOSE_LUA and presented with the same `present`.
 *
 * The property tests fold random streams with it; time travel keeps its checkpoints as
 * {@link fork}s of it, which share everything not written since (persistent maps).
 */
export class MemoryModel {
  readonly docs: PersistentMap<Doc>;
  readonly hashes: PersistentMap<Map<string, string>>;
  readonly indexes: Map<IndexName, PersistentMap<number>>;
  readonly alerts: PersistentMap<string>;
  readonly meta: Map<string, string>;
  readonly feed = new Map<string, number>();
  readonly ledger = new Map<string, number>();
  readonly seen = new Set<string>();
  /** Per pledge: event id → its history entry, numbered in the order added. */
  readonly history = new Map<string, Map<string, PledgeHistoryEntry>>();
  private historySeq = 0;
  /** Hashes this model may change in place (the others are shared with a fork). */
  private owned = new WeakSet<Map<string, string>>();
  readonly journals: boolean;

  constructor(options: MemoryModelOptions = {}, from?: MemoryModel) {
    this.journals = options.journals ?? true;
    this.docs = from?.docs.fork() ?? PersistentMap.empty();
    this.hashes = from?.hashes.fork() ?? PersistentMap.empty();
    this.indexes = new Map(
      (['open', 'transit', 'suspects'] as const).map((name) => [
        name,
        from?.indexes.get(name)?.fork() ?? PersistentMap.empty<number>(),
      ]),
    );
    this.alerts = from?.alerts.fork() ?? PersistentMap.empty();
    this.meta = new Map(from?.meta);
  }

  /** A model equal to this one, at no cost; writes to either never show in the other. */
  fork(): MemoryModel {
    if (this.journals) throw new Error('a model with journals cannot be forked');
    this.owned = new WeakSet();
    return new MemoryModel({ journals: false }, this);
  }

  get asOf(): string {
    return this.meta.get('asOf') ?? '';
  }

  load(request: LoadRequest): Loaded {
    const docs = new Map<string, StoredDoc>();
    const read = (key: string) => {
      if (docs.has(key)) return;
      docs.set(key, this.storedDoc(key));
      return this.docs.get(key)?.l;
    };
    const links = request.docs.map(read).filter((link): link is string => link !== undefined);
    links.forEach(read);
    return {
      currentEpoch: 'memory',
      meta: new Map(this.meta),
      docs,
      seen: new Set(request.events.filter((id) => this.seen.has(id))),
      offsets: new Map(),
      aggregates: new Map(
        request.aggregates.map(({ key, fields }) => [
          key,
          new Map(fields.map((field) => [field, Number(this.hashes.get(key)?.get(field) ?? 0)])),
        ]),
      ),
    };
  }

  storedDoc(key: string): StoredDoc {
    const doc = this.docs.get(key);
    return { key, rev: String(doc?.rev ?? 0), doc: doc?.d ?? null, value: doc?.v ?? null };
  }

  /** A pledge's stored value, parsed (undefined while it has none). */
  pledgeValue(pledgeId: string): PledgeValue | undefined {
    const doc = this.docs.get(`pledge:${pledgeId}`);
    if (doc?.v === undefined) return undefined;
    let value = parsedValues.get(doc);
    if (value === undefined) {
      value = JSON.parse(doc.v) as PledgeValue;
      parsedValues.set(doc, value);
    }
    return value;
  }

  apply(changes: BatchChanges): void {
    for (const { key, doc, value, link } of changes.docs) {
      const current = this.docs.get(key);
      this.docs.set(key, { rev: (current?.rev ?? 0) + 1, d: doc, v: value ?? current?.v, l: link });
    }
    for (const { key, field, delta } of changes.increments) this.increment(key, field, delta);
    for (const { key, field, value } of changes.fields) {
      if (value === null) this.deleteField(key, field);
      else this.hash(key).set(field, value);
    }
    for (const { itemCode, date, measure, delta } of changes.series) {
      this.increment(`series:${itemCode}`, `${date}:${measure}`, delta);
    }
    for (const { index, member, score } of changes.index) {
      const set = this.indexes.get(index) as PersistentMap<number>;
      if (score === null) set.delete(member);
      else set.set(member, score);
    }
    for (const { alertId, value } of changes.alerts) {
      if (value === null) this.alerts.delete(alertId);
      else this.alerts.set(alertId, JSON.stringify(value));
    }
    for (const { field, value } of changes.meta) this.meta.set(field, value);
    if (this.journals) this.applyJournals(changes);
  }

  /** Open alerts, as the clock reads them. */
  openAlerts(): AlertValue[] {
    return [...this.alerts.values()].map((value) => JSON.parse(value) as AlertValue);
  }

  /** Members of an index with their scores, optionally up to a score (ZRANGEBYSCORE). */
  indexRange(index: IndexName, max = Infinity): { member: string; score: number }[] {
    const range: { member: string; score: number }[] = [];
    for (const [member, score] of this.indexes.get(index) ?? [])
      if (score <= max) range.push({ member, score });
    return range.sort((a, b) => a.score - b.score || (a.member < b.member ? -1 : 1));
  }

  /** A channel's value, composed from the model as COMPOSE_LUA composes it from Redis. */
  value(channel: string): ChannelValue | null {
    return present(channel, this.raw(channel));
  }

  /** A pledge's history in the order it was recorded. */
  historyOf(pledgeId: string): PledgeHistoryEntry[] {
    return [...(this.history.get(pledgeId)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
  }

  /**
   * Everything but revisions, the pledge histories (their before → after follow the order applied), the dedupe set and the feed entries' audiences: what must not
   * depend on order or batching. An audience names the parties its batch knew (a milestone
   * folded before its dispatch names none), so it depends on order by design.
   */
  state(): unknown {
    const sorted = <T>(entries: Iterable<[string, T]>) =>
      [...entries].sort(([a], [b]) => (a < b ? -1 : 1));
    return {
      docs: sorted(this.docs).map(([key, { d, v, l }]) => [key, d, v, l]),
      hashes: sorted(this.hashes)
        .filter(([, hash]) => hash.size > 0)
        .map(([key, hash]) => [key, sorted(hash)]),
      indexes: sorted(this.indexes)
        .filter(([, set]) => set.size > 0)
        .map(([key, set]) => [key, sorted(set)]),
      feed: sorted(this.feed).map(([member, score]) => {
        const { audience: _audience, ...entry } = JSON.parse(member) as FeedEntry;
        return [JSON.stringify(entry), score];
      }),
      ledger: sorted(this.ledger),
      alerts: sorted(this.alerts),
    };
  }

  private raw(channel: string): string | null {
    const parsed = parseChannel(channel);
    switch (parsed?.kind) {
      case 'overview':
        return this.hashRaw('agg:overview');
      case 'donor':
        return this.hashRaw(`agg:donor:${parsed.donor}`);
      case 'programme':
        return this.hashRaw(`agg:programme:${parsed.programmeId}`);
      case 'pledge':
        return this.docs.get(`pledge:${parsed.pledgeId}`)?.v ?? null;
      case 'item':
        return this.itemRaw(parsed.itemCode);
      case 'alerts':
        return `[${[...this.alerts.values()].join(',')}]`;
      case 'feed':
        return `[${[...this.feed]
          .sort(([a, x], [b, y]) => y - x || (a < b ? 1 : -1))
          .slice(0, FEED_SIZE)
          .map(([member]) => member)
          .join(',')}]`;
      case undefined:
        return null;
    }
  }

  private hashRaw(key: string): string | null {
    const hash = this.hashes.get(key);
    return hash === undefined || hash.size === 0 ? null : JSON.stringify([...hash].flat());
  }

  /** The item's hash and its latest days with activity, oldest first (COMPOSE_LUA item_raw). */
  private itemRaw(itemCode: string): string | null {
    const h = this.hashRaw(`agg:item:${itemCode}`);
    if (h === null) return null;
    const series = this.hashes.get(`series:${itemCode}`) ?? new Map<string, string>();
    const dates = [
      ...new Set([...series.keys()].map((field) => field.slice(0, field.indexOf(':')))),
    ]
      .sort()
      .slice(-DAILY_POINTS);
    const points = dates.map((date) => [
      date,
      series.get(`${date}:p`) ?? '0',
      series.get(`${date}:s`) ?? '0',
      series.get(`${date}:d`) ?? '0',
    ]);
    return `{"h":${h},"d":${JSON.stringify(points)}}`;
  }

  private applyJournals(changes: BatchChanges): void {
    for (const { entry, timeMs } of changes.feed) {
      for (const member of [...this.feed.keys()])
        if ((JSON.parse(member) as FeedEntry).id === entry.id) this.feed.delete(member);
      this.feed.set(JSON.stringify(entry), timeMs);
    }
    for (const { fact, recordedMs } of changes.ledger) {
      const member = JSON.stringify(fact);
      if (!this.ledger.has(member)) this.ledger.set(member, recordedMs);
    }
    const kept = [...this.feed]
      .sort(([a, x], [b, y]) => y - x || (a < b ? 1 : -1))
      .slice(0, FEED_SIZE);
    this.feed.clear();
    for (const [member, score] of kept) this.feed.set(member, score);
    for (const { pledgeId, entry } of changes.history) {
      const entries = this.history.get(pledgeId) ?? new Map<string, PledgeHistoryEntry>();
      this.history.set(pledgeId, entries);
      if (!entries.has(entry.eventId))
        entries.set(entry.eventId, { seq: ++this.historySeq, ...entry });
    }
    for (const { id } of changes.events) this.seen.add(id);
  }

  /** The hash at `key`, writable by this model (copied first if a fork shares it). */
  private hash(key: string): Map<string, string> {
    const current = this.hashes.get(key);
    if (current !== undefined && this.owned.has(current)) return current;
    const hash = new Map(current);
    this.owned.add(hash);
    this.hashes.set(key, hash);
    return hash;
  }

  private deleteField(key: string, field: string): void {
    if (!this.hashes.get(key)?.has(field)) return;
    const hash = this.hash(key);
    hash.delete(field);
    if (hash.size === 0) this.hashes.delete(key);
  }

  private increment(key: string, field: string, delta: number): void {
    const next = Number(this.hashes.get(key)?.get(field) ?? 0) + delta;
    if (next === 0) this.deleteField(key, field);
    else this.hash(key).set(field, String(next));
  }
}
