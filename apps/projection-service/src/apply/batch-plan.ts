import type { TrackerEvent } from '@tracker/contracts';
import {
  BatchWrite,
  Cause,
  contributionIncrements,
  EMPTY_BATCH_WRITE,
  donorChannel,
  FEED_CHANNEL,
  Increment,
  itemChannel,
  Loaded,
  overviewChannel,
  pledgeChannel,
  PledgeValue,
  programmeChannel,
} from '@tracker/read-model';
import {
  CapacityFacts,
  foldCapacity,
  foldLot,
  foldStockpile,
  LotFacts,
  NO_LOT_FACTS,
  StockpileFacts,
} from '../facts/production.facts';
import { foldPledge, NO_PLEDGE_FACTS, PledgeFacts, withShipment } from '../facts/pledge.facts';
import { foldProgramme, NO_PROGRAMME_FACTS, ProgrammeFacts } from '../facts/programme.facts';
import {
  foldShipment,
  NO_SHIPMENT_FACTS,
  ShipmentFacts,
  shipmentShare,
} from '../facts/shipment.facts';
import { contributionOf, derivePledge, isOpen, NO_FORECAST } from '../derive/pledge-value';
import {
  capacityContribution,
  Contribution,
  difference,
  lotContribution,
  shipmentContribution,
  shipmentIndexes,
  stockpileFields,
} from './contributions';
import { audienceOf } from './audience';
import { programmeDeclarationFields, programmeMonthIncrements } from './programme-contributions';
import { summarise } from './feed-summary';
import { historyOf, shipmentIdOf, ShipmentStep } from './pledge-history';
import { publicFactOf } from './public-facts';
import { WorkingDoc, WorkingSet } from './working-set';

/** An event as read from its topic, with the time the tracker recorded it. */
export interface RecordedEvent {
  readonly event: TrackerEvent;
  /** The timestamp of the event's Kafka record (epoch ms): its time in the public ledger. */
  readonly recordedMs: number;
}

/** What a batch writes, before the applier adds its offsets and epoch requirements. */
export type BatchChanges = Omit<BatchWrite, 'live' | 'asOf' | 'offsets' | 'tick'>;

/** Score of an open pledge without a target date in the `open` index (epoch days). */
export const NO_TARGET_SCORE = 99_999_999;
const DAY_MS = 86_400_000;

/** Members of the `suspects` index: `<reason>|<shipmentId>`. */
export const suspect = (reason: 'over-delivered' | 'unknown-pledge', shipmentId: string): string =>
  `${reason}|${shipmentId}`;

const causeOf = (event: TrackerEvent): Cause => ({
  id: event.id,
  type: event.type,
  time: event.time,
});

/** Changes being planned: every list writable. */
export type WritableChanges = { -readonly [K in keyof BatchChanges]: BatchChanges[K][number][] };

/** Changes with nothing in them, to plan into: each list of a write step, empty. */
export function noChanges(): WritableChanges {
  const { live: _live, asOf: _asOf, offsets: _offsets, tick: _tick, ...lists } = EMPTY_BATCH_WRITE;
  return structuredClone(lists) as WritableChanges;
}

/**
 * Folds a batch of events into the documents loaded for it and derives every change of the
 * read model: documents, aggregate increments, daily series, indexes, feed, public ledger,
 * pledge histories and the channels to announce. Pure: the same events and loaded state give the same changes,
 * whatever their order; events already applied (by id) are skipped. Feed entries carry their
 * audience as the whole batch knows it once folded.
 *
 * @param asOf the model's clock (meta `asOf`), which decides whether a pledge is overdue.
 * @param options.journals plan the feed, public ledger and pledge history entries too (default);
 * time travel leaves them out, since none of the reads it answers shows them.
 */
export function planBatch(
  events: readonly RecordedEvent[],
  loaded: Loaded,
  asOf: string,
  options: { readonly journals?: boolean } = {},
): BatchChanges {
  const journals = options.journals ?? true;
  const ws = new WorkingSet(loaded.docs);
  const out = noChanges();
  const emits = new Map<string, Cause>();
  const emit = (channel: string, cause: Cause) => {
    emits.delete(channel);
    emits.set(channel, cause);
  };
  const seen = new Set(loaded.seen);
  const applied: RecordedEvent[] = [];
  const shipmentSteps: (ShipmentStep | undefined)[] = [];
  for (const recorded of events) {
    const { event, recordedMs } = recorded;
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    const shipmentId = shipmentIdOf(event);
    const shipment =
      shipmentId === undefined ? undefined : ws.get('shipment', shipmentId, NO_SHIPMENT_FACTS);
    const before = shipment?.after;
    fold(ws, event);
    applied.push(recorded);
    // The history reads each shipment event's before and after from this fold, not a second one.
    shipmentSteps.push(
      shipment === undefined || before === undefined
        ? undefined
        : { before, after: shipment.after },
    );
    out.events.push({ id: event.id, timeMs: Date.parse(event.time) });
    const fact = journals ? publicFactOf(event) : undefined;
    if (fact !== undefined) out.ledger.push({ fact, recordedMs });
    emit(FEED_CHANNEL, causeOf(event));
  }
  if (journals) {
    out.history.push(...historyOf(applied, shipmentSteps, ws, asOf));
    for (const { event } of applied) {
      out.feed.push({
        entry: summarise(event, audienceOf(event, ws)),
        timeMs: Date.parse(event.time),
      });
    }
  }
  const relinked = linkShipments(ws);
  for (const doc of ws.changedDocs('shipment'))
    shipmentChanges(ws, doc as WorkingDoc<ShipmentFacts>, out, emit);
  for (const doc of ws.changedDocs('lot')) {
    const typed = doc as WorkingDoc<LotFacts>;
    counted(ws, doc, lotContribution(typed.before), lotContribution(typed.after), out, emit);
  }
  for (const doc of ws.changedDocs('capacity')) {
    const typed = doc as WorkingDoc<CapacityFacts>;
    counted(
      ws,
      doc,
      capacityContribution(typed.before),
      capacityContribution(typed.after),
      out,
      emit,
    );
  }
  for (const doc of ws.changedDocs('stockpile'))
    stockpileChanges(ws, doc as WorkingDoc<StockpileFacts>, out, emit);
  for (const doc of ws.changedDocs('pledge')) {
    pledgeChanges(ws, doc as WorkingDoc<PledgeFacts>, asOf, relinked, out, emit);
  }
  for (const doc of ws.changedDocs('programme'))
    programmeChanges(ws, doc as WorkingDoc<ProgrammeFacts>, out, emit);
  out.emits.push(...[...emits].map(([channel, cause]) => ({ channel, cause })));
  return { ...out, increments: mergeIncrements(out.increments), series: mergeSeries(out.series) };
}

/** One increment per aggregate field for the whole batch: many pledges share a donor or item. */
function mergeIncrements(increments: readonly Increment[]): Increment[] {
  const merged = new Map<string, { key: string; field: string; delta: number }>();
  for (const { key, field, delta } of increments) {
    const id = `${key}|${field}`;
    const previous = merged.get(id);
    if (previous === undefined) merged.set(id, { key, field, delta });
    else previous.delta += delta;
  }
  return [...merged.values()].filter((increment) => increment.delta !== 0);
}

function mergeSeries(series: WritableChanges['series']): WritableChanges['series'] {
  const merged = new Map<string, WritableChanges['series'][number]>();
  for (const point of series) {
    const id = `${point.itemCode}|${point.date}|${point.measure}`;
    const previous = merged.get(id);
    merged.set(id, previous ? { ...point, delta: previous.delta + point.delta } : point);
  }
  return [...merged.values()].filter((point) => point.delta !== 0);
}

function fold(ws: WorkingSet, event: TrackerEvent): void {
  const cause = causeOf(event);
  switch (event.type) {
    case 'tracker.pledge.announced.v1':
    case 'tracker.pledge.amended.v1':
    case 'tracker.pledge.cancelled.v1':
    case 'tracker.production.allocated.v1':
      return ws.update(
        'pledge',
        event.data.pledgeId,
        NO_PLEDGE_FACTS,
        (f) => foldPledge(f, event),
        cause,
      );
    case 'tracker.production.capacity-declared.v1':
      return ws.update(
        'capacity',
        event.data.capacityId,
        {},
        (f: CapacityFacts) => foldCapacity(f, event),
        cause,
      );
    case 'tracker.production.lot-completed.v1':
    case 'tracker.production.lot-qa-changed.v1':
      return ws.update('lot', event.data.lotId, NO_LOT_FACTS, (f) => foldLot(f, event), cause);
    case 'tracker.shipment.dispatched.v1':
    case 'tracker.shipment.milestone.v1':
    case 'tracker.shipment.delivered.v1':
    case 'tracker.shipment.delivery-corrected.v1':
    case 'tracker.shipment.lost.v1':
      return ws.update(
        'shipment',
        event.data.shipmentId,
        NO_SHIPMENT_FACTS,
        (f) => foldShipment(f, event),
        cause,
      );
    case 'tracker.stockpile.level-reported.v1': {
      const id = `${event.data.nation}:${event.data.itemCode}`;
      return ws.update('stockpile', id, {}, (f: StockpileFacts) => foldStockpile(f, event), cause);
    }
    case 'tracker.programme.declared.v1':
      return ws.update(
        'programme',
        event.data.programmeId,
        NO_PROGRAMME_FACTS,
        (f: ProgrammeFacts) => foldProgramme(f, event),
        cause,
      );
    case 'tracker.alert.raised.v1':
    case 'tracker.alert.cleared.v1':
      return;
  }
}

/**
 * Copies each changed shipment's share into its pledge (and out of the pledge it served
 * before, if a later dispatch named another). Returns the shipments whose share was copied.
 */
function linkShipments(ws: WorkingSet): Set<string> {
  const copied = new Set<string>();
  for (const doc of ws.changedDocs('shipment') as WorkingDoc<ShipmentFacts>[]) {
    const cause = doc.cause as Cause;
    const before = doc.before.dispatch?.pledgeId;
    const after = doc.after.dispatch?.pledgeId;
    const share = shipmentShare(doc.after);
    if (before !== undefined && before !== after) {
      ws.update(
        'pledge',
        before,
        NO_PLEDGE_FACTS,
        (f) => withShipment(f, doc.id, undefined),
        cause,
      );
    }
    if (after === undefined) continue;
    const pledge = ws.get('pledge', after, NO_PLEDGE_FACTS);
    if (JSON.stringify(pledge.after.shipments[doc.id]) === JSON.stringify(share)) continue;
    ws.update('pledge', after, NO_PLEDGE_FACTS, (f) => withShipment(f, doc.id, share), cause);
    copied.add(doc.id);
  }
  return copied;
}

type Emit = (channel: string, cause: Cause) => void;

function writeDoc(
  ws: WorkingSet,
  doc: WorkingDoc,
  out: WritableChanges,
  extra: { value?: string; link?: string } = {},
): void {
  const { json, changed } = ws.serialized(doc);
  if (!changed && extra.value === undefined) return;
  out.docs.push({ key: doc.key, rev: doc.rev, doc: json, ...extra });
}

/** Applies the difference of a document's counter and series contributions. */
function counted(
  ws: WorkingSet,
  doc: WorkingDoc,
  before: Contribution,
  after: Contribution,
  out: WritableChanges,
  emit: Emit,
  extra: { link?: string } = {},
): void {
  writeDoc(ws, doc, out, extra);
  const cause = doc.cause as Cause;
  for (const [key, delta] of difference(before.counters, after.counters)) {
    const [aggregate, field] = key.split('|');
    out.increments.push({ key: aggregate, field, delta });
    emit(itemChannel(aggregate.slice('agg:item:'.length)), cause);
  }
  for (const [key, delta] of difference(before.series, after.series)) {
    const [itemCode, date, measure] = key.split('|') as [string, string, 'p' | 's' | 'd'];
    out.series.push({ itemCode, date, measure, delta });
    emit(itemChannel(itemCode), cause);
  }
}

function shipmentChanges(
  ws: WorkingSet,
  doc: WorkingDoc<ShipmentFacts>,
  out: WritableChanges,
  emit: Emit,
): void {
  const pledgeId = doc.after.dispatch?.pledgeId;
  const link = pledgeId === undefined ? undefined : `pledge:${pledgeId}`;
  counted(ws, doc, shipmentContribution(doc.before), shipmentContribution(doc.after), out, emit, {
    link,
  });
  const before = shipmentIndexes(doc.before);
  const after = shipmentIndexes(doc.after);
  if (before.transit !== after.transit) {
    out.index.push({ index: 'transit', member: doc.id, score: after.transit ?? null });
  }
  if (before.overDelivered !== after.overDelivered) {
    out.index.push({
      index: 'suspects',
      member: suspect('over-delivered', doc.id),
      score: after.overDelivered ?? null,
    });
  }
}

function stockpileChanges(
  ws: WorkingSet,
  doc: WorkingDoc<StockpileFacts>,
  out: WritableChanges,
  emit: Emit,
): void {
  const { json, changed } = ws.serialized(doc);
  if (!changed) return;
  out.docs.push({ key: doc.key, rev: doc.rev, doc: json });
  const { key, values } = stockpileFields(doc.id, doc.after);
  for (const [field, value] of values) out.fields.push({ key, field, value });
  emit(itemChannel(doc.id.slice(3)), doc.cause as Cause);
}

function pledgeChanges(
  ws: WorkingSet,
  doc: WorkingDoc<PledgeFacts>,
  asOf: string,
  relinked: ReadonlySet<string>,
  out: WritableChanges,
  emit: Emit,
): void {
  const cause = doc.cause as Cause;
  const previous =
    doc.storedValue === null ? undefined : (JSON.parse(doc.storedValue) as PledgeValue);
  const value = derivePledge(doc.id, doc.after, asOf, previous?.forecast ?? NO_FORECAST);
  const valueJson = value === undefined ? undefined : JSON.stringify(value);
  writeDoc(
    ws,
    doc,
    out,
    valueJson === undefined || valueJson === doc.storedValue ? {} : { value: valueJson },
  );
  if (valueJson !== undefined && valueJson !== doc.storedValue) emit(pledgeChannel(doc.id), cause);
  const increments = pledgeIncrements(previous, value);
  out.increments.push(...increments);
  for (const channel of summaryChannels(previous, value, increments)) emit(channel, cause);
  const months = programmeMonthIncrements(previous, doc.before, value, doc.after);
  out.increments.push(...months);
  for (const v of months.length > 0 ? [previous, value] : []) {
    if (v?.programme) emit(programmeChannel(v.programme), cause);
  }
  const wasOpen = previous !== undefined && isOpen(previous.status);
  const open = value !== undefined && isOpen(value.status);
  const score = value?.targetDate
    ? Math.floor(Date.parse(value.targetDate) / DAY_MS)
    : NO_TARGET_SCORE;
  const previousScore = previous?.targetDate
    ? Math.floor(Date.parse(previous.targetDate) / DAY_MS)
    : NO_TARGET_SCORE;
  if (open !== wasOpen || (open && score !== previousScore)) {
    out.index.push({ index: 'open', member: doc.id, score: open ? score : null });
  }
  const announced = doc.after.announcement !== undefined;
  const announcedChanged = announced !== (doc.before.announcement !== undefined);
  for (const [shipmentId, share] of Object.entries(doc.after.shipments)) {
    if (!announcedChanged && !relinked.has(shipmentId)) continue;
    out.index.push({
      index: 'suspects',
      member: suspect('unknown-pledge', shipmentId),
      score: announced ? null : share.dispatchedAtMs,
    });
  }
}

/** A programme's declaration fields, when the declaration in force changed. */
function programmeChanges(
  ws: WorkingSet,
  doc: WorkingDoc<ProgrammeFacts>,
  out: WritableChanges,
  emit: Emit,
): void {
  const { json, changed } = ws.serialized(doc);
  if (!changed) return;
  out.docs.push({ key: doc.key, rev: doc.rev, doc: json });
  if (JSON.stringify(doc.before.declaration) === JSON.stringify(doc.after.declaration)) return;
  out.fields.push(...programmeDeclarationFields(doc.id, doc.after));
  emit(programmeChannel(doc.id), doc.cause as Cause);
}

/** The increments that move a pledge's share of the summaries from `previous` to `value`. */
export function pledgeIncrements(
  previous: PledgeValue | undefined,
  value: PledgeValue | undefined,
): Increment[] {
  const side = (v: PledgeValue | undefined) =>
    v === undefined
      ? undefined
      : {
          donor: v.donor,
          itemCode: v.itemCode,
          programme: v.programme,
          contribution: contributionOf(v),
        };
  return contributionIncrements(side(previous), side(value));
}

function summaryChannels(
  previous: PledgeValue | undefined,
  value: PledgeValue | undefined,
  increments: readonly Increment[],
): string[] {
  if (increments.length === 0) return [];
  const channels = new Set<string>([overviewChannel()]);
  for (const v of [previous, value]) {
    if (v === undefined) continue;
    channels.add(donorChannel(v.donor));
    channels.add(itemChannel(v.itemCode));
    if (v.programme) channels.add(programmeChannel(v.programme));
  }
  return [...channels];
}
