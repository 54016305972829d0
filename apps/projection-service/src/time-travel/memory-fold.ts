import { docKey } from '@tracker/read-model';
import { AlertPolicy } from '../alerts/alert-rules';
import { planBatch, RecordedEvent } from '../apply/batch-plan';
import { documentsOf } from '../apply/routes';
import { tickLoad } from '../clock/clock-tick';
import { planTick } from '../clock/tick-plan';
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
  const asOfMs = Date.parse(asOf);
  const stalled = model.indexRange('transit', asOfMs - policy.stallAfterMs);
  const suspects = model.indexRange('suspects');
  const second = tickLoad(pledges, stalled, suspects);
  model.apply(
    planTick(second.inputs(asOf, model.load(second.request), model.openAlerts()), policy),
  );
}
