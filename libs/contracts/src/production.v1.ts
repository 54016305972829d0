import { z } from 'zod';
import {
  CalendarDate,
  CountryCode,
  EntityId,
  ItemCode,
  oneOf,
  OrganisationCode,
  payload,
  Quantity,
  text,
  TEXT_LIMITS,
  Timestamp,
} from './common';
import { defineEventType } from './envelope';

export const CAPACITY_BASES = ['company-claim', 'government', 'audited'] as const;
export const QA_STATUSES = ['passed', 'hold', 'rejected'] as const;

/** A production line's monthly capacity for one item, from a given date. */
export const CapacityDeclaredV1 = payload({
  capacityId: EntityId,
  manufacturer: OrganisationCode,
  facility: text(TEXT_LIMITS.name).describe('Plant or line, e.g. Unterlüß.'),
  country: CountryCode.describe('Where the facility is.'),
  itemCode: ItemCode,
  unitsPerMonth: Quantity.describe('Declared output per month.'),
  effectiveFrom: CalendarDate,
  basis: oneOf(CAPACITY_BASES).describe(
    'Who vouches for the figure; a company claim is an estimate, never shown as audited output.',
  ),
});
export type CapacityDeclaredV1 = z.infer<typeof CapacityDeclaredV1>;

/** A manufacturer finished a production lot. */
export const LotCompletedV1 = payload({
  lotId: EntityId.describe(
    'Lot number: MIL-STD-1168 style (e.g. RHM26C001-004) where the producer uses it, else its own reference.',
  ),
  manufacturer: OrganisationCode,
  facility: text(TEXT_LIMITS.name),
  itemCode: ItemCode,
  quantity: Quantity.describe('Units in the lot.'),
  completedAt: Timestamp,
  qaStatus: oneOf(QA_STATUSES),
});
export type LotCompletedV1 = z.infer<typeof LotCompletedV1>;

/** A lot's quality-assurance status changed (hold for rework, release, reject). */
export const LotQaChangedV1 = payload({
  lotId: EntityId,
  qaStatus: oneOf(QA_STATUSES),
  reason: text(TEXT_LIMITS.reason).optional(),
});
export type LotQaChangedV1 = z.infer<typeof LotQaChangedV1>;

/** Part of a lot (that passed QA) is earmarked for a pledge. */
export const AllocatedV1 = payload({
  allocationId: EntityId,
  lotId: EntityId,
  pledgeId: EntityId,
  quantity: Quantity.describe('Units of the lot allocated to the pledge.'),
});
export type AllocatedV1 = z.infer<typeof AllocatedV1>;

export const capacityDeclaredV1 = defineEventType(
  'tracker.production.capacity-declared.v1',
  CapacityDeclaredV1,
  {
    subject: ['capacityId'],
    key: ['capacityId'],
    description: "A production line's capacity for an item was declared.",
  },
);
export const lotCompletedV1 = defineEventType(
  'tracker.production.lot-completed.v1',
  LotCompletedV1,
  {
    subject: ['lotId'],
    key: ['lotId'],
    occurredAt: 'completedAt',
    description: 'A production lot was completed.',
  },
);
export const lotQaChangedV1 = defineEventType(
  'tracker.production.lot-qa-changed.v1',
  LotQaChangedV1,
  {
    subject: ['lotId'],
    key: ['lotId'],
    description: "A lot's QA status changed.",
  },
);
/** Keyed by lot so that a lot's completion, QA changes and allocations stay in order. */
export const allocatedV1 = defineEventType('tracker.production.allocated.v1', AllocatedV1, {
  subject: ['allocationId'],
  key: ['lotId'],
  description: 'Lot quantity was allocated to a pledge.',
});

export type CapacityDeclaredV1Event = z.infer<typeof capacityDeclaredV1.event>;
export type LotCompletedV1Event = z.infer<typeof lotCompletedV1.event>;
export type LotQaChangedV1Event = z.infer<typeof lotQaChangedV1.event>;
export type AllocatedV1Event = z.infer<typeof allocatedV1.event>;

/** Event types of tracker.production.v1. */
export const productionEventTypesV1 = [
  capacityDeclaredV1,
  lotCompletedV1,
  lotQaChangedV1,
  allocatedV1,
] as const;
