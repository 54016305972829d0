import {
  CAPACITY_FIELD,
  ChannelValue,
  docKey,
  itemKey,
  ParsedChannel,
  parseChannel,
  PledgeValue,
  present,
} from '@tracker/read-model';
import { AlertPolicy } from '../alerts/alert-rules';
import { noChanges, planBatch, pledgeIncrements, RecordedEvent } from '../apply/batch-plan';
import { documentsOf } from '../apply/routes';
import { tickLoad } from '../clock/clock-tick';
import { planTick, withTickForecast } from '../clock/tick-plan';
import { derivePledge, isOpen, NO_FORECAST } from '../derive/pledge-value';
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
  const counts = countsIn(parsed);
  if (counts === undefined) return model.value(channel);
  const today = Math.floor(Date.parse(asOf) / DAY_MS);
  const changes = noChanges();
  for (const [pledgeId, targetDay] of open) {
    if (targetDay >= today) continue;
    const value = model.pledgeValue(pledgeId);
    if (value === undefined || value.status === 'overdue' || !counts(value)) continue;
    changes.increments.push(...pledgeIncrements(value, { ...value, status: 'overdue' }));
  }
  model.apply(changes);
  return model.value(channel);
}

/** Which pledges a summary channel counts; undefined for a channel no pledge counts in. */
function countsIn(parsed: ParsedChannel): ((value: PledgeValue) => boolean) | undefined {
  switch (parsed.kind) {
    case 'overview':
      return () => true;
    case 'donor':
      return (value) => value.donor === parsed.donor;
    case 'item':
      return (value) => value.itemCode === parsed.itemCode;
    case 'programme':
      return (value) => value.programme === parsed.programmeId;
    case 'pledge':
    case 'alerts':
    case 'feed':
      return undefined;
  }
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
  let outstanding = 0;
  for (const [member] of model.indexes.get('open') as PersistentMap<number>) {
    const other = model.pledgeValue(member);
    if (other?.itemCode === value.itemCode && isOpen(other.status))
      outstanding += other.outstanding;
  }
  const lots = new Map<string, LotFacts>();
  for (const { lotId } of Object.values(facts.allocations)) {
    const lot = model.storedDoc(docKey('lot', lotId)).doc;
    if (lot !== null) lots.set(lotId, JSON.parse(lot) as LotFacts);
  }
  const capacity = model.load({
    docs: [],
    events: [],
    offsets: [],
    aggregates: [{ key: itemKey(value.itemCode), fields: [CAPACITY_FIELD] }],
  });
  return withTickForecast(value, facts, asOf, {
    lots,
    capacityPerMonth: new Map([
      [value.itemCode, capacity.aggregates.get(itemKey(value.itemCode))?.get(CAPACITY_FIELD) ?? 0],
    ]),
    outstanding: new Map([[value.itemCode, outstanding]]),
  });
}
