import type { TrackerEvent } from '@tracker/contracts';
import { FEED_SIZE, FeedEntry, Loaded, LoadRequest, PledgeHistoryEntry } from '@tracker/read-model';
import type { BatchChanges, RecordedEvent } from '../src/apply/batch-plan';

/** Events as if Kafka had recorded each at its own time: record timestamps for pure folds. */
export const recordedAtEventTime = (events: readonly TrackerEvent[]): RecordedEvent[] =>
  events.map((event) => ({ event, recordedMs: Date.parse(event.time) }));

interface Doc {
  rev: number;
  d?: string;
  v?: string;
  l?: string;
}

/**
 * The read model's storage semantics in memory (what the Lua step does, without Redis and
 * without concurrency), for property tests of the pure plans: zero counters disappear, the feed
 * keeps the latest entries by event time (one per event id, the last written), the public
 * ledger keeps a fact's first recording time, documents follow their links when loaded.
 */
export class InMemoryStore {
  readonly docs = new Map<string, Doc>();
  readonly hashes = new Map<string, Map<string, string>>();
  readonly indexes = new Map<string, Map<string, number>>();
  readonly feed = new Map<string, number>();
  readonly ledger = new Map<string, number>();
  readonly seen = new Set<string>();
  readonly alerts = new Map<string, string>();
  readonly meta = new Map<string, string>();
  /** Per pledge: event id → its history entry, numbered in the order added. */
  readonly history = new Map<string, Map<string, PledgeHistoryEntry>>();
  private historySeq = 0;

  load(request: LoadRequest): Loaded {
    const docs = new Map<
      string,
      { key: string; rev: string; doc: string | null; value: string | null }
    >();
    const read = (key: string) => {
      if (docs.has(key)) return;
      const doc = this.docs.get(key);
      docs.set(key, {
        key,
        rev: String(doc?.rev ?? 0),
        doc: doc?.d ?? null,
        value: doc?.v ?? null,
      });
      return doc?.l;
    };
    const links = request.docs.map(read).filter((link): link is string => link !== undefined);
    links.forEach(read);
    return {
      currentEpoch: 'memory',
      meta: new Map(this.meta),
      docs,
      seen: new Set(request.events.filter((id) => this.seen.has(id))),
      offsets: new Map(),
      aggregates: new Map(),
    };
  }

  apply(changes: BatchChanges): void {
    for (const { key, doc, value, link } of changes.docs) {
      const current = this.docs.get(key) ?? { rev: 0 };
      this.docs.set(key, { rev: current.rev + 1, d: doc, v: value ?? current.v, l: link });
    }
    for (const { key, field, delta } of changes.increments) this.increment(key, field, delta);
    for (const { key, field, value } of changes.fields) {
      const hash = this.hash(key);
      if (value === null) hash.delete(field);
      else hash.set(field, value);
    }
    for (const { itemCode, date, measure, delta } of changes.series) {
      this.increment(`series:${itemCode}`, `${date}:${measure}`, delta);
    }
    for (const { index, member, score } of changes.index) {
      const set = this.indexes.get(index) ?? new Map<string, number>();
      this.indexes.set(index, set);
      if (score === null) set.delete(member);
      else set.set(member, score);
    }
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
    for (const { alertId, value } of changes.alerts) {
      if (value === null) this.alerts.delete(alertId);
      else this.alerts.set(alertId, JSON.stringify(value));
    }
    for (const { field, value } of changes.meta) this.meta.set(field, value);
    for (const { id } of changes.events) this.seen.add(id);
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
    const sorted = <T>(map: Map<string, T>) => [...map].sort(([a], [b]) => (a < b ? -1 : 1));
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

  private hash(key: string): Map<string, string> {
    const hash = this.hashes.get(key) ?? new Map<string, string>();
    this.hashes.set(key, hash);
    return hash;
  }

  private increment(key: string, field: string, delta: number): void {
    const hash = this.hash(key);
    const next = Number(hash.get(field) ?? 0) + delta;
    if (next === 0) hash.delete(field);
    else hash.set(field, String(next));
    if (hash.size === 0) this.hashes.delete(key);
  }
}
