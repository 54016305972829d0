import { z } from 'zod';
import {
  CalendarDate,
  CountryCode,
  EntityId,
  EuroCents,
  HttpUrl,
  ItemCode,
  oneOf,
  payload,
  ProgrammeCode,
  Quantity,
  text,
  TEXT_LIMITS,
  Timestamp,
} from './common';
import { defineEventType } from './envelope';

export const PLEDGE_PURPOSES = ['aid', 'replenishment'] as const;
export const PLEDGE_SOURCINGS = ['stock', 'new-production', 'procurement'] as const;
export const PLEDGE_CONFIDENCES = ['announced', 'official', 'contracted'] as const;

/** A donor promises a quantity of one item to a recipient. */
export const PledgeAnnouncedV1 = payload({
  pledgeId: EntityId,
  donor: CountryCode.describe('The giving country.'),
  recipient: CountryCode.describe('The receiving country.'),
  itemCode: ItemCode,
  quantity: Quantity.describe('Promised quantity.'),
  valueCents: EuroCents.describe('Announced value, when published.').optional(),
  announcedAt: Timestamp,
  targetDate: CalendarDate.describe('Date by which delivery was promised.').optional(),
  purpose: oneOf(PLEDGE_PURPOSES),
  sourcing: oneOf(PLEDGE_SOURCINGS),
  programme: ProgrammeCode.optional(),
  confidence: oneOf(PLEDGE_CONFIDENCES).describe(
    'How firm the pledge is: a press announcement, an official statement or a signed contract.',
  ),
  sourceUrl: HttpUrl.describe('Public source of the announcement.').optional(),
  reference: text(TEXT_LIMITS.reference).describe('Decision or contract number.').optional(),
});
export type PledgeAnnouncedV1 = z.infer<typeof PledgeAnnouncedV1>;

/** The quantity or target date of a pledge changes. */
export const PledgeAmendedV1 = payload({
  pledgeId: EntityId,
  quantity: Quantity.describe('New total promised quantity.').optional(),
  targetDate: CalendarDate.describe('New target date.').optional(),
  reason: text(TEXT_LIMITS.reason),
});
export type PledgeAmendedV1 = z.infer<typeof PledgeAmendedV1>;

/** A pledge is withdrawn; what was delivered stays delivered. */
export const PledgeCancelledV1 = payload({
  pledgeId: EntityId,
  reason: text(TEXT_LIMITS.reason),
});
export type PledgeCancelledV1 = z.infer<typeof PledgeCancelledV1>;

export const pledgeAnnouncedV1 = defineEventType('tracker.pledge.announced.v1', PledgeAnnouncedV1, {
  subject: ['pledgeId'],
  key: ['pledgeId'],
  occurredAt: 'announcedAt',
  description: 'A donor announced a pledge of one item to a recipient.',
});
export const pledgeAmendedV1 = defineEventType('tracker.pledge.amended.v1', PledgeAmendedV1, {
  subject: ['pledgeId'],
  key: ['pledgeId'],
  description: 'The promised quantity or target date of a pledge changed.',
});
export const pledgeCancelledV1 = defineEventType('tracker.pledge.cancelled.v1', PledgeCancelledV1, {
  subject: ['pledgeId'],
  key: ['pledgeId'],
  description: 'A pledge was cancelled.',
});

export type PledgeAnnouncedV1Event = z.infer<typeof pledgeAnnouncedV1.event>;
export type PledgeAmendedV1Event = z.infer<typeof pledgeAmendedV1.event>;
export type PledgeCancelledV1Event = z.infer<typeof pledgeCancelledV1.event>;

/** Event types of tracker.pledges.v1. */
export const pledgeEventTypesV1 = [pledgeAnnouncedV1, pledgeAmendedV1, pledgeCancelledV1] as const;
