import { CAPACITY_FIELD, docKey, itemKey } from '@tracker/read-model';
import { AlertPolicy, splitSuspect } from '../alerts/alert-rules';
import { planBatch, RecordedEvent } from '../apply/batch-plan';
import { documentsOf } from '../apply/routes';
import { dependencies, partiesOf } from '../clock/clock-tick';
import { planTick } from '../clock/tick-plan';
import type { LotFacts } from '../facts/production.facts';
import type { MemoryModel } from './memory-model';

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
  const { lotKeys, items } = dependencies(pledges);
  const asOfMs = Date.parse(asOf);
  const stalled = model.indexRange('transit', asOfMs - policy.stallAfterMs);
  const suspects = model.indexRange('suspects');
  const shipmentIds = [
    ...new Set([
      ...stalled.map(({ member }) => member),
      ...suspects.map(({ member }) => splitSuspect(member)[1]),
    ]),
  ];
  const loaded = model.load({
    docs: [...lotKeys, ...shipmentIds.map((id) => docKey('shipment', id))],
    events: [],
    offsets: [],
    aggregates: items.map((itemCode) => ({ key: itemKey(itemCode), fields: [CAPACITY_FIELD] })),
  });
  const lots = new Map<string, LotFacts>();
  for (const key of lotKeys) {
    const doc = loaded.docs.get(key)?.doc;
    if (doc) lots.set(key.slice('lot:'.length), JSON.parse(doc) as LotFacts);
  }
  model.apply(
    planTick(
      {
        asOf,
        pledges,
        lots,
        capacityPerMonth: new Map(
          items.map((itemCode) => [
            itemCode,
            loaded.aggregates.get(itemKey(itemCode))?.get(CAPACITY_FIELD) ?? 0,
          ]),
        ),
        stalled: stalled.map(({ member, score }) => ({ shipmentId: member, deadlineMs: score })),
        suspects: suspects.map(({ member, score }) => ({ member, sinceMs: score })),
        shipments: new Map(shipmentIds.map((id) => [id, partiesOf(loaded.docs, id)])),
        openAlerts: model.openAlerts(),
      },
      policy,
    ),
  );
}
