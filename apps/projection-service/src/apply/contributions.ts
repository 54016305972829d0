import {
  CAPACITY_FIELD,
  capacityBasisField,
  itemKey,
  PRODUCED_FIELD,
  stockpileField,
} from '@tracker/read-model';
import { CapacityFacts, LotFacts, lotOutput, StockpileFacts } from '../facts/production.facts';
import {
  effectiveDeliveries,
  overDeliveredSince,
  ShipmentFacts,
  transitDeadline,
} from '../facts/shipment.facts';
import { utcDate } from '../facts/stamp';

/**
 * What one document contributes to shared structures, as plain maps: the batch applies the
 * difference between a document's contribution before and after its events. Keys are
 * `<aggregate key>|<field>` for counters and `<item>|<date>|<measure>` for the daily series.
 */
export interface Contribution {
  readonly counters: Map<string, number>;
  readonly series: Map<string, number>;
}

const none = (): Contribution => ({ counters: new Map(), series: new Map() });

function add(map: Map<string, number>, key: string, quantity: number): void {
  if (quantity !== 0) map.set(key, (map.get(key) ?? 0) + quantity);
}

export const counterKey = (aggregate: string, field: string): string => `${aggregate}|${field}`;
export const seriesKey = (itemCode: string, date: string, measure: 'p' | 's' | 'd'): string =>
  `${itemCode}|${date}|${measure}`;

export function shipmentContribution(facts: ShipmentFacts): Contribution {
  const result = none();
  const dispatch = facts.dispatch;
  if (dispatch === undefined) return result;
  add(
    result.series,
    seriesKey(dispatch.itemCode, utcDate(Date.parse(dispatch.dispatchedAt)), 's'),
    dispatch.quantity,
  );
  for (const delivery of effectiveDeliveries(facts)) {
    add(
      result.series,
      seriesKey(dispatch.itemCode, utcDate(Date.parse(delivery.receivedAt)), 'd'),
      delivery.accepted,
    );
  }
  return result;
}

export function lotContribution(facts: LotFacts): Contribution {
  const result = none();
  const output = lotOutput(facts);
  if (output === undefined) return result;
  add(result.counters, counterKey(itemKey(output.itemCode), PRODUCED_FIELD), output.quantity);
  add(
    result.series,
    seriesKey(output.itemCode, utcDate(Date.parse(output.completedAt)), 'p'),
    output.quantity,
  );
  return result;
}

export function capacityContribution(facts: CapacityFacts): Contribution {
  const result = none();
  const declaration = facts.declaration;
  if (declaration === undefined) return result;
  const key = itemKey(declaration.itemCode);
  add(result.counters, counterKey(key, CAPACITY_FIELD), declaration.unitsPerMonth);
  add(
    result.counters,
    counterKey(key, capacityBasisField(declaration.basis)),
    declaration.unitsPerMonth,
  );
  return result;
}

/** A stockpile's fields of its item hash (set, not counted: the latest report replaces). */
export function stockpileFields(
  id: string,
  facts: StockpileFacts,
): { key: string; values: Map<string, string | null> } {
  // The id is `<nation>:<itemCode>`; nations are two letters.
  const nation = id.slice(0, 2);
  const report = facts.report;
  const values = new Map<string, string | null>([
    [stockpileField(nation, 'q'), report ? String(report.quantity) : null],
    [
      stockpileField(nation, 'min'),
      report?.minimumRequired == null ? null : String(report.minimumRequired),
    ],
    [stockpileField(nation, 'at'), report ? report.at : null],
  ]);
  return { key: itemKey(id.slice(3)), values };
}

/** Index memberships of a shipment: in transit (score: deadline) and over-delivered (since). */
export function shipmentIndexes(facts: ShipmentFacts): {
  transit?: number;
  overDelivered?: number;
} {
  return { transit: transitDeadline(facts), overDelivered: overDeliveredSince(facts) };
}

/** `after − before`, without zero entries. */
export function difference(
  before: Map<string, number>,
  after: Map<string, number>,
): Map<string, number> {
  const delta = new Map<string, number>();
  for (const [key, quantity] of after) add(delta, key, quantity - (before.get(key) ?? 0));
  for (const [key, quantity] of before) if (!after.has(key)) add(delta, key, -quantity);
  return delta;
}
