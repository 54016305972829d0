import {
  CAPACITY_FIELD,
  ChannelValue,
  docKey,
  donorKey,
  Increment,
  itemKey,
  overviewKey,
  ParsedChannel,
  parseChannel,
  PledgeValue,
  present,
  programmeKey,
  TotalField,
} from '@tracker/read-model';
import { AlertPolicy } from '../alerts/alert-rules';
import { noChanges, planBatch, pledgeIncrements, RecordedEvent } from '../apply/batch-plan';
import { documentsOf } from '../apply/routes';
import { tickLoad } from '../clock/clock-tick';
import { planTick, withTickForecast } from '../clock/tick-plan';
import { derivePledge, NO_FORECAST } from '../derive/pledge-value';
import type { PledgeFacts } from '../facts/pledge.facts';
import type { LotFacts } from '../facts/production.facts';
import type { MemoryModel } from './memory-model';
import type { PersistentMap } from './persistent-map';

/** Records folded per plan: one load and one plan each, like the projection's group commit. */
const FOLD_CHUNK = 2000;

/** Folds records into a model with the same plan as the projection's step, at the model's `asOf`. */
export function foldRecords(model: MemoryModel, records: readonly RecordedEvent[]): void {
  for (let at = 0; at < records.length; at += FOLD_CHUNK) {
    const chunk = records.slice(at, at + FOLD_CHUNK);
    const loaded = model.load({
      docs: [...new Set(chunk.flatMap(({ event }) => documentsOf(event)))],
      events: chunk.map(({ event }) => event.id),
      offsets: [],
      aggregates: [],
    });
    model.apply(planBatch(chunk, loaded, model.asOf, { journals: model.journals }));
  }
}

/**
 * Runs the clock tick at `asOf` on a model, reading from it what ClockTick reads from Redis
 * (open pledges, their lots and items' capacity, stalled and suspect shipments, open alerts),
 * with the same plan. Does nothing when the model's clock is at `asOf` or later, like the tick.
 */
export function tickModel(model: MemoryModel, asOf: string, policy: AlertPolicy): void {
  if (model.asOf >= asOf) return;
  const pledges = model
    .indexRange('open')
    .map(({ member }) => model.storedDoc(docKey('pledge', member)))
    .filter((doc) => doc.doc !== null);
  const asOfMs = Date.parse(asOf);
  const stalled = model.indexRange('transit', asOfMs - policy.stallAfterMs);
  const suspects = model.indexRange('suspects');
  const second = tickLoad(pledges, stalled, suspects);
  model.apply(
    planTick(second.inputs(asOf, model.load(second.request), model.openAlerts()), policy),
  );
}

const DAY_MS = 86_400_000;
const OUTSTANDING_FIELD: TotalField = 'outstanding';

/**
 * The value `channel` (the overview, a donor, an item, a programme or a pledge) would have
 * after {@link tickModel} at `asOf`, computed for that channel alone. A tick moves a summary
 * only where an open pledge turns overdue (its totals do not depend on the clock), and the
 * `open` index, scored by target date, names those pledges; a pledge's own value is derived
 * at `asOf` with its forecast as the tick derives it. Writes into `model`: pass one of its own.
 */
export function valueAfterTick(
  model: MemoryModel,
  channel: string,
  asOf: string,
): ChannelValue | null {
  const parsed = parseChannel(channel);
  if (model.asOf >= asOf || parsed === undefined) return model.value(channel);
  const open = model.indexes.get('open') as PersistentMap<number>;
  if (parsed.kind === 'pledge') {
    if (!open.has(parsed.pledgeId)) return model.value(channel);
    const value = pledgeAfterTick(model, parsed.pledgeId, asOf);
    return value === undefined ? model.value(channel) : present(channel, JSON.stringify(value));
  }
  const summary = summaryOf(parsed);
  if (summary === undefined) return model.value(channel);
  const today = Math.floor(Date.parse(asOf) / DAY_MS);
  const deltas = new Map<string, number>();
  for (const [pledgeId, targetDay] of open) {
    if (targetDay >= today) continue;
    const value = model.pledgeValue(pledgeId);
    if (value === undefined || value.status === 'overdue' || !summary.counts(value)) continue;
    for (const { key, field, delta } of overdueIncrements(value))
      if (key === summary.key) deltas.set(field, (deltas.get(field) ?? 0) + delta);
  }
  const changes = noChanges();
  for (const [field, delta] of deltas)
    if (delta !== 0) changes.increments.push({ key: summary.key, field, delta });
  model.apply(changes);
  return model.value(channel);
}

/** The hash of a summary channel and which pledges count in it; undefined for other channels. */
function summaryOf(
  parsed: ParsedChannel,
): { key: string; counts: (value: PledgeValue) => boolean } | undefined {
  switch (parsed.kind) {
    case 'overview':
      return { key: overviewKey(), counts: () => true };
    case 'donor':
      return { key: donorKey(parsed.donor), counts: (value) => value.donor === parsed.donor };
    case 'item':
      return {
        key: itemKey(parsed.itemCode),
        counts: (value) => value.itemCode === parsed.itemCode,
      };
    case 'programme':
      return {
        key: programmeKey(parsed.programmeId),
        counts: (value) => value.programme === parsed.programmeId,
      };
    case 'pledge':
    case 'alerts':
    case 'feed':
      return undefined;
  }
}

/** Increments of a pledge value turning overdue, by value (values are shared and never change). */
const overdue = new WeakMap<PledgeValue, readonly Increment[]>();

function overdueIncrements(value: PledgeValue): readonly Increment[] {
  let increments = overdue.get(value);
  if (increments === undefined) {
    increments = pledgeIncrements(value, { ...value, status: 'overdue' });
    overdue.set(value, increments);
  }
  return increments;
}

/** An open pledge's value after a tick at `asOf`, as {@link planTick} derives it. */
function pledgeAfterTick(
  model: MemoryModel,
  pledgeId: string,
  asOf: string,
): PledgeValue | undefined {
  const stored = model.storedDoc(docKey('pledge', pledgeId));
  if (stored.doc === null) return undefined;
  const facts = JSON.parse(stored.doc) as PledgeFacts;
  const value = derivePledge(pledgeId, facts, asOf, NO_FORECAST);
  if (value === undefined) return undefined;
  const lots = new Map<string, LotFacts>();
  for (const { lotId } of Object.values(facts.allocations)) {
    const lot = model.storedDoc(docKey('lot', lotId)).doc;
    if (lot !== null) lots.set(lotId, JSON.parse(lot) as LotFacts);
  }
  // The item's outstanding total is its open pledges' (a delivered or cancelled one has none),
  // which the tick sums over them, and no tick changes it.
  const item = itemKey(value.itemCode);
  const fields = model
    .load({
      docs: [],
      events: [],
      offsets: [],
      aggregates: [{ key: item, fields: [CAPACITY_FIELD, OUTSTANDING_FIELD] }],
    })
    .aggregates.get(item);
  return withTickForecast(value, facts, asOf, {
    lots,
    capacityPerMonth: new Map([[value.itemCode, fields?.get(CAPACITY_FIELD) ?? 0]]),
    outstanding: new Map([[value.itemCode, fields?.get(OUTSTANDING_FIELD) ?? 0]]),
  });
}
