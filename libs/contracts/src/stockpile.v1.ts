import { z } from 'zod';
import { CountryCode, ItemCode, payload, Quantity, Timestamp } from './common';
import { defineEventType } from './envelope';

/** A nation reports how much of an item it holds. */
export const StockpileLevelReportedV1 = payload({
  nation: CountryCode.describe('The holding nation.'),
  itemCode: ItemCode,
  quantity: Quantity.describe('Units held at `at`.'),
  minimumRequired: Quantity.describe('Level the nation must not fall below.').optional(),
  at: Timestamp,
});
export type StockpileLevelReportedV1 = z.infer<typeof StockpileLevelReportedV1>;

/**
 * A stockpile has no id of its own: it is the pair nation × item, so subject and key are
 * `<nation>:<itemCode>` (e.g. `DE:AMMO-155MM`), which keeps one stockpile's reports in order.
 */
export const stockpileLevelReportedV1 = defineEventType(
  'tracker.stockpile.level-reported.v1',
  StockpileLevelReportedV1,
  {
    subject: ['nation', 'itemCode'],
    key: ['nation', 'itemCode'],
    occurredAt: 'at',
    description: 'A nation reported its stockpile level of an item.',
  },
);

export type StockpileLevelReportedV1Event = z.infer<typeof stockpileLevelReportedV1.event>;

/** Event types of tracker.stockpiles.v1. */
export const stockpileEventTypesV1 = [stockpileLevelReportedV1] as const;
